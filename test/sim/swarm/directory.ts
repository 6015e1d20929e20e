import type { SwarmTenant, SwarmUser, TokenScope } from './types'

/** Where a user lives, read from the qualified name (docs/protocols/swarm.md §1 DOC). */
export type UserScope =
  { level: 'root' } | { level: 'tenant'; tenant: string } | { level: 'domain'; domain: string }

export interface ParsedName {
  base: string
  /** undefined for an unqualified name such as `alice`. */
  scope?: UserScope
}

/** `name@` root, `name+tenant` tenant, `name@domain` domain; anything else is unqualified. */
export function parseUserName(name: string): ParsedName {
  if (name.endsWith('@')) return { base: name.slice(0, -1), scope: { level: 'root' } }
  const at = name.lastIndexOf('@')
  if (at > 0)
    return {
      base: name.slice(0, at),
      scope: { level: 'domain', domain: name.slice(at + 1).toLowerCase() },
    }
  const plus = name.lastIndexOf('+')
  if (plus > 0)
    return {
      base: name.slice(0, plus),
      scope: { level: 'tenant', tenant: name.slice(plus + 1).toLowerCase() },
    }
  return { base: name }
}

/** Users, tenants and domains, and the scope rules that tie them together. */
export class Directory {
  constructor(
    readonly users: Map<string, SwarmUser>,
    readonly tenants: SwarmTenant[],
  ) {}

  tenantOfDomain(domain: string): string | undefined {
    return this.tenants.find((t) => t.domains.includes(domain))?.name
  }

  hasTenant(tenant: string): boolean {
    return this.tenants.some((t) => t.name === tenant)
  }

  /**
   * A qualified name is looked up as is. An unqualified one is searched from the request's
   * domain up through its tenant to root. docs/protocols/swarm.md §1 DOC only says names are "qualified by
   * scope" and advises qualifying admins; the nearest-scope search is our inference (INF).
   */
  resolve(name: string, where: { domain?: string; tenant?: string }): SwarmUser | undefined {
    const parsed = parseUserName(name)
    if (parsed.scope) return this.users.get(qualify(parsed.base, parsed.scope))
    const tenant = where.tenant ?? (where.domain ? this.tenantOfDomain(where.domain) : undefined)
    const candidates = [
      where.domain ? `${name}@${where.domain}` : undefined,
      tenant ? `${name}+${tenant}` : undefined,
      `${name}@`,
    ]
    for (const c of candidates) {
      const user = c ? this.users.get(c) : undefined
      if (user) return user
    }
    return undefined
  }

  scopeOf(user: SwarmUser): UserScope {
    return parseUserName(user.username).scope ?? { level: 'root' }
  }

  /** Root users act everywhere, tenant users in their tenant, domain users in their domain. */
  mayActIn(user: SwarmUser, scope: TokenScope): boolean {
    const own = this.scopeOf(user)
    switch (own.level) {
      case 'root':
        return true
      case 'tenant':
        return own.tenant === scope.tenant
      case 'domain':
        return scope.kind === 'domain' && scope.domain === own.domain
    }
  }

  /** docs/protocols/swarm.md §4 DOC: the token admin of a scope (inherited downwards) may act for anyone in it. */
  isTokenAdminOver(user: SwarmUser, scope: TokenScope): boolean {
    return user.tokenAdmin && this.mayActIn(user, scope)
  }
}

export function qualify(base: string, scope: UserScope): string {
  switch (scope.level) {
    case 'root':
      return `${base}@`
    case 'tenant':
      return `${base}+${scope.tenant}`
    case 'domain':
      return `${base}@${scope.domain}`
  }
}
