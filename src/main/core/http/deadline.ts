/**
 * One overall deadline per request. undici's own timeouts each cover one phase (and only a
 * silence within it), so a server that trickles bytes could otherwise hold a request — and a
 * single-flight refresh waiting on it — for ever. Kept apart from clusterHttp.ts so the rule
 * "no request is ever without a deadline" lives in one small place.
 */
import { DeadlineError } from './errors'

/**
 * Overall deadline for one request — connect, headers and the whole body — when the request
 * does not give its own `timeoutMs`. The per-phase timeouts only bound silences: a server
 * that sends one byte every 20 s never trips them. 45 s is longer than connect + headers (25 s),
 * so a server that is simply down still gets the more specific per-phase message first.
 */
export const DEFAULT_REQUEST_DEADLINE_MS = 45_000
/** setTimeout's ceiling; a larger delay would fire at once. */
const MAX_TIMER_MS = 2_147_483_647

/** The client-wide setting: a number, or a function read at the start of every request. */
export type DeadlineSetting = number | (() => number) | undefined

/**
 * This request's overall deadline, ms: its own `timeoutMs`, else the client's setting. Missing,
 * non-positive or non-finite values (or a setting that throws) fall back to the default.
 */
export function deadlineFor(timeoutMs: number | undefined, setting: DeadlineSetting): number {
  const own = usableDeadline(timeoutMs)
  if (own !== undefined) return own
  let configured: unknown
  try {
    configured = typeof setting === 'function' ? setting() : setting
  } catch {
    // A settings lookup that fails must not leave the request without a deadline.
    configured = undefined
  }
  return usableDeadline(configured) ?? DEFAULT_REQUEST_DEADLINE_MS
}

function usableDeadline(ms: unknown): number | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return undefined
  return Math.min(Math.ceil(ms), MAX_TIMER_MS)
}

/** A running deadline: abort `signal` is handed to undici, `passed` is raced against it. */
export interface RunningDeadline {
  signal: AbortSignal
  /** Rejects with a DeadlineError when the deadline passes; never resolves. */
  passed: Promise<never>
  /** Whether the deadline has passed: any failure after that is its doing. */
  readonly hit: boolean
  ms: number
  /** Stop the timer (the exchange finished). */
  clear(): void
}

/**
 * Start the clock. Aborting the signal destroys the socket whatever phase it is in; racing
 * `passed` makes the deadline hold even while undici is still connecting, where it only notices
 * the abort once the connection settles.
 */
export function startDeadline(ms: number): RunningDeadline {
  const controller = new AbortController()
  let hit = false
  let timer: NodeJS.Timeout | undefined
  const passed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      hit = true
      const err = new DeadlineError(ms)
      controller.abort(err)
      reject(err)
    }, ms)
  })
  // Once the headers are in nobody races this promise; its rejection is not a crash.
  passed.catch(() => undefined)
  return {
    signal: controller.signal,
    passed,
    get hit() {
      return hit
    },
    ms,
    clear: () => {
      if (timer) clearTimeout(timer)
    },
  }
}
