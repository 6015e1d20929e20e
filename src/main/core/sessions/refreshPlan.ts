/**
 * When a session is refreshed: the scheduler's pure decisions (sessionManager.ts acts on them).
 */
import type { SessionData } from './session'
import { accessValid } from './session'

export interface DueInput {
  now: number
  /** A gap much longer than the tick interval: the machine slept, check everything at once. */
  woke: boolean
  /** WEKA refreshes access tokens; Qumulo and Swarm only check their stored credential. */
  refreshesAccessTokens: boolean
  marginMs: number
  /** Qumulo and Swarm: how often the stored credential is checked with the server. */
  checkIntervalMs: number
}

/** Whether a scheduler pass refreshes (or checks) this session now. */
export function isDue(d: SessionData, input: DueInput): boolean {
  const s = d.state
  if (
    s.state === 'untrusted' ||
    s.state === 'signed-out' ||
    s.state === 'signing-in' ||
    s.state === 'locked'
  )
    return false
  if (s.state === 'failed') return s.retryAt !== undefined && s.retryAt <= input.now
  if (input.woke) return true
  if (input.refreshesAccessTokens)
    return (
      !accessValid(d, input.now, input.marginMs) ||
      (d.refreshAt !== undefined && input.now >= d.refreshAt)
    )
  return d.checkedAt === undefined || input.now - d.checkedAt >= input.checkIntervalMs
}

/**
 * When to refresh a token expiring at `expiresAt`: somewhere in the window of one refresh margin
 * before the margin, at random, so sessions signed in together (or resumed together) drift apart
 * instead of all coming due in the same tick.
 */
export function refreshMoment(
  expiresAt: number | undefined,
  now: number,
  marginMs: number,
  random: () => number,
): number | undefined {
  if (expiresAt === undefined) return undefined
  const latest = expiresAt - marginMs
  const window = Math.min(marginMs, Math.max(0, latest - now))
  return latest - random() * window
}
