/**
 * A double of Electron's `dialog` (only showOpenDialog, the one the shell uses). Typed from
 * electron.d.ts like the rest of the double. A call stays open until the test, playing the user,
 * answers it (`choose` or `cancel`), as the real modal picker waits for the user.
 */
import type * as Electron from 'electron'

export interface OpenDialogCall {
  /** The window the picker is modal to (undefined: a free-standing picker). */
  window: Electron.BaseWindow | undefined
  options: Electron.OpenDialogOptions
}

export class DialogDouble implements Pick<Electron.Dialog, 'showOpenDialog'> {
  readonly calls: OpenDialogCall[] = []
  private answer: ((value: Electron.OpenDialogReturnValue) => void) | undefined

  constructor(private readonly record: (what: string) => void) {}

  showOpenDialog(
    window: Electron.BaseWindow,
    options: Electron.OpenDialogOptions,
  ): Promise<Electron.OpenDialogReturnValue>
  showOpenDialog(options: Electron.OpenDialogOptions): Promise<Electron.OpenDialogReturnValue>
  showOpenDialog(
    first: Electron.BaseWindow | Electron.OpenDialogOptions,
    second?: Electron.OpenDialogOptions,
  ): Promise<Electron.OpenDialogReturnValue> {
    if (this.answer) throw new Error('an open dialog is already showing')
    const call =
      second !== undefined
        ? { window: first as Electron.BaseWindow, options: second }
        : { window: undefined, options: first as Electron.OpenDialogOptions }
    this.calls.push(call)
    return new Promise((resolve) => {
      this.answer = resolve
      this.record('dialog:open')
    })
  }

  /** Driver: the user picks these files. */
  choose(...filePaths: string[]): void {
    this.settle({ canceled: false, filePaths })
  }

  /** Driver: the user closes the picker without choosing. */
  cancel(): void {
    this.settle({ canceled: true, filePaths: [] })
  }

  private settle(value: Electron.OpenDialogReturnValue): void {
    const answer = this.answer
    if (!answer) throw new Error('no open dialog is showing')
    this.answer = undefined
    answer(value)
  }
}
