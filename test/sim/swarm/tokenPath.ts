import type { SimRequest, SimResponse } from '../common/server'
import { authenticate, type AuthContext } from './auth'
import { chooseDomain } from './domain'
import {
  clearCookie,
  methodNotAllowed,
  notFound,
  text,
  tokenCookie,
  unauthorized,
  forbidden,
} from './replies'
import { createFromHeaders, type CreateContext } from './tokenRequest'
import type { SwarmToken, SwarmUser, TokenScope } from './types'

export interface TokenPathContext extends AuthContext, CreateContext {
  tokenPath: string
  defaultDomain: string
}

/** Storage-domain tokens: `POST|GET {tokenPath}`, `DELETE {tokenPath}{id}` (docs/protocols/swarm.md §2). */
export function handleTokenPath(
  req: SimRequest,
  who: { user?: string },
  ctx: TokenPathContext,
): SimResponse {
  const choice = chooseDomain(req, ctx.directory, ctx.defaultDomain)
  if (!choice.ok) return notFound('Unknown storage domain')
  const scope: TokenScope = { kind: 'domain', domain: choice.domain, tenant: choice.tenant }

  const auth = authenticate(req, ctx, { domain: choice.domain })
  if (auth.kind === 'anonymous') {
    // docs/protocols/swarm.md §2.2 DOC + CODE: anonymous may not use the token path; JASMIN sees 401.
    return unauthorized(auth.staleCookie ? ctx.cookieName : undefined)
  }
  who.user = auth.user.username

  const rest = tokenIdFromPath(req.path, ctx.tokenPath)
  if (rest === '') {
    if (req.method === 'POST') return create(req, auth.user, scope, ctx)
    if (req.method === 'GET') return list(req, auth.user, scope, ctx)
    return methodNotAllowed('GET, POST')
  }
  if (req.method !== 'DELETE') return methodNotAllowed('DELETE')
  const reply = remove(rest, auth.user, scope, ctx)
  // Logout is deleting the token you are using (docs/protocols/swarm.md §2.4 INF); drop its cookie as well.
  if (reply.status === 200 && auth.via === 'cookie' && auth.token?.id === rest) {
    reply.headers = { ...reply.headers, 'set-cookie': clearCookie(ctx.cookieName) }
  }
  return reply
}

function create(
  req: SimRequest,
  caller: SwarmUser,
  scope: TokenScope & { kind: 'domain' },
  ctx: TokenPathContext,
): SimResponse {
  const outcome = createFromHeaders(req, caller, scope, ctx)
  if (!outcome.ok) return outcome.reply
  const { token } = outcome
  // docs/protocols/swarm.md §2.1 DOC: `setcookie=false` → `Gateway-Token` header instead of the cookie; no
  // query arg is the same as `setcookie=true`.
  const headers: Record<string, string> =
    req.query.get('setcookie')?.toLowerCase() === 'false'
      ? { 'gateway-token': token.id }
      : { 'set-cookie': tokenCookie(ctx.cookieName, token.id, token.expiresAt) }
  // docs/protocols/swarm.md §2.1 CODE: 201, plain text whose second word is the id; wording from docs/protocols/swarm.md §8 DESIGN.
  return text(201, `Token ${token.id} issued for ${token.owner} in ${scope.domain}`, headers)
}

function list(
  req: SimRequest,
  caller: SwarmUser,
  scope: TokenScope & { kind: 'domain' },
  ctx: TokenPathContext,
): SimResponse {
  // docs/protocols/swarm.md §2.3 DESIGN: the token admin sees all tokens in the domain's scope; others see own.
  const admin = ctx.directory.isTokenAdminOver(caller, scope)
  const tokens = ctx.store
    .listed()
    .filter((t) => t.scope.kind === 'domain' && t.scope.domain === scope.domain)
    .filter((t) => admin || t.owner === caller.username)
    .sort((a, b) => a.createdAt - b.createdAt)
  if (req.query.get('format')?.toLowerCase() === 'json')
    return { status: 200, body: tokens.map(listingRecord) }
  // Without format=json a Swarm listing is plain text, one name per line.
  return text(200, tokens.map((t) => `${t.id}\n`).join(''))
}

/**
 * One entry of the JSON listing, in Swarm object-listing style (docs/protocols/swarm.md §2.3 CODE): metadata
 * header names lowercased with `-` → `_`, expiry as a lifepoint. The S3 secret is never listed
 * (docs/protocols/swarm.md §2.3 DESIGN).
 */
function listingRecord(t: SwarmToken): Record<string, string> {
  const record: Record<string, string> = {
    name: t.id,
    last_modified: new Date(t.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    // docs/protocols/swarm.md §2.3: `[<RFC 1123 date>]` is the expiry; the tail is standard lifepoint syntax (INF).
    lifepoint: `[${new Date(t.expiresAt).toUTCString()}] reps=2, [] delete`,
    x_owner_meta: t.owner,
  }
  for (const [name, value] of Object.entries(t.customMeta))
    record[`x_custom_meta_${name.replace(/-/g, '_')}`] = value
  return record
}

function remove(
  id: string,
  caller: SwarmUser,
  scope: TokenScope & { kind: 'domain' },
  ctx: TokenPathContext,
): SimResponse {
  const token = ctx.store.live(id)
  // docs/protocols/swarm.md §2.4 DESIGN: 404 for unknown or already-expired ids; a token lives in the scope it
  // was created in, so another domain's token is unknown here too.
  if (!token || token.scope.kind !== 'domain' || token.scope.domain !== scope.domain)
    return notFound('Token not found')
  // docs/protocols/swarm.md §2.4 DOC: owner deletes own, token admin anyone's; docs/protocols/swarm.md §2.4 DESIGN: 403 otherwise.
  if (token.owner !== caller.username && !ctx.directory.isTokenAdminOver(caller, token.scope)) {
    return forbidden('Not the owner of this token')
  }
  ctx.store.delete(id)
  // docs/protocols/swarm.md §2.4 CODE: JASMIN expects 200.
  return text(200, 'Token deleted')
}

/** `''` for the token path itself, else the (decoded) id after it. */
export function tokenIdFromPath(path: string, tokenPath: string): string {
  const base = tokenPath.endsWith('/') ? tokenPath : `${tokenPath}/`
  if (path === base || path === base.slice(0, -1)) return ''
  const raw = path.slice(base.length)
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}
