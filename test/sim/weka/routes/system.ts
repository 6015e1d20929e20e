import type { SimResponse } from '../../common/server'
import { absent, invalidParam, missingParams, ok, readFields } from '../wire'
import { CLUSTER_ADMIN, READERS, type AuthedContext, type Context, type Route } from './route'

/** GET /cluster (docs/protocols/weka.md §4.5): the fields real clients read, plus a few neighbours. */
function cluster({ state }: AuthedContext): SimResponse {
  const c = state.config.cluster
  const dash = c.release.indexOf('-')
  return ok({
    name: c.name,
    guid: c.guid,
    release: c.release,
    release_hash: dash >= 0 ? c.release.slice(dash + 1) : '',
    init_stage: 'INITIALIZED',
    status: 'OK',
    io_status: 'STARTED',
    is_cluster: true,
    capacity: {
      total_bytes: 1_099_511_627_776,
      hot_spare_bytes: 0,
      unprovisioned_bytes: 219_902_325_555,
    },
  })
}

/** GET /security/defaultTokensExpiry (docs/protocols/weka.md §4.6); `max_*` is 5.x, shown only when a cap is set. */
function tokensExpiry({ state }: AuthedContext): SimResponse {
  const c = state.config
  return ok({
    access_token_expiry: c.accessTokenTtlSeconds,
    refresh_token_expiry: c.refreshTokenTtlSeconds,
    ...(c.maxAccessTokenExpirySeconds !== undefined
      ? { max_access_token_expiry: c.maxAccessTokenExpirySeconds }
      : {}),
  })
}

function policyBody(ctx: Context | AuthedContext) {
  const p = ctx.state.lockoutPolicy
  return { num_failed_logins: p.numFailedLogins, lockout_duration: p.lockoutDurationSeconds }
}

/** docs/protocols/weka.md §2.4 DOC: the GUI allows 2–50 attempts and 30 s – 60 min. */
const LIMITS = { num_failed_logins: [2, 50], lockout_duration: [30, 3600] } as const

/** PUT /lockoutPolicy `{num_failed_logins?, lockout_duration?}` → the policy now in force. */
function setPolicy(ctx: AuthedContext): SimResponse {
  const body = readFields(ctx.req)
  if (!body.ok) return body.reply
  const names = Object.keys(LIMITS) as (keyof typeof LIMITS)[]
  if (names.every((n) => absent(body.fields[n]))) return missingParams(names)
  const next = { ...ctx.state.lockoutPolicy }
  for (const n of names) {
    const v = body.fields[n]
    if (absent(v)) continue
    const [lo, hi] = LIMITS[n]
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
      return invalidParam(n, `${n} must be an integer between ${lo} and ${hi}`)
    }
    if (n === 'num_failed_logins') next.numFailedLogins = v
    else next.lockoutDurationSeconds = v
  }
  ctx.state.lockoutPolicy = next
  return ok(policyBody(ctx))
}

/** DELETE /lockoutPolicy: clears failure counters and unlocks everyone (docs/protocols/weka.md §2.4); 5.1 answers `{"data":{}}`. */
function resetLockouts({ state }: AuthedContext): SimResponse {
  state.guard.resetAll()
  return ok({})
}

/** GET /healthcheck: public, JSON string "ok" (docs/protocols/weka.md §4.6; 5.1 spec example body `"ok"`). */
const healthcheck = (): SimResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: Buffer.from(JSON.stringify('ok')),
})

/** GET /organizations/multipleOrgsExist: public login-form helper (docs/protocols/weka.md §4.6). */
const multipleOrgs = ({ state }: Context): SimResponse => ok(state.directory.orgCount() > 1)

export const systemRoutes: Route[] = [
  { method: 'GET', path: /^\/healthcheck$/, auth: 'public', handle: healthcheck },
  {
    method: 'GET',
    path: /^\/organizations\/multipleOrgsExist$/,
    auth: 'public',
    handle: multipleOrgs,
  },
  { method: 'GET', path: /^\/cluster$/, auth: READERS, handle: cluster },
  { method: 'GET', path: /^\/security\/defaultTokensExpiry$/, auth: READERS, handle: tokensExpiry },
  { method: 'GET', path: /^\/lockoutPolicy$/, auth: READERS, handle: (ctx) => ok(policyBody(ctx)) },
  { method: 'PUT', path: /^\/lockoutPolicy$/, auth: CLUSTER_ADMIN, handle: setPolicy },
  { method: 'DELETE', path: /^\/lockoutPolicy$/, auth: CLUSTER_ADMIN, handle: resetLockouts },
]
