/**
 * Bounded concurrency for background refreshes, with a fast lane. A thousand sessions due at
 * once used to start a thousand TLS connects together and a quarter of them timed out; now at
 * most `limit()` background refreshes run, in the order they were queued. Work a person is
 * waiting for (a copy, a terminal's `tokendeck token`, exec) never queues: it starts at once,
 * and a background refresh of the same cluster still waiting is promoted to start now.
 *
 * While a person's refresh is in flight the background queue also steps aside: it starts new
 * jobs only up to a quarter of the limit (at least one, so a script copying in a tight loop
 * slows the background down but never stops it). Every background refresh running competes
 * with the person's for the same event loop, the same server and, on a busy laptop, the same
 * core: measured with a CPU hog beside a 1,000-session storm, a copy that had to refresh waited
 * for the eight background refreshes ahead of it at the server (bench/README.md, figure 1).
 *
 * A burst also starts slowly: after the queue was idle, only RAMP_START background jobs run; each
 * one that succeeds allows one more, up to the limit (TCP's slow start: it doubles every round
 * trip), and each failure halves the allowance. Measured beside a CPU hog, the first copies of a
 * storm waited for the eight background TLS handshakes the burst opened at once before their own
 * (bench/README.md, figure 1); a server that fails under the burst is not hit at full width.
 *
 * Each job runs in its HTTP lane (../http/lane.ts): background jobs on the background
 * connections, user jobs and promoted ones on the connections kept for people.
 */
import { runInLane, type Lane } from '../http/lane'

export type RefreshPriority = 'user' | 'background'

/** Background jobs allowed when a burst starts (and the floor after failures). */
export const RAMP_START = 2

interface Waiting {
  key: string
  start: (lane: Lane) => void
}

export class RefreshQueue {
  private backgroundRunning = 0
  private userRunning = 0
  private readonly waiting: Waiting[] = []
  /** Background jobs allowed now by the ramp (see above); reset when the queue is idle. */
  private ramp = RAMP_START

  /** `onIdle`: the last background job finished and none waits (the writes may go now). */
  constructor(
    private readonly limit: () => number,
    private readonly onIdle?: () => void,
  ) {}

  /** Runs `work` now (user) or when a background slot is free (background). */
  run<T>(key: string, priority: RefreshPriority, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (lane: Lane) => {
        if (lane === 'user') this.userRunning++
        else this.backgroundRunning++
        let ok = false
        runInLane(lane, work)
          .then((v) => {
            ok = true
            resolve(v)
          }, reject)
          .finally(() => {
            if (lane === 'user') this.userRunning--
            else {
              this.backgroundRunning--
              const limit = Math.max(1, this.limit())
              this.ramp = ok
                ? Math.min(limit, this.ramp + 1)
                : Math.max(RAMP_START, Math.floor(this.ramp / 2))
            }
            this.next()
            if (this.busy === false) {
              this.ramp = RAMP_START
              this.onIdle?.()
            }
          })
      }
      if (priority === 'user') start('user')
      else {
        this.waiting.push({ key, start })
        this.next()
      }
    })
  }

  /** Starts the waiting background job of `key` now, if there is one. */
  promote(key: string): void {
    const i = this.waiting.findIndex((w) => w.key === key)
    if (i < 0) return
    const [job] = this.waiting.splice(i, 1)
    job!.start('user')
  }

  /** Refreshes running or waiting, of either lane. */
  get busy(): boolean {
    return this.backgroundRunning + this.userRunning + this.waiting.length > 0
  }

  /** Background jobs not started yet. */
  get queued(): number {
    return this.waiting.length
  }

  /** Background jobs allowed to run now: the ramp's, and fewer while a person waits for a refresh. */
  private get backgroundSlots(): number {
    const limit = Math.max(1, this.limit())
    const slots = Math.min(limit, this.ramp)
    return this.userRunning > 0 ? Math.min(slots, Math.max(1, Math.floor(limit / 4))) : slots
  }

  private next(): void {
    while (this.backgroundRunning < this.backgroundSlots && this.waiting.length > 0) {
      this.waiting.shift()!.start('background')
    }
  }
}
