import type { SimResponse } from '../../common/server'
import type { WekaUser } from '../users'
import {
  forbidden,
  invalidParam,
  notFound,
  ok,
  readFields,
  requireFields,
  stringField,
} from '../wire'
import { ADMINS, EVERYONE, READERS, type AuthedContext, type Route } from './route'

/** GET /users/whoami (docs/protocols/weka.md §4.3, 5.x shape with `uid`, which CSI relies on). */
function whoami({ caller }: AuthedContext): SimResponse {
  const u = caller.user
  return ok({
    org_id: u.orgId,
    username: u.username,
    uid: u.uid,
    source: u.source,
    role: u.role,
    org_name: u.orgName,
  })
}

/** The fields every release lists for a user (docs/protocols/weka.md §4.4: 3.14 and 5.1 both have these). */
const listed = (u: WekaUser) => ({
  uid: u.uid,
  org_id: u.orgId,
  source: u.source,
  username: u.username,
  role: u.role,
})

/** GET /users: the caller's organization only (docs/protocols/weka.md §4.4, 5.x default "caller's" org). */
function list({ state, caller }: AuthedContext): SimResponse {
  return ok(state.directory.inOrg(caller.user.orgId).map(listed))
}

/**
 * DELETE /users/{uid}/revoke (docs/protocols/weka.md §4.2). DOC: an administrator of the target's organization.
 * docs/protocols/weka.md §4.2, docs/protocols/weka.md §9.3 DESIGN: anyone may revoke their own uid, which ends the very session
 * making the call too; someone else's uid without admin rights is 403.
 */
function revoke({ state, caller, params }: AuthedContext): SimResponse {
  const uid = params[0] ?? ''
  const self = uid === caller.user.uid
  if (!self && !ADMINS.includes(caller.user.role)) return forbidden()
  const target = state.directory.byUid(uid)
  // Users of other organizations are invisible to an org's admin, hence 404 rather than 403.
  if (!target || target.orgId !== caller.user.orgId) return notFound('User not found')
  state.revokeTokens(target)
  return ok(null)
}

/** docs/protocols/weka.md §2.4 DOC: ≥ 8 characters with an upper-case letter, a lower-case one, and a digit or special. */
function weakness(password: string): string | undefined {
  if (password.length < 8) return 'Password must be at least 8 characters long'
  if (!/[A-Z]/.test(password) || !/[a-z]/.test(password) || !/[^A-Za-z]/.test(password)) {
    return 'Password must contain upper-case and lower-case letters and a digit or special character'
  }
  return undefined
}

/**
 * PUT /users/password `{username, old_password, new_password}` (docs/protocols/weka.md §2.4, 5.1 spec):
 * changes the caller's own password and clears `password_change_required`.
 */
function changePassword({ req, state, caller }: AuthedContext): SimResponse {
  const body = readFields(req)
  if (!body.ok) return body.reply
  const missing = requireFields(body.fields, ['username', 'old_password', 'new_password'])
  if (missing) return missing
  const fields = ['username', 'old_password', 'new_password'].map((n) =>
    stringField(body.fields, n),
  )
  for (const f of fields) if (!f.ok) return f.reply
  const [username, oldPassword, newPassword] = fields.map((f) => (f.ok ? f.value! : ''))
  // Someone else's password goes through the admin route PUT /users/{uid}/password instead.
  if (username !== caller.user.username) return forbidden()
  // DESIGN (not in docs/protocols/weka.md): a wrong old password is a 400 on that parameter, not a 401,
  // so a client does not mistake it for a dead session.
  if (oldPassword !== caller.user.password)
    return invalidParam('old_password', 'Old password is incorrect')
  const weak = weakness(newPassword!)
  if (weak) return invalidParam('new_password', weak)
  state.applyPassword(caller.user, newPassword!)
  caller.user.passwordChangeRequired = false
  // docs/protocols/weka.md §2.4 DOC "After a password change the user must re-authenticate"; docs/protocols/weka.md §3 INF: a
  // password change revokes the user's tokens.
  state.revokeTokens(caller.user)
  return ok(null)
}

export const userRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/users\/whoami$/,
    auth: EVERYONE,
    allowedWhilePasswordChangeRequired: true,
    handle: whoami,
  },
  { method: 'GET', path: /^\/users$/, auth: READERS, handle: list },
  { method: 'DELETE', path: /^\/users\/([^/]+)\/revoke$/, auth: EVERYONE, handle: revoke },
  {
    method: 'PUT',
    path: /^\/users\/password$/,
    auth: EVERYONE,
    allowedWhilePasswordChangeRequired: true,
    handle: changePassword,
  },
]
