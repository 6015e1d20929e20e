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
import type { TokendeckError } from '../../../shared/errors'
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
