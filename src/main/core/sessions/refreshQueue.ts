/**
 * Bounded concurrency for background refreshes, with a fast lane. A thousand sessions due at
 * once used to start a thousand TLS connects together and a quarter of them timed out; now at
 * most `limit()` background refreshes run, in the order they were queued. Work a person is
 * waiting for (a copy, a terminal's `tokendeck token`, exec) never queues: it starts at once,
 * and a background refresh of the same cluster still waiting is promoted to start now.
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
  private running = 0
  private readonly waiting: Waiting[] = []

  constructor(private readonly limit: () => number) {}

  /** Runs `work` now (user) or when a background slot is free (background). */
  run<T>(key: string, priority: RefreshPriority, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (lane: Lane) => {
        this.running++
        runInLane(lane, work)
          .then(resolve, reject)
          .finally(() => {
            this.running--
            this.next()
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

  /** Background jobs not started yet. */
  get queued(): number {
    return this.waiting.length
  }

  private next(): void {
    while (this.running < Math.max(1, this.limit()) && this.waiting.length > 0) {
      this.waiting.shift()!.start('background')
    }
  }
}
