/**
 * WEKA's statuses and error bodies → TokendeckError. Messages are built from what we asked
 * (endpoint, host, username) and from numbers we parsed ourselves — never from a password, a
 *  token or a reply body (docs/architecture.md, "Errors are data").
 */
import {
  unexpectedStatus as genericUnexpectedStatus,
  type HttpResponse,
  type UnexpectedStatus,
} from '../../http'
import { TokendeckError } from '../../../../shared/errors'
import { ErrorBody } from './schemas'

/** docs/protocols/weka.md §2.4 DOC: accounts lock for 2 minutes by default; used when the lock text has no time we can read. */
export const DEFAULT_LOCKOUT_MS = 120_000
/**
 * The longest lock believed from a lockout text: a day (docs/protocols/weka.md §2.4 DOC: the policy allows 30 s to
 * 60 min). A longer figure is read as this, so the retry time stays a real date.
 */
export const MAX_LOCKOUT_MS = 24 * 3_600_000

const GO_UNITS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  μs: 0.001,
  ns: 0.000001,
}

/**
 * A Go `time.Duration` string ("1m55s", "45s", "2m", "2m0s", "1h0m0s", "1.5s", "300ms") in
 * milliseconds, or undefined when it is not one. docs/protocols/weka.md §2.4 CODE: the lockout text carries
 * the remaining time in this form.
 */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim()
  if (s === '0') return 0
  const part = /(\d+(?:\.\d+)?)(ms|us|µs|μs|ns|h|m|s)/y
  let ms = 0
  let i = 0
  while (i < s.length) {
    part.lastIndex = i
    const m = part.exec(s)
    if (!m) return undefined
    ms += Number(m[1]) * (GO_UNITS[m[2] ?? ''] ?? NaN)
    i = part.lastIndex
  }
  return i > 0 && Number.isFinite(ms) ? Math.ceil(ms) : undefined
}

/**
 * How long a lockout text says the account stays locked, in ms. docs/protocols/weka.md §2.4: "Authentication
 * Failed. User has been locked out for another 1m55s due to too many login attempts"; the CLI
 * says "locked out for 2 minutes" (Manila parses both). `undefined` when the text is not a
 * lockout at all; `null` when it is one but names no time we can read.
 */
export function lockoutRemaining(text: string): number | null | undefined {
  if (!/locked\s*out/i.test(text)) return undefined
  const go = /for\s+(?:another\s+)?(\d[\dhmsuµμn.]*)(?=\s|$|[,.;)])/i.exec(text)
  if (go?.[1]) {
    const ms = parseGoDuration(go[1])
    if (ms !== undefined) return ms
  }
  const words =
    /for\s+(?:another\s+)?(\d+(?:\.\d+)?)\s*(hours?|minutes?|mins?|seconds?|secs?)\b/i.exec(text)
  if (words?.[1] && words[2]) {
    const unit = words[2].toLowerCase()
    const factor = unit.startsWith('h') ? 3_600_000 : unit.startsWith('m') ? 60_000 : 1000
    return Math.ceil(Number(words[1]) * factor)
  }
  return null
}

/** The `data` text of a WEKA 4xx body, when it is JSON with a string `data` (docs/protocols/weka.md §2.4). */
export function errorText(res: HttpResponse): string | undefined {
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(res.body.toString('utf8')))
    if (!parsed.success) return undefined
    const { data, message } = parsed.data
    if (typeof data === 'string') return data
    return typeof message === 'string' ? message : undefined
  } catch {
    return undefined
  }
}

/** "1 min 55 s", "45 s", "2 h 5 min" — for messages, from a number we computed. */
export function humanDuration(ms: number): string {
  let s = Math.max(1, Math.ceil(ms / 1000))
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  const parts: string[] = []
  if (h) parts.push(`${h} h`)
  if (m) parts.push(`${m} min`)
  if (s || parts.length === 0) parts.push(`${s} s`)
  return parts.join(' ')
}

/**
 * The answer to POST /login when it is not 200 (docs/protocols/weka.md §2.4): 401 → wrong username or
 * password; 403 with the lockout text → ACCOUNT_LOCKED with retryAt; any other 403 → FORBIDDEN;
 * the rest → the http layer's generic mapping. Never retried (VendorClient.signIn).
 */
export function signInFailure(res: HttpResponse, username: string, now: number): TokendeckError {
  if (res.status === 401) {
    return new TokendeckError(
      'BAD_CREDENTIALS',
      `Sign-in to ${res.host} failed: wrong username or password (or organization). Check them and try again; WEKA locks an account after a few failed sign-ins.`,
    )
  }
  if (res.status === 403) {
    const text = errorText(res)
    const remaining = text === undefined ? undefined : lockoutRemaining(text)
    if (remaining !== undefined) {
      // docs/protocols/weka.md §2.4: the lock is counted from the server's clock; "another 1m55s" is relative, so
      // our own clock + the remaining time is when to try again.
      const ms = Math.min(remaining ?? DEFAULT_LOCKOUT_MS, MAX_LOCKOUT_MS)
      const retryAt = now + ms
      const about = remaining === null ? 'about ' : ''
      return new TokendeckError(
        'ACCOUNT_LOCKED',
        `${res.host} has locked the account "${username}" after too many failed sign-ins. Wait ${about}${humanDuration(ms)} (until ${new Date(retryAt).toISOString()}) before signing in again; every attempt while locked may keep the lock alive.`,
        { retryAt },
      )
    }
    return new TokendeckError(
      'FORBIDDEN',
      `${res.host} refused the sign-in of "${username}" (HTTP 403 on ${res.endpoint}): this account may not sign in to the REST API.`,
    )
  }
  return unexpectedStatus(res)
}

/**
 * docs/protocols/weka.md §2.4: the login succeeded with `password_change_required: true` (the
 * default admin/admin, or an account an administrator reset). The password is changed in the
 * WEKA GUI (it asks at sign-in) or with `PUT /api/v2/users/password {username, old_password,
 * new_password}` (docs/protocols/weka.md §2.4 "change password"); every token of the old password stops working then.
 */
export function passwordChangeRequired(host: string, username: string): TokendeckError {
  return new TokendeckError(
    'PASSWORD_CHANGE_REQUIRED',
    `${host} accepted the password of "${username}" but requires it to be changed before the account is used. ` +
      'Change it in the WEKA web GUI (it asks for a new password when you sign in there) or through the REST API ' +
      '(PUT /api/v2/users/password with the old and the new password), then sign in here with the new one. ' +
      'Tokendeck kept nothing from this sign-in.',
  )
}

/**
 * The answer to POST /login/refresh when it is not 200 (docs/protocols/weka.md §3): 401 — expired, revoked,
 * spent or malformed refresh token — means the session is over.
 */
export function refreshFailure(res: HttpResponse): TokendeckError {
  if (res.status === 401) {
    return new TokendeckError(
      'REFRESH_EXPIRED',
      `Signed out: ${res.host} no longer accepts this session's refresh token (it expired or was revoked). Sign in again.`,
    )
  }
  return unexpectedStatus(res)
}

/**
 * Any other API call's status that the caller did not expect (vendors share this name and
 * signature: UnexpectedStatus in http/replies.ts).
 *
 * 401 → NOT_SIGNED_IN, not REFRESH_EXPIRED: what the server rejected is the *access* token
 * (expired early, clock skew after sleep, or revoked). The session engine answers it with one
 * refresh and one retry of the call (sessions/accessRetry.ts); only if /login/refresh also says
 * 401 is the session over (REFRESH_EXPIRED).
 * `context.subject` names the token in the message ("the access token", "this token").
 * 403 and 404 get WEKA's words; the rest the http layer's generic meaning.
 */
export const unexpectedStatus: UnexpectedStatus = (res, context = {}) => {
  const subject = context.subject ?? 'the access token'
  switch (res.status) {
    case 401:
      return new TokendeckError(
        'NOT_SIGNED_IN',
        `${res.host} did not accept ${subject} for ${res.endpoint} (HTTP 401): it has expired or was revoked. Refresh the session, or sign in again.`,
      )
    case 403:
      return new TokendeckError(
        'FORBIDDEN',
        `${res.host} refused ${res.endpoint} (HTTP 403): this WEKA account's role is not allowed to do that.`,
      )
    case 404:
      return new TokendeckError(
        'NOT_FOUND',
        `${res.host} has nothing at ${res.endpoint} (HTTP 404): the user or object does not exist, or this WEKA release does not offer it.`,
      )
    default:
      return genericUnexpectedStatus(res, context)
  }
}

export function unsupported(what: string): TokendeckError {
  return new TokendeckError('UNSUPPORTED', what)
}
