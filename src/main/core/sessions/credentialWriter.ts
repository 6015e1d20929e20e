/**
 * Write-behind for rotated credentials. A refresh used to count as done only once the keychain
 * had stored the new refresh token, and gnome-keyring rewrites its whole file on every write:
 * a pass over a thousand sessions took 15× the network time. Now the access token is usable as
 * soon as the server answered, and the new refresh token is written here: per cluster, the
 * latest value wins (an older one still waiting is dropped), at most `writers` at a time.
 *
 * The cost is a window between the server's answer and the write in which a crash loses the
 * newest refresh token (the keychain still holds the previous one; where refresh tokens are
 * single-use the next start then finds it spent and signs out). `windowsMs` records that window
 * for the bench; close() and quit flush, and sign-out cancels a pending write so it can never
 * bring a credential back.
 *
 * While a refresh storm runs (`busy()`), writes step aside for up to `maxDeferMs`: the keychain
 * daemon (gnome-keyring rewrites its file per write) and the D-Bus traffic take the same cores
 * the refreshes need, so writing during the storm delayed every session's fresh access token
 * (bench/README.md, figure 1: keychain vs memory store). The storm's end (`resume()`) or the
 * deadline, whichever is first, starts them; the crash window grows by at most that deadline.
 * The deadline is 5 s: a 1,000-session pass takes 2–3.5 s on our 2-core machine, and with 2 s
 * the daemon took the cores for the pass's last second whenever the pass ran long (bench of
 * 2026-12-01: keychain ÷ bare loop 1.37, memory 1.08). The last of a storm's writes barely moves
 * (the daemon stores one token at a time either way, ~70 ms each here); the earliest ones wait
 * at most those 5 s longer.
 */
import { isTokendeckError, TokendeckError } from '../../../shared/errors'
import type { SecretStore, StoredCredential } from '../secrets'

export interface CredentialWriterOptions {
  store: SecretStore
  writers?: number
  now: () => number
  /** A write failed (error) or, after failing, succeeded (undefined). */
  onResult: (clusterId: string, error: TokendeckError | undefined) => void
  /** Refreshes are running or waiting: writes wait (see above) unless they waited maxDeferMs. */
  busy?: () => boolean
  /** The longest a write steps aside for a busy engine, in real time (default 5,000 ms). */
  maxDeferMs?: number
}

interface Pending {
  credential: StoredCredential
  /** When the server handed it out: the start of the crash window. */
  since: number
  /** performance.now() when queued: the deferral deadline counts real time, not the clock. */
  queuedAt: number
}

export class CredentialWriter {
  /** In the order queued (a newer value moves its cluster to the end): oldest deadline first. */
  private readonly pending = new Map<string, Pending>()
  private readonly failed = new Map<string, Pending>()
  private readonly writing = new Map<string, Promise<void>>()
  private idleWaiters: Array<() => void> = []
  private deferTimer: ReturnType<typeof setTimeout> | undefined
  /** Server answer → stored, ms, for the most recent writes (bounded). */
  readonly windowsMs: number[] = []

  constructor(private readonly opts: CredentialWriterOptions) {}

  /** Store this credential soon; a newer one for the same cluster replaces it if still waiting. */
  enqueue(clusterId: string, credential: StoredCredential): void {
    this.failed.delete(clusterId)
    this.pending.delete(clusterId)
    this.pending.set(clusterId, { credential, since: this.opts.now(), queuedAt: performance.now() })
    this.pump()
  }

  /** Drop what is waiting for this cluster (sign-out, removal): it must never be written. */
  async cancel(clusterId: string): Promise<void> {
    this.pending.delete(clusterId)
    this.failed.delete(clusterId)
    await this.writing.get(clusterId)?.catch(() => undefined)
  }

  /** Try the writes that failed again (the scheduler calls this on its tick). */
  retryFailed(): void {
    const queuedAt = performance.now()
    for (const [id, p] of this.failed)
      if (!this.pending.has(id)) this.pending.set(id, { ...p, queuedAt })
    this.failed.clear()
    this.pump()
  }

  /** Resolves when every write queued so far has been tried (close and quit). */
  flush(): Promise<void> {
    if (this.pending.size === 0 && this.writing.size === 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve)
      this.pump() // someone waits for the writes (close, quit): none steps aside any more
    })
  }

  /** The engine is no longer busy: start the writes that stepped aside. */
  resume(): void {
    this.pump()
  }

  /** Whether the newest credential of this cluster is not in the keychain yet. */
  isPending(clusterId: string): boolean {
    return this.pending.has(clusterId) || this.writing.has(clusterId) || this.failed.has(clusterId)
  }

  private pump(): void {
    const writers = this.opts.writers ?? 4
    const busy = this.idleWaiters.length === 0 && (this.opts.busy?.() ?? false)
    const maxDeferMs = this.opts.maxDeferMs ?? 5000
    const now = performance.now()
    let nextDeadline = Infinity
    for (const [id, p] of this.pending) {
      if (this.writing.size >= writers) break
      if (this.writing.has(id)) continue // its next value waits for this write to finish
      if (busy && now - p.queuedAt < maxDeferMs) {
        // Every later entry was queued later: none of them is due either. (Scanning them all on
        // every enqueue made a 1,000-session storm quadratic.)
        nextDeadline = p.queuedAt + maxDeferMs
        break
      }
      this.pending.delete(id)
      const write = this.write(id, p).finally(() => {
        this.writing.delete(id)
        this.pump()
        if (this.pending.size === 0 && this.writing.size === 0) {
          const waiters = this.idleWaiters
          this.idleWaiters = []
          for (const w of waiters) w()
        }
      })
      this.writing.set(id, write)
    }
    if (nextDeadline !== Infinity && this.deferTimer === undefined) {
      this.deferTimer = setTimeout(
        () => {
          this.deferTimer = undefined
          this.pump()
        },
        Math.max(0, nextDeadline - now),
      )
      this.deferTimer.unref?.()
    }
  }

  private async write(clusterId: string, p: Pending): Promise<void> {
    try {
      await this.opts.store.setCredential(clusterId, p.credential)
      this.windowsMs.push(this.opts.now() - p.since)
      if (this.windowsMs.length > 10_000) this.windowsMs.splice(0, this.windowsMs.length - 10_000)
      this.opts.onResult(clusterId, undefined)
    } catch (e) {
      // Keep it for a retry unless something newer (or a sign-out) came meanwhile.
      if (!this.pending.has(clusterId)) this.failed.set(clusterId, p)
      this.opts.onResult(
        clusterId,
        isTokendeckError(e)
          ? e
          : new TokendeckError('KEYCHAIN_UNAVAILABLE', 'The keychain could not store the session.'),
      )
    }
  }
}
