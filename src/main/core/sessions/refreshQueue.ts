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
 * A scheduler pass hands its due sessions over as one batch (runAll): a key and a shared record
 * per session, no promise or closure each. Measured beside a CPU hog, queueing a thousand
 * sessions one promise chain each held the event loop for 30–45 ms and left enough young
 * objects behind to bring on a long garbage collection just as the storm's first copies came
 * (bench/README.md, figure 1).
 *
 * Each job runs in its HTTP lane (../http/lane.ts): background jobs on the background
 * connections, user jobs and promoted ones on the connections kept for people.
 */
import { runInLane, type Lane } from '../http/lane'

export type RefreshPriority = 'user' | 'background'

/** Background jobs allowed when a burst starts (and the floor after failures). */
export const RAMP_START = 2

/** One job queued by run(). */
interface Job {
  /** `followers`: whenDone() callers to answer once this job has run. */
  start(lane: Lane, followers?: Array<() => void>): void
}

/** The keys of one runAll(): one record shared by all of them. */
class Batch {
  private left = 0
  private resolveAll: (() => void) | undefined
  readonly whenAllDone = new Promise<void>((resolve) => (this.resolveAll = resolve))

  constructor(readonly work: (key: string) => Promise<unknown>) {}

  add(n = 1): void {
    this.left += n
  }

  finish(): void {
    if (--this.left === 0) this.resolveAll?.()
  }
}

export class RefreshQueue {
  private backgroundRunning = 0
  /** Background jobs waiting for an earlier entry of their key to leave the queue (run()). */
  private deferred = 0
  private userRunning = 0
  /** Keys waiting for a background slot, in the order queued (a Map: O(1) to take one out). */
  private readonly waiting = new Map<string, Job | Batch>()
  /**
   * Callers waiting for the entry of a queued key to be done (whenDone); rare, so kept apart.
   * They move to that entry's job when it starts.
   */
  private readonly followers = new Map<string, Array<() => void>>()
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
      const job: Job = {
        start: (lane, followers) => {
          this.launch(lane, work, followers).then(resolve, reject)
        },
      }
      const queue = () => {
        // One entry per key: a job for a key that already waits queues once that one has run.
        // Counted meanwhile, so the queue is not idle in the moment between the two.
        if (this.waiting.has(key)) {
          this.deferred++
          return void this.whenDone(key).then(() => {
            this.deferred--
            queue()
          })
        }
        this.waiting.set(key, job)
        this.next()
      }
      if (priority === 'user') job.start('user')
      else queue()
    })
  }

  /**
   * Queues every key for `work` in the background, in order, and resolves once each has run
   * (failures included: a batch does not fail). A key already waiting is not queued twice; the
   * batch waits for it where it is.
   */
  runAll(keys: readonly string[], work: (key: string) => Promise<unknown>): Promise<void> {
    const batch = new Batch(work)
    const elsewhere: Array<Promise<void>> = []
    batch.add() // held until every key is queued, so an early finish cannot resolve it
    for (const key of keys) {
      if (this.waiting.has(key)) elsewhere.push(this.whenDone(key))
      else {
        batch.add()
        this.waiting.set(key, batch)
      }
    }
    batch.finish()
    this.next()
    return elsewhere.length === 0
      ? batch.whenAllDone
      : Promise.all([batch.whenAllDone, ...elsewhere]).then(() => undefined)
  }

  /** Starts the waiting job of `key` now, in the people's lane; false when none waits. */
  promote(key: string): boolean {
    const entry = this.waiting.get(key)
    if (!entry) return false
    this.waiting.delete(key)
    this.startEntry(key, entry, 'user')
    return true
  }

  /** Whether `key` waits for a background slot. */
  isWaiting(key: string): boolean {
    return this.waiting.has(key)
  }

  /** Resolves once the waiting job of `key` has run, however it ended. */
  whenDone(key: string): Promise<void> {
    if (!this.waiting.has(key)) return Promise.resolve()
    return new Promise((resolve) => {
      const list = this.followers.get(key)
      if (list) list.push(resolve)
      else this.followers.set(key, [resolve])
    })
  }

  /** Refreshes running or waiting, of either lane. */
  get busy(): boolean {
    return this.backgroundRunning + this.userRunning + this.waiting.size + this.deferred > 0
  }

  /** Background jobs not started yet. */
  get queued(): number {
    return this.waiting.size
  }

  /** Background jobs allowed to run now: the ramp's, and fewer while a person waits for a refresh. */
  private get backgroundSlots(): number {
    const limit = Math.max(1, this.limit())
    const slots = Math.min(limit, this.ramp)
    return this.userRunning > 0 ? Math.min(slots, Math.max(1, Math.floor(limit / 4))) : slots
  }

  private next(): void {
    while (this.backgroundRunning < this.backgroundSlots && this.waiting.size > 0) {
      const [key, entry] = this.waiting.entries().next().value as [string, Job | Batch]
      this.waiting.delete(key)
      this.startEntry(key, entry, 'background')
    }
  }

  private startEntry(key: string, entry: Job | Batch, lane: Lane): void {
    // Those waiting for this entry follow it out of the queue: another job of the same key that
    // ends meanwhile (a person's refresh already running) must not answer them.
    const followers = this.followers.get(key)
    this.followers.delete(key)
    if (entry instanceof Batch) {
      const batch = entry
      void this.launch(lane, () => batch.work(key), followers).then(
        () => batch.finish(),
        () => batch.finish(),
      )
    } else entry.start(lane, followers)
  }

  /** Runs one job in `lane`, counting it against the lane's slots; the ramp learns from it. */
  private launch<T>(lane: Lane, work: () => Promise<T>, followers?: Array<() => void>): Promise<T> {
    if (lane === 'user') this.userRunning++
    else this.backgroundRunning++
    let ok = false
    let started: Promise<T>
    try {
      started = runInLane(lane, work)
    } catch (e) {
      // A job that throws before its first await fails alone; its slot is given back below.
      started = Promise.reject(e)
    }
    return started
      .then((v) => {
        ok = true
        return v
      })
      .finally(() => {
        if (lane === 'user') this.userRunning--
        else {
          this.backgroundRunning--
          const limit = Math.max(1, this.limit())
          this.ramp = ok
            ? Math.min(limit, this.ramp + 1)
            : Math.max(RAMP_START, Math.floor(this.ramp / 2))
        }
        if (followers) for (const f of followers) f()
        this.next()
        if (this.busy === false) {
          this.ramp = RAMP_START
          this.onIdle?.()
        }
      })
  }
}
