import { createHash, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../common/clock'
import { basicCredentials, cookies } from '../common/http'
import type { SimRequest } from '../common/server'
import type { Directory } from './directory'
import type { TokenStore } from './tokenStore'
import type { LoginAttempt, SwarmToken, SwarmUser } from './types'

export type AuthResult =
  | { kind: 'user'; user: SwarmUser; via: 'basic' | 'cookie'; token?: SwarmToken }
  | {
      kind: 'anonymous'
      /** A token cookie was sent but no longer names a live token: the reply must delete it. */
      staleCookie: boolean
    }

export interface AuthContext {
  directory: Directory
  store: TokenStore
  clock: Clock
  cookieName: string
  loginAttempts: LoginAttempt[]
}

/**
 * Who is calling a token-path or Management API URI. HTTP Basic first (the normal way), else the
 * token cookie (docs/protocols/swarm.md §2.1, docs/protocols/swarm.md §2.2 DOC+CODE). Bearer, X-Auth-Token and friends are ignored:
 * docs/protocols/swarm.md §2.2 INF found no evidence of them, so they leave the caller anonymous.
 */
export function authenticate(
  req: SimRequest,
  ctx: AuthContext,
  where: { domain?: string; tenant?: string },
): AuthResult {
  const basic = basicCredentials(req)
  if (basic) {
    const user = ctx.directory.resolve(basic.username, where)
    const ok = user !== undefined && sameSecret(user.password, basic.password)
    ctx.loginAttempts.push({ at: ctx.clock.now(), username: user?.username ?? basic.username, ok })
    // A wrong password does not fall back to the cookie: the caller meant this identity.
    return ok && user
      ? { kind: 'user', user, via: 'basic' }
      : { kind: 'anonymous', staleCookie: false }
  }
  const id = cookies(req).get(ctx.cookieName)
  if (id === undefined || id === '') return { kind: 'anonymous', staleCookie: false }
  const token = ctx.store.live(id)
  // docs/protocols/swarm.md §2.2 DOC: an expired (or unknown, docs/protocols/swarm.md §5) token makes the request anonymous and the
  // response deletes the cookie.
  if (!token) return { kind: 'anonymous', staleCookie: true }
  // docs/protocols/swarm.md §2.1, docs/protocols/swarm.md §4 DOC: an S3-secret token cannot authenticate SCSP or Management API calls;
  // docs/protocols/swarm.md §5 DESIGN: treat it as no valid credential (401). It is still valid, so no cookie deletion.
  if (token.hasS3Secret) return { kind: 'anonymous', staleCookie: false }
  const user = ctx.directory.users.get(token.owner)
  if (!user) return { kind: 'anonymous', staleCookie: true }
  return { kind: 'user', user, via: 'cookie', token }
}

/** Compare digests so the time taken says nothing about how much of a password matched. */
function sameSecret(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest()
  const b = createHash('sha256').update(given).digest()
  return timingSafeEqual(a, b)
}
