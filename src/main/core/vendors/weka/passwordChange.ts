/**
 * Changing a WEKA password when the server demands it (docs/protocols/weka.md §2.4 "change
 * password", docs/protocols/weka.md §9.6): `PUT /api/v2/users/password {username, old_password,
 * new_password}` (+ `tenant` on 5.x when the user is not in Root), authorised by the access token
 * of the sign-in that was answered with `password_change_required`. That token is held here in
 * memory only, for this one purpose, and never stored. Each change is one user action: one PUT,
 * then one sign-in with the new password; nothing is ever resent (WEKA locks an account after
 * five failures, docs/protocols/weka.md §2.4).
 */
import { TokendeckError } from '../../../../shared/errors'
import type { HttpResponse } from '../../http'
import { unexpectedStatus } from './errors'

/** docs/protocols/weka.md §2.4: the complexity rule every WEKA release documents. */
export const WEKA_PASSWORD_RULE =
  'at least 8 characters, with an upper-case letter, a lower-case letter, and a digit or special character'

/** The access token of a sign-in answered with `password_change_required`, in memory only. */
export interface PendingChange {
  username: string
  org: string | undefined
  access: string
  /** Epoch ms after which the token is dead (WEKA access tokens live 300 s by default). */
  expiresAt: number
}

/** The PUT body (docs/protocols/weka.md §2.4; `tenant` is the 5.x name of the organization). */
export function changeBody(
  pending: PendingChange,
  oldPassword: string,
  newPassword: string,
): Record<string, string> {
  const body: Record<string, string> = {
    username: pending.username,
    old_password: oldPassword,
    new_password: newPassword,
  }
  if (pending.org !== undefined) body.tenant = pending.org
  return body
}

/** No change can start without the sign-in that asked for it (or once its token died). */
export function noPendingChange(username: string): TokendeckError {
  return new TokendeckError(
    'NOT_SIGNED_IN',
    `There is no recent sign-in of "${username}" that asked for a password change (it expired or this Tokendeck did not make it). Sign in with the current password first; nothing was sent.`,
  )
}

/**
 * The answer to the PUT when it is not 200. The body is read only for which parameter was
 * refused, never quoted: 400 on `old_password` → BAD_CREDENTIALS, any other 400 → the
 * complexity rule (INVALID_INPUT); 401 → the sign-in's token died.
 */
export function changeFailure(res: HttpResponse, username: string): TokendeckError {
  if (res.status === 400) {
    if (refusedParam(res) === 'old_password') {
      return new TokendeckError(
        'BAD_CREDENTIALS',
        `${res.host} says the current password of "${username}" is not correct. The password was not changed.`,
      )
    }
    return new TokendeckError(
      'INVALID_INPUT',
      `${res.host} refused the new password. WEKA requires ${WEKA_PASSWORD_RULE}. The password was not changed.`,
    )
  }
  if (res.status === 401) {
    return new TokendeckError(
      'NOT_SIGNED_IN',
      `${res.host} no longer accepts the sign-in that asked for the password change (it expired). Sign in with the current password again, then change it. The password was not changed.`,
    )
  }
  return unexpectedStatus(res)
}

/** `{"data": {"param": "…"}}` of a WEKA 400 (docs/protocols/weka.md §0 error envelope), or undefined. */
function refusedParam(res: HttpResponse): string | undefined {
  try {
    const parsed: unknown = JSON.parse(res.body.toString('utf8'))
    const data = (parsed as { data?: { param?: unknown } } | null)?.data
    return typeof data?.param === 'string' ? data.param : undefined
  } catch {
    return undefined
  }
}
