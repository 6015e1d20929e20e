import { json } from '../../common/http'
import type { SimResponse } from '../../common/server'
import { goDuration } from '../duration'
import {
  invalidParam,
  readFields,
  requireFields,
  secondsField,
  stringField,
  tokensReply,
  unauthorized,
} from '../wire'
import type { Context, Route } from './route'

/** docs/protocols/weka.md §2.4 DESIGN: same prefix as the real lockout text. */
const badCredentials = (): SimResponse =>
  json(401, { data: 'Authentication Failed. Invalid username or password' })

/** docs/protocols/weka.md §2.4 CODE (Manila fixture, live 5.1 cluster): 403 with the remaining time in Go-duration form. */
const lockedOut = (ms: number): SimResponse =>
  json(403, {
    data: `Authentication Failed. User has been locked out for another ${goDuration(ms)} due to too many login attempts`,
  })

/** POST /login (docs/protocols/weka.md §2). */
function login(ctx: Context): SimResponse {
  const { state } = ctx
  const body = readFields(ctx.req)
  if (!body.ok) return body.reply
  const missing = requireFields(body.fields, ['username', 'password'])
  if (missing) return missing
  const username = stringField(body.fields, 'username')
  if (!username.ok) return username.reply
  const password = stringField(body.fields, 'password')
  if (!password.ok) return password.reply
  const orgRef = body.fields.org ?? undefined
  if (orgRef !== undefined && typeof orgRef !== 'string' && typeof orgRef !== 'number') {
    return invalidParam('org', 'org must be an organization name or ID')
  }

  const org = state.directory.resolveOrg(orgRef)
  const key = state.loginKey(org, orgRef, username.value!)
  state.guard.countAttempt(key)
  const user = org && state.directory.find(org, username.value!)

  // docs/protocols/weka.md §2.4 INF: while locked, even the right password is refused.
  if (state.guard.lockedFor(key) > 0) {
    if (state.config.lockoutRestartWhileLocked) state.guard.relock(key)
    return lockedOut(state.guard.lockedFor(key))
  }
  // Unknown org, unknown user and wrong password look the same from outside.
  if (!user || user.password !== password.value) {
    if (user) state.guard.recordFailure(key)
    return badCredentials()
  }
  state.guard.recordSuccess(key)
  const ttl = state.config.accessTokenTtlSeconds
  const access = state.tokens.issue(user, 'access', ttl)
  const refresh = state.tokens.issue(user, 'refresh', state.config.refreshTokenTtlSeconds)
  ctx.log.user = user.username
  // docs/protocols/weka.md §2.4: first login with a must-change password still succeeds, flagged.
  return tokensReply(access, refresh, ttl, user.passwordChangeRequired)
}

/** POST /login/refresh (docs/protocols/weka.md §3); with `access_token_expiry` it mints a long-lived token (docs/protocols/weka.md §4.1). */
function refresh(ctx: Context): SimResponse {
  const { state } = ctx
  const body = readFields(ctx.req)
  if (!body.ok) return body.reply
  const missing = requireFields(body.fields, ['refresh_token'])
  if (missing) return missing
  const token = stringField(body.fields, 'refresh_token')
  if (!token.ok) return token.reply
  const accessExpiry = secondsField(body.fields, 'access_token_expiry', body.form)
  if (!accessExpiry.ok) return accessExpiry.reply
  const refreshExpiry = secondsField(body.fields, 'refresh_token_expiry', body.form)
  if (!refreshExpiry.ok) return refreshExpiry.reply

  // docs/protocols/weka.md §3 DESIGN: expired, revoked, spent and malformed refresh tokens all get this 401.
  // docs/protocols/weka.md §3 DESIGN: a locked-out user may still refresh (lockout guards passwords only).
  const checked = state.tokens.check(token.value!, ['refresh'], (uid) => state.directory.byUid(uid))
  if (!checked.ok) return unauthorized()
  const { user, record } = checked
  // docs/protocols/weka.md §9.5 DESIGN: the old refresh token stays valid unless the single-use knob is on.
  if (state.config.refreshTokenSingleUse) state.tokens.markUsed(record)

  // docs/protocols/weka.md §4.1 DESIGN: a non-zero access_token_expiry is the REST form of
  // `weka user generate-token`: an access token with that lifetime, capped by the maximum.
  const longLived = (accessExpiry.value ?? 0) > 0
  let ttl = longLived ? accessExpiry.value! : state.config.accessTokenTtlSeconds
  const max = state.config.maxAccessTokenExpirySeconds
  if (max !== undefined) ttl = Math.min(ttl, max)
  const access = state.tokens.issue(user, longLived ? 'long-lived' : 'access', ttl)
  // docs/protocols/weka.md §3 CODE: refresh hands back a fresh refresh token (sliding window).
  const next = state.tokens.issue(
    user,
    'refresh',
    refreshExpiry.value || state.config.refreshTokenTtlSeconds,
  )
  ctx.log.user = user.username
  return tokensReply(access, next, ttl, user.passwordChangeRequired)
}

export const loginRoutes: Route[] = [
  { method: 'POST', path: /^\/login$/, auth: 'public', handle: login },
  { method: 'POST', path: /^\/login\/refresh$/, auth: 'public', handle: refresh },
]
