import { jsonObjectBody, requiredString } from '../body'
import { QumuloHttpError, ok } from '../errors'
import { mintSession } from '../sessions'
import type { RouteContext } from './context'

/** /v1/version, /v1/session/*: docs/protocols/qumulo.md §1 and docs/protocols/qumulo.md §2. */

/** docs/protocols/qumulo.md §1 DOC: no auth; `revision_id` is "Qumulo Core <version>". */
export function version(ctx: RouteContext) {
  return ok({
    revision_id: `Qumulo Core ${ctx.cluster.version}`,
    build_id: '244001.1.7',
    flavor: 'release',
    build_date: '2024-10-01T00:00:00Z',
  })
}

/** docs/protocols/qumulo.md §2.1 DOC: `{username, password}` → 200 `{bearer_token}`; failure status is docs/protocols/qumulo.md §9 DESIGN (401). */
export function login(ctx: RouteContext) {
  const body = jsonObjectBody(ctx.req, ['username', 'password'])
  const username = requiredString(body, 'username')
  const password = requiredString(body, 'password')
  const now = ctx.clock.now()
  const user = ctx.state.userByName(username)
  const good = user !== undefined && user.password !== null && user.password === password
  // Record the name as typed (never the password): tests check who tried, not what.
  ctx.state.loginAttempts.push({ at: now, username, ok: good })
  if (!good || !user) throw new QumuloHttpError('badCredentials')
  const session = mintSession({
    userAuthId: user.authId,
    now,
    ttlSeconds: ctx.state.settings.sessionTtlSeconds,
    privileges: ctx.state.privilegesOf(user.authId),
  })
  ctx.state.addSession(session)
  ctx.identify(user.name)
  return ok({ bearer_token: session.bearerToken })
}

/** docs/protocols/qumulo.md §2.2 DOC: ids are strings; `access_token_id` only when an access token was used. */
export function whoAmI(ctx: RouteContext) {
  const caller = ctx.caller()
  const u = caller.user
  return ok({
    id: u.authId,
    name: u.name,
    primary_group: u.primaryGroup,
    sid: u.sid,
    uid: u.uid === null ? '' : String(u.uid),
    home_directory: '',
    // [INF] local users may change their password here; directory users do it in their directory.
    can_change_password: u.domain === 'LOCAL',
    privileges: [...caller.privileges].sort(),
    ...(caller.accessTokenId !== undefined ? { access_token_id: caller.accessTokenId } : {}),
  })
}

/** docs/protocols/qumulo.md §2.2 DOC: the caller's role names, including roles reached through groups. */
export function sessionRoles(ctx: RouteContext) {
  const caller = ctx.caller()
  const ids = new Set([caller.user.authId, ...caller.user.groups])
  const names = [...ctx.state.roles.values()]
    .filter((r) => [...r.members].some((m) => ids.has(m)))
    .map((r) => r.name)
  return ok(names)
}
