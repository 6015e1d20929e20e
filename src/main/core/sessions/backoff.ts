/**
 * When to try again after a failed refresh: exponential with "equal jitter" (half fixed, half
 * random) so many clusters failing together do not retry in lockstep, never sooner than the
 * server's Retry-After.
 */
export interface BackoffPolicy {
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000 }

export function nextRetryAt(
  now: number,
  failures: number,
  policy: BackoffPolicy,
  random: () => number,
  serverRetryAt?: number,
): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1))
  const delay = exp / 2 + random() * (exp / 2)
  const at = now + Math.round(delay)
  return serverRetryAt !== undefined && serverRetryAt > at ? serverRetryAt : at
}
