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
 * Each job runs in its HTTP lane (../http/lane.ts): background jobs on the background
 * connections, user jobs and promoted ones on the connections kept for people.
 */
import { runInLane, type Lane } from '../http/lane'

export type RefreshPriority = 'user' | 'background'

interface Waiting {
  key: string
  start: (lane: Lane) => void
}

export class RefreshQueue {
  private backgroundRunning = 0
  private userRunning = 0
  private readonly waiting: Waiting[] = []

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
        runInLane(lane, work)
          .then(resolve, reject)
          .finally(() => {
            if (lane === 'user') this.userRunning--
            else this.backgroundRunning--
            this.next()
            if (this.busy === false) this.onIdle?.()
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

  /** Background jobs allowed to run now: fewer while a person waits for a refresh. */
  private get backgroundSlots(): number {
    const limit = Math.max(1, this.limit())
    return this.userRunning > 0 ? Math.max(1, Math.floor(limit / 4)) : limit
  }

  private next(): void {
    while (this.backgroundRunning < this.backgroundSlots && this.waiting.length > 0) {
      this.waiting.shift()!.start('background')
    }
  }
}
