/**
 * Doubles of the core's ports for the browser tests: clipboard timers the test moves by hand,
 * and the desktop's file picker played by the test.
 */
import type { Timers } from '../../src/main/core/clipboard/clipboardService'
import type { FilePicker } from '../../src/main/core/files/filePicker'

/** Clipboard timers that fire only when the test says time has passed. */
export class ManualTimers implements Timers {
  private next = 1
  readonly due = new Map<number, { ms: number; fn: () => void }>()
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++
    this.due.set(id, { ms, fn })
    return id
  }
  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number)
  }
  /** Runs every timer due within `ms`. */
  pass(ms: number): void {
    for (const [id, t] of [...this.due]) {
      if (t.ms > ms) continue
      this.due.delete(id)
      t.fn()
    }
  }
}

/** The desktop's file picker, played by the test: answers with the next queued path. */
export class PickerDouble implements FilePicker {
  readonly answers: Array<string | undefined> = []
  calls = 0
  pickCaFile(): Promise<string | undefined> {
    this.calls += 1
    return Promise.resolve(this.answers.shift())
  }
  pickCatalogue(): Promise<string | undefined> {
    this.calls += 1
    return Promise.resolve(this.answers.shift())
  }
}
