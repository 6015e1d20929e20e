/**
 * Copy requests during a refresh storm: every `everyMs`, a copy of a cluster picked at random,
 * timed from the call to its answer (what a person waits for after the click reached main).
 *
 * Requests are issued on a fixed schedule (t0, t0 + everyMs, …), not "one after the other": a
 * slow answer does not delay the next request. If the event loop was blocked past one or more
 * scheduled moments, the missed requests are issued as soon as it runs again, and each is also
 * timed from its scheduled moment (`sinceScheduledMs`), so time spent waiting for the event loop
 * is not hidden (no coordinated omission). The requests are split by phase: the phase is
 * whatever `phase()` says when the request is issued.
 */
import { round, summarize, type Summary } from './stats'

export interface StormCopy {
  phase: string
  /** When it was issued, ms after the storm started. */
  issuedAtMs: number
  /** Call → answer, ms. */
  ms: number
  /** Scheduled moment → answer, ms (≥ ms: adds the wait for the event loop before the call). */
  sinceScheduledMs: number
  /** The session had no fresh access token when asked: the copy waited for a refresh. */
  waited: boolean
  ok: boolean
  code?: string
}

export interface StormOptions {
  ids: readonly string[]
  everyMs: number
  random: () => number
  /** Copies the cluster's access token; resolves with an error code when it failed. */
  copy: (clusterId: string) => Promise<string | undefined>
  /** Whether the cluster's session holds a fresh access token right now. */
  isFresh: (clusterId: string) => boolean
  /** The phase a request issued now belongs to (e.g. 'refreshing', 'writing'). */
  phase: () => string
  now?: () => number
}

export interface CopyStorm {
  /** Stops issuing, waits for every answer, returns every request in issue order. */
  stop(): Promise<StormCopy[]>
}

export function startCopyStorm(opts: StormOptions): CopyStorm {
  const now = opts.now ?? (() => performance.now())
  const t0 = now()
  const copies: StormCopy[] = []
  const answers: Array<Promise<void>> = []
  let k = 0
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined

  const issue = (scheduledAt: number) => {
    const id = opts.ids[Math.floor(opts.random() * opts.ids.length)]!
    const phase = opts.phase()
    const waited = !opts.isFresh(id)
    const t = now()
    const issuedAtMs = t - t0
    answers.push(
      opts.copy(id).then(
        (code) => {
          const end = now()
          copies.push({
            phase,
            issuedAtMs,
            ms: end - t,
            sinceScheduledMs: end - scheduledAt,
            waited,
            ok: code === undefined,
            ...(code !== undefined ? { code } : {}),
          })
        },
        (e: unknown) => {
          const end = now()
          copies.push({
            phase,
            issuedAtMs,
            ms: end - t,
            sinceScheduledMs: end - scheduledAt,
            waited,
            ok: false,
            code: e instanceof Error ? e.message : String(e),
          })
        },
      ),
    )
  }

  const loop = () => {
    if (stopped) return
    const t = now()
    while (t0 + k * opts.everyMs <= t) issue(t0 + k++ * opts.everyMs)
    timer = setTimeout(loop, Math.max(0, t0 + k * opts.everyMs - now()))
  }
  loop()

  return {
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await Promise.all(answers)
      return copies
    },
  }
}

export interface StormSummary {
  requests: number
  failed: number
  /** Requests whose session had no fresh access token yet: they waited for (or started) a refresh. */
  waitedForRefresh: number
  /** Call → answer, ms; null without requests. */
  ms: Summary | null
  /** Scheduled moment → answer, ms (includes the wait for a blocked event loop). */
  sinceScheduledMs: Summary | null
  /** Call → answer of the requests that waited for a refresh, ms. */
  waitedMs: Summary | null
  /** Call → answer of the requests served from a fresh cached token, ms. */
  cachedMs: Summary | null
  /** The first few error codes, for the failures. */
  errors: string[]
}

function rounded(s: Summary): Summary {
  return {
    n: s.n,
    min: round(s.min, 3),
    p50: round(s.p50, 3),
    p90: round(s.p90, 3),
    p99: round(s.p99, 3),
    max: round(s.max, 3),
    mean: round(s.mean, 3),
  }
}

/** Summary of the copies of one phase (or all, when `phase` is omitted). */
export function summarizeStorm(copies: readonly StormCopy[], phase?: string): StormSummary {
  const some = phase === undefined ? copies : copies.filter((c) => c.phase === phase)
  const failed = some.filter((c) => !c.ok)
  const of = (xs: readonly StormCopy[]) =>
    xs.length > 0 ? rounded(summarize(xs.map((c) => c.ms))) : null
  return {
    requests: some.length,
    failed: failed.length,
    waitedForRefresh: some.filter((c) => c.waited).length,
    ms: of(some),
    sinceScheduledMs:
      some.length > 0 ? rounded(summarize(some.map((c) => c.sinceScheduledMs))) : null,
    waitedMs: of(some.filter((c) => c.waited)),
    cachedMs: of(some.filter((c) => !c.waited)),
    errors: [...new Set(failed.map((c) => c.code ?? 'unknown'))].slice(0, 5),
  }
}
