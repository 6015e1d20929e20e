/**
 * One cluster's session: what it holds (never the password) and the pure rules of its state
 * machine. The manager (sessionManager.ts) drives it; this file only decides.
 *
 *   signed-out → signing-in → active ⇄ refreshing
 *                     │           │          ├→ failed{retryAt} → refreshing …   (network, 5xx)
 *                     │           │          ├→ signed-out{REFRESH_EXPIRED}       (credential rejected)
 *                     │           │          └→ untrusted{seenSha256}             (certificate changed)
 *                     └→ locked{until} / signed-out{BAD_CREDENTIALS} / failed / untrusted
 */
import type { ErrorInfo, Identity, SessionState } from '../../../shared/model'
import { TokendeckError, isTokendeckError } from '../../../shared/errors'
import type { CredentialKind } from '../secrets/secretStore'

export interface SessionData {
  state: SessionState
  access?: { token: string; expiresAt?: number }
  stored?: { kind: CredentialKind; value: string; expiresAt?: number }
  identity?: Identity
  /** Consecutive failed refreshes, for backoff. */
  failures: number
  /** Qumulo/Swarm: when the stored credential was last checked with the server. */
  checkedAt?: number
  /** WEKA: when the background refresh is due (jittered inside the refresh window). */
  refreshAt?: number
}

/** Failures worth retrying on their own: the credential may still be good. */
const TRANSIENT = new Set([
  'UNREACHABLE',
  'TIMEOUT',
  'SERVER_ERROR',
  'BAD_RESPONSE',
  'KEYCHAIN_UNAVAILABLE',
])

export function isTransient(error: TokendeckError): boolean {
  return TRANSIENT.has(error.code)
}

/** The state a failed refresh leads to (the caller adds retryAt for transient ones). */
export function stateAfterRefreshFailure(error: TokendeckError, retryAt: number): SessionState {
  const info: ErrorInfo = error.toInfo()
  if (error.code === 'TLS_PIN_MISMATCH')
    return { state: 'untrusted', seenSha256: error.seenSha256 ?? '' }
  if (error.code === 'REFRESH_EXPIRED' || error.code === 'NOT_SIGNED_IN')
    return { state: 'signed-out', reason: info }
  if (isTransient(error)) return { state: 'failed', error: info, retryAt }
  return { state: 'failed', error: info }
}

/**
 * The state after a write-behind failed (the session stays usable — failed keeps the access
 * token — and says the keychain failed; refreshing goes on at `retryAt` at the latest) or, after
 * failing, succeeded. Undefined: no change (nothing stored, or said already).
 */
export function stateAfterWrite(
  d: SessionData,
  error: TokendeckError | undefined,
  retryAt: number,
): SessionState | undefined {
  if (!d.stored) return undefined
  const s = d.state
  if (error) {
    if (s.state === 'failed' && s.error.code === error.code) return undefined
    return { state: 'failed', error: error.toInfo(), retryAt: d.refreshAt ?? retryAt }
  }
  if (s.state === 'failed' && s.error.code === 'KEYCHAIN_UNAVAILABLE')
    return { state: 'active', ...expiry(d.access?.expiresAt) }
  return undefined
}

/** The state a failed sign-in leads to. Nothing here ever retries a password. */
export function stateAfterSignInFailure(error: TokendeckError): SessionState {
  const info = error.toInfo()
  switch (error.code) {
    case 'ACCOUNT_LOCKED':
      return { state: 'locked', until: error.retryAt ?? 0 }
    case 'TLS_PIN_MISMATCH':
      return { state: 'untrusted', seenSha256: error.seenSha256 ?? '' }
    case 'BAD_CREDENTIALS':
    case 'FORBIDDEN':
    case 'PASSWORD_CHANGE_REQUIRED':
      return { state: 'signed-out', reason: info }
    default:
      return { state: 'failed', error: info }
  }
}

/** Whether the access token is good for at least `marginMs` more. */
export function accessValid(data: SessionData, now: number, marginMs: number): boolean {
  if (!data.access) return false
  if (data.access.expiresAt === undefined) return true
  return data.access.expiresAt - now >= marginMs
}

/** `{ expiresAt }` when known: the optional field of the active and refreshing states. */
export function expiry(expiresAt: number | undefined): { expiresAt?: number } {
  return expiresAt === undefined ? {} : { expiresAt }
}

/** Anything a vendor call threw, as an error with a code (an unknown one is INTERNAL). */
export function asTokendeckError(e: unknown): TokendeckError {
  if (isTokendeckError(e)) return e
  return new TokendeckError(
    'INTERNAL',
    'Tokendeck hit an internal error while talking to the cluster.',
    { cause: e },
  )
}

/** States in which the access token held may be handed out. */
export function usable(s: SessionState): boolean {
  return s.state === 'active' || s.state === 'refreshing' || s.state === 'failed'
}

/** Throws why this session cannot be refreshed now (untrusted, locked, nothing stored). */
export function assertCanRefresh(clusterName: string, d: SessionData): void {
  const s = d.state
  if (s.state === 'untrusted') {
    throw new TokendeckError(
      'TLS_PIN_MISMATCH',
      `The certificate of ${clusterName} changed: review and trust it again.`,
      { seenSha256: s.seenSha256 },
    )
  }
  if (s.state === 'locked') {
    throw new TokendeckError('ACCOUNT_LOCKED', `The account on ${clusterName} is locked.`, {
      retryAt: s.until,
    })
  }
  if (!d.stored) {
    // Say why when we know (e.g. a saved credential issued for another server was not used).
    if (s.state === 'signed-out' && s.reason?.code === 'NOT_SIGNED_IN')
      throw new TokendeckError('NOT_SIGNED_IN', s.reason.message)
    throw new TokendeckError('NOT_SIGNED_IN', `Not signed in to ${clusterName}: sign in first.`)
  }
}
