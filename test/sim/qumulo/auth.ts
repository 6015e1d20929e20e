import type { Clock } from '../common/clock'
import { bearerToken } from '../common/http'
import type { SimRequest } from '../common/server'
import { QumuloHttpError } from './errors'
import { sessionLive } from './sessions'
import type { State } from './state'
import { tokenUsable } from './tokens'
import type { QumuloUser } from './types'

/** Who made a request, and with which privileges. */
export interface Caller {
  user: QumuloUser
  privileges: ReadonlySet<string>
  /** Set when the request used an access token (who-am-i shows it, docs/protocols/qumulo.md §2.2 DOC). */
  accessTokenId?: string
}

/**
 * `Authorization: Bearer <token>` (docs/protocols/qumulo.md §1 SDK) with a session or an access token.
 * Sessions carry the privileges of login time; access tokens act with the user's privileges
 * as they are now (docs/protocols/qumulo.md §9 INF: "privileges read … at session login, and live for access tokens").
 */
export function authenticate(req: SimRequest, state: State, clock: Clock): Caller | undefined {
  const bearer = bearerToken(req)
  if (!bearer) return undefined
  const now = clock.now()
  if (bearer.startsWith('access-v1:')) {
    const token = state.accessTokenByBearer(bearer)
    if (!token || !tokenUsable(token, now)) return undefined
    const user = state.principals.get(token.userAuthId)
    if (user?.kind !== 'user') return undefined
    return {
      user: user as QumuloUser,
      privileges: new Set(state.privilegesOf(user.authId)),
      accessTokenId: token.id,
    }
  }
  const session = state.sessions.get(bearer)
  if (!session || !sessionLive(session, now)) return undefined
  const user = state.principals.get(session.userAuthId)
  if (user?.kind !== 'user') return undefined
  return { user: user as QumuloUser, privileges: new Set(session.privileges) }
}

/** docs/protocols/qumulo.md §3.4 DOC: privilege names checked as the API enum spells them. */
export function requirePrivilege(caller: Caller, privilege: string): void {
  if (!caller.privileges.has(privilege)) {
    throw new QumuloHttpError(
      'forbidden',
      `The user does not have access to perform the management operation (needs ${privilege}).`,
    )
  }
}
