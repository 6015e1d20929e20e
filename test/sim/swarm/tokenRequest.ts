import type { Clock } from '../common/clock'
import type { SimRequest, SimResponse } from '../common/server'
import type { Directory } from './directory'
import { parseExpiry } from './expiry'
import { badRequest, forbidden } from './replies'
import type { TokenStore } from './tokenStore'
import type { SwarmToken, SwarmUser, TokenScope } from './types'

export interface CreateContext {
  directory: Directory
  store: TokenStore
  clock: Clock
}

export type CreateOutcome = { ok: true; token: SwarmToken } | { ok: false; reply: SimResponse }

const CUSTOM_META = 'x-custom-meta-'

/**
 * The `X-…-Meta` request headers of a token create, shared by `/.TOKEN/` and the Management
 * API tenant token URI (docs/protocols/swarm.md §2.1 DOC table, docs/protocols/swarm.md §3 CODE "same X-…-Meta headers").
 */
export function createFromHeaders(
  req: SimRequest,
  caller: SwarmUser,
  scope: TokenScope,
  ctx: CreateContext,
): CreateOutcome {
  if (!ctx.directory.mayActIn(caller, scope))
    return fail(forbidden('User is not allowed in this scope'))

  let owner = caller
  const ownerHeader = header(req, 'x-owner-meta')
  if (ownerHeader !== undefined) {
    // docs/protocols/swarm.md §2.1 DOC: only the token administrator may send X-Owner-Meta; anyone else "gets
    // an error" — docs/protocols/swarm.md §5 DESIGN: 403.
    if (!ctx.directory.isTokenAdminOver(caller, scope))
      return fail(forbidden('X-Owner-Meta is reserved to the token administrator'))
    const where = scope.kind === 'domain' ? { domain: scope.domain } : { tenant: scope.tenant }
    const target = ctx.directory.resolve(ownerHeader, where)
    // Not documented; a 400 says "your request names nobody" without hinting at policy.
    if (!target || !ctx.directory.mayActIn(target, scope))
      return fail(badRequest('X-Owner-Meta names no user of this scope'))
    owner = target
  }

  const now = ctx.clock.now()
  let expiresAt: number | undefined
  const expiresHeader = header(req, 'x-user-token-expires-meta')
  if (expiresHeader !== undefined) {
    expiresAt = parseExpiry(expiresHeader, now)
    // docs/protocols/swarm.md §2.5 DESIGN: anything we do not accept is a 400.
    if (expiresAt === undefined) return fail(badRequest('Invalid X-User-Token-Expires-Meta'))
    // Our choice (not in the notes): a token born expired is a client bug worth a loud 400.
    if (expiresAt <= now) return fail(badRequest('X-User-Token-Expires-Meta is in the past'))
  }

  const s3Secret = header(req, 'x-user-secret-key-meta')
  // docs/protocols/swarm.md §2.1 DOC: "must follow Swarm metadata value rules; 7-bit ASCII recommended".
  if (s3Secret !== undefined && !/^[\x20-\x7e]+$/.test(s3Secret)) {
    return fail(badRequest('X-User-Secret-Key-Meta must be printable 7-bit ASCII'))
  }

  const customMeta: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(CUSTOM_META) && value !== undefined)
      customMeta[name.slice(CUSTOM_META.length)] = String(value)
  }

  const token = ctx.store.issue({
    owner: owner.username,
    creator: caller.username,
    scope,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    // docs/protocols/swarm.md §2.1 DOC: X-Custom-Meta-Source is the Description.
    ...(customMeta.source !== undefined ? { description: customMeta.source } : {}),
    customMeta,
    ...(s3Secret !== undefined ? { s3Secret } : {}),
  })
  return { ok: true, token }
}

function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name]
  return v === undefined ? undefined : String(v).trim()
}

const fail = (reply: SimResponse): CreateOutcome => ({ ok: false, reply })
