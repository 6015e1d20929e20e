/**
 * Copy with a deadline. The OS clipboard sits behind a port (Electron's clipboard in the app, an
 * in-memory one in tests); this service decides when to clear and clears only if the clipboard
 * still holds what Tokendeck put there, so it never wipes something the user copied since.
 */
import type { AuditPort } from '../audit'

export interface ClipboardPort {
  /** `sensitive` asks the platform to keep the value out of clipboard history and managers. */
  writeText(text: string, options: { sensitive: boolean }): void
  readText(): string
  clear(): void
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const h = setTimeout(fn, ms)
    h.unref?.()
    return h
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

/**
 * A secret shown once (a new token, an S3 key) is lost for good if the clipboard drops it before
 * the user has pasted it somewhere safe; so after its dialog closes it stays at least this long.
 */
export const ONE_TIME_MIN_SECONDS = 120

export class ClipboardService {
  private pending: { value: string; handle: unknown } | undefined
  /** A one-time secret copied from its dialog, held (no timer) until that dialog closes. */
  private held: string | undefined
  /** What Tokendeck last put on the clipboard and has not cleared: quitting clears it. */
  private copied: string | undefined

  constructor(
    private readonly port: ClipboardPort,
    /** Seconds until the copy is cleared; 0 = never (read at each copy, from settings). */
    private readonly clearSeconds: () => number,
    private readonly timers: Timers = realTimers,
    /**
     * Whether quitting clears a value Tokendeck copied (settings `clipboardClearOnQuit`, default
     * on). Independent of the delay: "never clear after a delay" still clears on quit.
     */
    private readonly clearOnQuit: () => boolean = () => true,
    /** Records each copy: what it was and of which cluster, never the value (core/audit). */
    private readonly audit?: AuditPort,
  ) {}

  /** Copies `value` and returns after how many seconds it will be cleared (0 = never). */
  copy(value: string, about?: { what: string; clusterId?: string }): { clearsInSeconds: number } {
    this.cancelPending()
    this.held = undefined
    this.port.writeText(value, { sensitive: true })
    this.audit?.record({ event: 'copy', what: about?.what ?? 'text', to: 'clipboard', ...about })
    this.copied = value
    const seconds = this.clearSeconds()
    if (seconds > 0) {
      const handle = this.timers.setTimeout(() => this.clearIfUnchanged(value), seconds * 1000)
      this.pending = { value, handle }
    }
    return { clearsInSeconds: seconds }
  }

  /**
   * Copies a secret shown only once. It is not cleared while its dialog is open; once the
   * dialog closes (`releaseOneTime`) it is cleared after the delay setting or ONE_TIME_MIN_SECONDS,
   * whichever is longer (never, if the setting is "never"). Quitting clears it as any copy.
   * Returns that after-close delay.
   */
  copyOneTime(
    value: string,
    about?: { what: string; clusterId?: string },
  ): { clearsInSeconds: number } {
    this.cancelPending()
    this.port.writeText(value, { sensitive: true })
    this.audit?.record({
      event: 'copy',
      what: about?.what ?? 'shown-secret',
      to: 'clipboard',
      ...about,
    })
    this.copied = value
    this.held = value
    return { clearsInSeconds: this.oneTimeSeconds() }
  }

  /** The shown-once dialog closed: start the (longer) countdown of what it copied, if still ours. */
  releaseOneTime(): { clearsInSeconds: number } {
    const value = this.held
    this.held = undefined
    const seconds = this.oneTimeSeconds()
    if (value === undefined || this.copied !== value || this.pending !== undefined)
      return { clearsInSeconds: seconds }
    if (seconds > 0) {
      const handle = this.timers.setTimeout(() => this.clearIfUnchanged(value), seconds * 1000)
      this.pending = { value, handle }
    }
    return { clearsInSeconds: seconds }
  }

  private oneTimeSeconds(): number {
    const seconds = this.clearSeconds()
    return seconds > 0 ? Math.max(seconds, ONE_TIME_MIN_SECONDS) : 0
  }

  /**
   * On quit: a token copied by Tokendeck must not outlive it on the clipboard — whatever the
   * clear delay, even "never" — unless the user turned clearing on quit off.
   */
  clearNow(): void {
    const value = this.copied
    this.cancelPending()
    this.copied = undefined
    this.held = undefined
    if (value === undefined) return
    let clear = true
    try {
      clear = this.clearOnQuit()
    } catch {
      // A setting that cannot be read must not leave a token behind.
    }
    if (clear && this.port.readText() === value) this.port.clear()
  }

  /**
   * The screen locked or the machine sleeps: a value Tokendeck copied is cleared now, if the
   * clipboard still holds it, whatever the delay and quit settings say.
   */
  clearOurs(): void {
    const value = this.copied
    if (value === undefined) return
    this.clearIfUnchanged(value)
    this.cancelPending()
  }

  private clearIfUnchanged(value: string): void {
    if (this.pending?.value === value) this.pending = undefined
    if (this.copied === value) this.copied = undefined
    if (this.port.readText() === value) this.port.clear()
  }

  private cancelPending(): void {
    if (this.pending) this.timers.clearTimeout(this.pending.handle)
    this.pending = undefined
  }
}

/** A clipboard that lives in memory: the CLI has no clipboard, tests watch this one. */
export class MemoryClipboard implements ClipboardPort {
  text = ''
  sensitiveWrites = 0
  writeText(text: string, options: { sensitive: boolean }): void {
    this.text = text
    if (options.sensitive) this.sensitiveWrites += 1
  }
  readText(): string {
    return this.text
  }
  clear(): void {
    this.text = ''
  }
}
