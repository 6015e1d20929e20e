import type { SimRequest, SimResponse } from '../common/server'
import { authenticate, type AuthContext } from './auth'
import { parseUserName } from './directory'
import { forbidden, methodNotAllowed, notFound, unauthorized } from './replies'
import { createFromHeaders, type CreateContext } from './tokenRequest'
import type { SwarmToken, TokenScope } from './types'

export const MANAGE_PREFIX = '/_admin/manage/'

export type ManageContext = AuthContext & CreateContext

const TOKENS_URI = /^tenants\/([^/]+)\/tokens(?:\/([^/]+))?\/?$/

/**
 * Management API tenant token URIs (docs/protocols/swarm.md §3 DOC table): `tenants/{tenant}/tokens` GET/POST,
 * `tenants/{tenant}/tokens/{token}` GET/DELETE. Other Management API URIs are not simulated.
 */
export function handleManage(
  req: SimRequest,
  who: { user?: string },
  ctx: ManageContext,
): SimResponse {
  const m = TOKENS_URI.exec(req.path.slice(MANAGE_PREFIX.length))
  if (!m) return notFound('Not found')
  const tenant = decodeURIComponent(m[1]!).toLowerCase()
  const tokenId = m[2] === undefined ? undefined : decodeURIComponent(m[2])

  const auth = authenticate(req, ctx, { tenant })
  // docs/protocols/swarm.md §5 DESIGN: S3-secret tokens and stale cookies are "no valid credential" → 401.
  if (auth.kind === 'anonymous') return unauthorized(auth.staleCookie ? ctx.cookieName : undefined)
  who.user = auth.user.username
  // Checked after authentication so an anonymous caller cannot probe which tenants exist.
  if (!ctx.directory.hasTenant(tenant)) return notFound('Tenant not found')
  const scope: TokenScope = { kind: 'tenant', tenant }
  const caller = auth.user

  if (tokenId === undefined) {
    if (req.method === 'POST') {
      const outcome = createFromHeaders(req, caller, scope, ctx)
      if (!outcome.ok) return outcome.reply
      // docs/protocols/swarm.md §3 CODE: JSON with the secret echoed on creation only; status docs/protocols/swarm.md §3 DESIGN: 201.
      const t = outcome.token
      return {
        status: 201,
        body: {
          ...tenantTokenRecord(t),
          ...(t.s3Secret !== undefined ? { secret: t.s3Secret } : {}),
        },
      }
    }
    if (req.method === 'GET') {
      // Policy action ListTokens (docs/protocols/swarm.md §3 DOC); someone outside the tenant is refused (docs/protocols/swarm.md §5 CODE 403).
      if (!ctx.directory.mayActIn(caller, scope))
        return forbidden('Not allowed to list tokens of this tenant')
      const admin = ctx.directory.isTokenAdminOver(caller, scope)
      const tokens = ctx.store
        .listed()
        .filter((t) => t.scope.kind === 'tenant' && t.scope.tenant === tenant)
        .filter((t) => admin || t.owner === caller.username)
        .sort((a, b) => a.createdAt - b.createdAt)
      // docs/protocols/swarm.md §3 DESIGN: no paging; a JSON array of the create shape minus `secret`.
      return { status: 200, body: tokens.map(listedRecord) }
    }
    return methodNotAllowed('GET, POST')
  }

  const token = ctx.store.live(tokenId)
  if (!token || token.scope.kind !== 'tenant' || token.scope.tenant !== tenant)
    return notFound('Token not found')
  if (token.owner !== caller.username && !ctx.directory.isTokenAdminOver(caller, scope)) {
    return forbidden('Not the owner of this token')
  }
  // docs/protocols/swarm.md §3 DESIGN: GET one → the listing object (ValidateToken); DELETE → 200 general response.
  if (req.method === 'GET') return { status: 200, body: listedRecord(token) }
  if (req.method === 'DELETE') {
    ctx.store.delete(token.id)
    // The "JSON general request response" shape is undocumented (docs/protocols/swarm.md §3); this one is ours.
    return { status: 200, body: { status: 'ok', message: 'Token deleted' } }
  }
  return methodNotAllowed('GET, DELETE')
}

/**
 * docs/protocols/swarm.md §3 CODE: `owner` is the bare name and `scope` the tenant (`+tenant`); `creation` is
 * whole seconds while `expiration` keeps milliseconds, as in the observed responses.
 */
function tenantTokenRecord(t: SwarmToken): Record<string, string> {
  return {
    token: t.id,
    owner: parseUserName(t.owner).base,
    scope: `+${t.scope.tenant}`,
    expiration: new Date(t.expiresAt).toISOString(),
    creation: new Date(Math.floor(t.createdAt / 1000) * 1000).toISOString(),
  }
}

/** docs/protocols/swarm.md §3 DESIGN: plus `description` and a boolean `s3`; the secret itself never again. */
function listedRecord(t: SwarmToken): Record<string, string | boolean> {
  return {
    ...tenantTokenRecord(t),
    ...(t.description !== undefined ? { description: t.description } : {}),
    s3: t.hasS3Secret,
  }
}
