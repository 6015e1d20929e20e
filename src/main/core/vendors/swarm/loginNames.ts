/**
 * How the Gateway's user names are formed and read back (docs/protocols/swarm.md §1): the login
 * name sent at sign-in, the scope part of a qualified name, whether an owner name is the
 * signed-in user, and the identity a token listing proves. Pure functions: the naming rules are
 * the part of Swarm most likely to need a change when a site does something new, and they can be
 * checked without a Gateway.
 */
import { TokendeckError } from '../../../../shared/errors'
import type { Identity } from '../vendor'
import type { ListedToken } from './schemas'

/**
 * The Swarm login name (docs/protocols/swarm.md §1 DOC): `name@` root user, `name+tenant` tenant
 * user, `name@domain` domain user. A name that already carries `@` or `+` is used as typed.
 * Otherwise a tenant makes it a tenant user (a domain then only picks the storage domain: a
 * domain user never needs to name the tenant), a domain alone makes it a domain user, and nothing
 * makes it a root user. Tenant names are lower-case on the Gateway (docs/protocols/swarm.md §1 DOC).
 */
export function swarmLoginName(
  username: string,
  scope: { tenant?: string | undefined; domain?: string | undefined },
): string {
  const name = username.trim()
  if (name.includes('@') || name.includes('+')) return name
  const tenant = scope.tenant?.trim().toLowerCase()
  const domain = scope.domain?.trim().toLowerCase()
  if (tenant) return `${name}+${tenant}`
  if (domain) return `${name}@${domain}`
  return `${name}@`
}

/**
 * A login name goes into HTTP Basic as `name:password`: a ":" would move the split, and control
 * characters cannot travel in a header.
 */
export function assertUsableLogin(login: string): void {
  if (
    login.includes(':') ||
    [...login].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
  ) {
    throw new TokendeckError(
      'INVALID_INPUT',
      'A Swarm user name cannot contain ":" or control characters.',
    )
  }
}

/**
 * The scope part of a qualified name: `@`, `+tenant` or `@domain` (cf. `scope` in
 * docs/protocols/swarm.md §3 CODE).
 */
export function scopeOf(qualified: string): string | undefined {
  if (qualified.endsWith('@')) return '@'
  const at = qualified.lastIndexOf('@')
  if (at > 0) return qualified.slice(at)
  const plus = qualified.lastIndexOf('+')
  return plus > 0 ? qualified.slice(plus) : undefined
}

function baseOf(qualified: string): string {
  const scope = scopeOf(qualified)
  return scope === undefined ? qualified : qualified.slice(0, qualified.length - scope.length)
}

/**
 * Whether an owner name names the signed-in user `me` (qualified, as the listing shows it): the
 * same qualified name, or the bare name without a scope (docs/protocols/swarm.md §1: `alice` of
 * `alice+acme`).
 */
export function isSelf(owner: string, me: string): boolean {
  return owner === me || (scopeOf(owner) === undefined && owner === baseOf(me))
}

/**
 * Whether a token owner matches an owner filter: a qualified name matches exactly; a bare one
 * ("alice") matches that name in any scope. No filter matches everyone.
 */
export function ownerMatches(owner: string, wanted: string | undefined): boolean {
  return !wanted || owner === wanted || (scopeOf(wanted) === undefined && baseOf(owner) === wanted)
}

/** Where the listing came from and what the client was configured with, for identityFrom. */
export interface ListingScope {
  host: string
  tokenPath: string
  domain: string | undefined
  tenant: string | undefined
}

/**
 * Identity from the listing: our own entry's `x_owner_meta` is the qualified user name.
 * Swarm has no role query (docs/protocols/swarm.md §9.10), so `isAdmin` is what the listing
 * proves: only the token administrator sees other users' tokens (docs/protocols/swarm.md §2.3
 * DOC+DESIGN). With nobody else holding a token in the domain an administrator shows as false;
 * the Gateway still decides every request.
 */
export function identityFrom(
  records: ListedToken[],
  own: ListedToken | undefined,
  where: ListingScope,
  fallbackName?: string,
): Identity {
  const username = own?.x_owner_meta ?? fallbackName
  if (username === undefined) {
    throw new TokendeckError(
      'BAD_RESPONSE',
      `Unexpected answer from ${where.host} to GET ${where.tokenPath}: the listing does not include the session's own token.`,
    )
  }
  const isAdmin = records.some((r) => r.x_owner_meta !== undefined && r.x_owner_meta !== username)
  const scope =
    scopeOf(username) ??
    (where.domain ? `@${where.domain}` : where.tenant ? `+${where.tenant}` : undefined)
  return { username, isAdmin, ...(scope !== undefined ? { scope } : {}) }
}
