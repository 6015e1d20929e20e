/** Words for times, durations, session states and errors: one place so every view says the same. */
import type { Capabilities, ErrorInfo, SessionState } from '../../shared/model'

/** The vendor's display name ("WEKA"), from the vendor table. */
export { vendorName } from '../../shared/vendors'

/**
 * Time left, the one way every view says it: the largest unit and, when `precise`, the next one
 * ("3 d 4 h", "9 h 59 min", "4 min 59 s", "42 s"); otherwise one rounded unit ("3 days", "2 h",
 * "5 min"). Never a clock-style "4:59" beside a "9 h 59 min".
 */
export function formatTimeLeft(ms: number, options: { precise?: boolean } = {}): string {
  const s = Math.max(0, options.precise ? Math.floor(ms / 1000) : Math.round(ms / 1000))
  if (!options.precise) {
    if (s < 60) return `${s} s`
    if (s < 3600) return `${Math.round(s / 60)} min`
    if (s < 2 * 86_400) return `${Math.round(s / 3600)} h`
    // Sentences say "3 days" (as they always did; other views' words rely on it).
    return `${Math.round(s / 86_400)} days`
  }
  const d = Math.floor(s / 86_400)
  const h = Math.floor((s % 86_400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  if (d >= 2) return `${d} d ${h} h`
  if (s >= 3600) return `${d * 24 + h} h ${m} min`
  if (s >= 60) return `${m} min ${sec} s`
  return `${sec} s`
}

/** A countdown that stays short and ticks: "3 d 4 h", "9 h 59 min", "4 min 59 s"; "expired" at 0. */
export function formatCountdown(ms: number): string {
  return ms <= 0 ? 'expired' : formatTimeLeft(ms, { precise: true })
}

/** "5 min", "2 h", "3 days" — for sentences ("expiring in …"). */
export function formatDuration(ms: number): string {
  return formatTimeLeft(ms)
}

/** "1 token", "3 tokens": a count with its noun, singular for one. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? singular : pluralForm}`
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })

/** Local date and time; today's times without the date. */
export function formatDateTime(ms: number | undefined, now = Date.now()): string {
  if (ms === undefined) return '—'
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString()
  return sameDay ? timeOnly.format(ms) : dateTime.format(ms)
}

export function formatDate(ms: number | undefined): string {
  return ms === undefined ? '—' : dateTime.format(ms)
}

/** A headline for an error code; the message from main says what to do. */
export function errorHeadline(info: ErrorInfo): string {
  switch (info.code) {
    case 'BAD_CREDENTIALS':
      return 'Wrong username or password'
    case 'ACCOUNT_LOCKED':
      return info.retryAt
        ? `Account locked until ${formatDateTime(info.retryAt)}`
        : 'Account locked'
    case 'PASSWORD_CHANGE_REQUIRED':
      return 'The cluster requires a password change'
    case 'FORBIDDEN':
      return 'Privilege missing'
    case 'REFRESH_EXPIRED':
      return 'Session expired: sign in again'
    case 'TOKEN_LIMIT':
      return 'Token limit reached'
    case 'NOT_FOUND':
      return 'Not found'
    case 'TLS_PIN_MISMATCH':
      return 'Certificate changed'
    case 'TLS_UNTRUSTED':
      return 'Certificate not trusted'
    case 'UNREACHABLE':
      return 'Cluster unreachable'
    case 'TIMEOUT':
      return 'The cluster did not answer in time'
    case 'SERVER_ERROR':
      return 'The cluster reported an error'
    case 'BAD_RESPONSE':
      return 'Unexpected answer from the cluster'
    case 'KEYCHAIN_UNAVAILABLE':
      return 'System keychain unavailable'
    case 'INVALID_INPUT':
      return 'Check the input'
    case 'CONFIG_CORRUPT':
      return 'Cluster list could not be loaded'
    case 'NOT_SIGNED_IN':
      return 'Not signed in'
    case 'UNSUPPORTED':
      return 'Not supported by this cluster'
    case 'CONFIRMATION_REQUIRED':
      return 'Needs your confirmation'
    case 'BUSY':
      return 'Already in progress'
    default:
      return 'Something went wrong'
  }
}

/** Headline and message, without repeating the headline when the message already says it. */
export function errorWords(info: ErrorInfo): string {
  const head = errorHeadline(info)
  return info.message && info.message !== head ? `${head}: ${info.message}` : head
}

export type Tone = 'ok' | 'warn' | 'error' | 'muted' | 'busy'

export interface StatusWords {
  text: string
  tone: Tone
  detail?: string
}

/**
 * The session in words. "Expiring in …" is only said for sessions that cannot refresh themselves
 * (for those that can, a short access-token lifetime is normal and renewed in the background).
 */
export function statusWords(
  session: SessionState,
  capabilities: Pick<Capabilities, 'refreshesAccessTokens'>,
  now: number,
  warnMs = 2 * 3600_000,
): StatusWords {
  switch (session.state) {
    case 'signed-out':
      return session.reason
        ? { text: 'Signed out', tone: 'muted', detail: errorWords(session.reason) }
        : { text: 'Signed out', tone: 'muted' }
    case 'signing-in':
      return { text: 'Signing in…', tone: 'busy' }
    case 'refreshing':
      return { text: 'Refreshing…', tone: 'busy' }
    case 'active': {
      const left = session.expiresAt !== undefined ? session.expiresAt - now : undefined
      if (left !== undefined && !capabilities.refreshesAccessTokens && left < warnMs) {
        return { text: left > 0 ? `Expiring in ${formatDuration(left)}` : 'Expired', tone: 'warn' }
      }
      return { text: 'Signed in', tone: 'ok' }
    }
    case 'expired':
      return {
        text: 'Session expired',
        tone: 'warn',
        ...(session.reason ? { detail: errorWords(session.reason) } : {}),
      }
    case 'locked':
      return { text: `Locked until ${formatDateTime(session.until, now)}`, tone: 'error' }
    case 'failed':
      return {
        text: `Error: ${errorHeadline(session.error)}`,
        tone: 'error',
        detail:
          session.error.message +
          (session.retryAt ? ` Next try at ${formatDateTime(session.retryAt, now)}.` : ''),
      }
    case 'untrusted':
      return {
        text: 'Certificate changed',
        tone: 'error',
        detail: `The cluster now presents ${session.seenSha256}.`,
      }
  }
}

export function isSignedIn(session: SessionState): boolean {
  return session.state === 'active' || session.state === 'refreshing'
}

/** When the current access token expires, if the session has one. */
export function sessionExpiresAt(session: SessionState): number | undefined {
  return session.state === 'active' || session.state === 'refreshing'
    ? session.expiresAt
    : undefined
}
