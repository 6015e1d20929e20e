/**
 * When is a stored credential "expiring soon"? Settings give two thresholds: `days` for long-lived
 * credentials (WEKA refresh tokens, long-lived tokens) and `hours` for short ones (Swarm's 24 h
 * tokens, Qumulo's session). The rule, shared by the tray and the notifications:
 *
 *   - a credential whose total lifetime is under 48 h is short-lived → warn `hours` ahead;
 *     otherwise → warn `days` ahead;
 *   - a threshold of 0 turns that warning off.
 *
 * The core does not learn when a credential was issued, so its lifetime is measured by the
 * LifetimeTracker below: expiresAt − the first moment Tokendeck saw that expiry. That is exact
 * for credentials issued while Tokendeck runs (sign-in, every WEKA refresh, and the refresh each
 * stored credential gets at start) and a lower bound for one seen mid-life (a resumed Qumulo or
 * Swarm session): a lower bound can only pick `hours` where `days` was due — a later warning,
 * never a false alarm. Without any lifetime, the time left now is used as that lower bound.
 */
import type { Settings } from '../../../shared/model'

export const HOUR_MS = 3_600_000
export const DAY_MS = 24 * HOUR_MS
/** Credentials living less than this are short-lived: warned about `hours` (not `days`) ahead. */
export const SHORT_LIVED_MS = 48 * HOUR_MS

/** How long before expiry the user is warned about a credential of this lifetime (0 = never). */
export function expiryWarningMs(
  settings: Pick<Settings, 'expiryWarning'>,
  lifetimeMs: number,
): number {
  return lifetimeMs < SHORT_LIVED_MS
    ? settings.expiryWarning.hours * HOUR_MS
    : settings.expiryWarning.days * DAY_MS
}

/** Whether a credential expiring at `expiresAt` is inside its warning window at `now` (and not yet dead). */
export function isExpiringSoon(
  settings: Pick<Settings, 'expiryWarning'>,
  expiresAt: number,
  now: number,
  lifetimeMs: number = expiresAt - now,
): boolean {
  const left = expiresAt - now
  if (left <= 0) return false
  const warnMs = expiryWarningMs(settings, Math.max(lifetimeMs, left))
  return warnMs > 0 && left <= warnMs
}

/** "3 days", "5 hours", "45 minutes": how long is left, for tooltips and notices. */
export function formatTimeLeft(ms: number): string {
  if (ms >= 2 * DAY_MS) return plural(Math.floor(ms / DAY_MS), 'day')
  if (ms >= 2 * HOUR_MS) return plural(Math.floor(ms / HOUR_MS), 'hour')
  if (ms >= HOUR_MS) {
    const minutes = Math.floor((ms - HOUR_MS) / 60_000)
    return minutes ? `1 hour ${plural(minutes, 'minute')}` : '1 hour'
  }
  return plural(Math.max(1, Math.ceil(ms / 60_000)), 'minute')
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`
}

/** Measures each stored credential's lifetime as expiresAt − when its expiry was first seen. */
export class LifetimeTracker {
  private readonly seen = new Map<string, { expiresAt: number; firstSeenAt: number }>()

  /** The lifetime of the cluster's current stored credential, or undefined if it has none. */
  observe(clusterId: string, expiresAt: number | undefined, now: number): number | undefined {
    if (expiresAt === undefined) {
      this.seen.delete(clusterId)
      return undefined
    }
    let entry = this.seen.get(clusterId)
    if (!entry || entry.expiresAt !== expiresAt) {
      entry = { expiresAt, firstSeenAt: now }
      this.seen.set(clusterId, entry)
    }
    return expiresAt - entry.firstSeenAt
  }

  forget(clusterId: string): void {
    this.seen.delete(clusterId)
  }
}
