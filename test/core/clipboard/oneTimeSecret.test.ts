/**
 * A secret shown once cannot be copied again: copied from its dialog, it stays on the clipboard
 * while the dialog is open, and after it closes for max(delay setting, 2 min). Driven with
 * injected timers: nothing waits for real time.
 */
import { describe, expect, it } from 'vitest'
import {
  ClipboardService,
  MemoryClipboard,
  ONE_TIME_MIN_SECONDS,
  type Timers,
} from '../../../src/main/core/clipboard/clipboardService'

/** Timers that fire only when the test moves the clock. */
class ManualTimers implements Timers {
  now = 0
  private next = 1
  private readonly due = new Map<number, { at: number; fn: () => void }>()
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++
    this.due.set(id, { at: this.now + ms, fn })
    return id
  }
  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number)
  }
  advance(ms: number): void {
    this.now += ms
    for (const [id, t] of [...this.due].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at > this.now) continue
      this.due.delete(id)
      t.fn()
    }
  }
  pending(): number {
    return this.due.size
  }
}

function setup(delaySeconds: number) {
  const board = new MemoryClipboard()
  const timers = new ManualTimers()
  const svc = new ClipboardService(board, () => delaySeconds, timers)
  return { board, timers, svc }
}

describe('a one-time secret on the clipboard', () => {
  it('is kept while its dialog is open, however long, then for at least 2 minutes', () => {
    const { board, timers, svc } = setup(20)
    expect(svc.copyOneTime('s3-secret-once')).toEqual({ clearsInSeconds: ONE_TIME_MIN_SECONDS })
    expect(ONE_TIME_MIN_SECONDS).toBe(120)
    // An hour with the dialog open: nothing clears it (a plain copy would be gone after 20 s).
    timers.advance(3600_000)
    expect(board.readText()).toBe('s3-secret-once')
    expect(timers.pending()).toBe(0)

    expect(svc.releaseOneTime()).toEqual({ clearsInSeconds: 120 })
    timers.advance(119_000)
    expect(board.readText()).toBe('s3-secret-once')
    timers.advance(1_000)
    expect(board.readText()).toBe('')
  })

  it('a delay setting longer than 2 minutes is kept; "never" stays never', () => {
    const long = setup(300)
    expect(long.svc.copyOneTime('token-once').clearsInSeconds).toBe(300)
    long.svc.releaseOneTime()
    long.timers.advance(299_000)
    expect(long.board.readText()).toBe('token-once')
    long.timers.advance(1_000)
    expect(long.board.readText()).toBe('')

    const never = setup(0)
    expect(never.svc.copyOneTime('token-kept').clearsInSeconds).toBe(0)
    expect(never.svc.releaseOneTime().clearsInSeconds).toBe(0)
    never.timers.advance(86_400_000)
    expect(never.board.readText()).toBe('token-kept')
  })

  it('something the user copied meanwhile is never wiped; a later plain copy has the normal delay', () => {
    const { board, timers, svc } = setup(20)
    svc.copyOneTime('secret-once')
    board.writeText('the user copied this', { sensitive: false })
    svc.releaseOneTime()
    timers.advance(600_000)
    expect(board.readText()).toBe('the user copied this')

    svc.copyOneTime('secret-two')
    svc.copy('access-token')
    // The plain copy replaced the held secret: closing the dialog changes nothing about it.
    svc.releaseOneTime()
    timers.advance(20_000)
    expect(board.readText()).toBe('')
  })

  it('quitting clears it even while its dialog is open', () => {
    const { board, svc } = setup(20)
    svc.copyOneTime('secret-at-quit')
    svc.clearNow()
    expect(board.readText()).toBe('')
  })
})
