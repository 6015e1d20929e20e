/** The system clipboard double (and ClipboardItem); the test can copy as the user or stall it. */
import type * as Electron from 'electron'
import type { Shell } from './shell'

type ClipboardItemInput = ConstructorParameters<typeof Electron.ClipboardItem>[0]

export class ClipboardItemDouble implements Pick<Electron.ClipboardItem, 'types'> {
  readonly types: string[]
  constructor(readonly items: ClipboardItemInput) {
    this.types = Object.keys(items)
  }
}

export class ClipboardDouble implements Pick<
  Electron.Clipboard,
  'write' | 'writeText' | 'readText' | 'clear'
> {
  /** The plain text on the (one, system-wide) clipboard. */
  text = ''
  /** The formats of the last write (text/plain plus any platform markers). */
  formats: string[] = []
  private stalled = false

  constructor(private readonly shell: Shell) {}

  async write(data: Electron.ClipboardItem[]): Promise<void> {
    await this.gate()
    const item = (data[0] as unknown as ClipboardItemDouble | undefined)?.items ?? {}
    const text = item['text/plain']
    this.set(typeof text === 'string' ? text : '', Object.keys(item))
  }

  async writeText(text: string): Promise<void> {
    await this.gate()
    this.set(text, ['text/plain'])
  }

  async readText(): Promise<string> {
    await this.gate()
    return this.text
  }

  clear(): void {
    if (this.stalled) return
    this.text = ''
    this.formats = []
    this.shell.record('clipboard:clear')
  }

  /** Driver: the user copies something of their own in another app. */
  userCopies(text: string): void {
    this.text = text
    this.formats = ['text/plain']
    this.shell.record('clipboard:user-copy')
  }

  /** Driver: the OS clipboard stops answering (a hung clipboard manager); nothing settles. */
  stall(): void {
    this.stalled = true
  }

  private set(text: string, formats: string[]): void {
    this.text = text
    this.formats = formats
    this.shell.record('clipboard:write')
  }

  private gate(): Promise<void> {
    return this.stalled ? new Promise<void>(() => undefined) : Promise.resolve()
  }
}
