import type { SimUser } from '../common/types'
import { parseUserName } from './directory'
import type { SwarmTenant, SwarmUser } from './types'

/**
 * Turn option users into SwarmUsers whose tenant/domain agree with their qualified names, and
 * fail loudly at start-up on a seed that could never log in.
 */
export function normalizeUsers(
  users: Array<SimUser & { tokenAdmin?: boolean }>,
  tenants: SwarmTenant[],
): SwarmUser[] {
  const tenantOf = (domain: string) => tenants.find((t) => t.domains.includes(domain))?.name
  return users.map((u) => {
    const scope = parseUserName(u.username).scope
    if (!scope)
      throw new Error(
        `swarm sim: user "${u.username}" must be qualified (name@, name+tenant or name@domain)`,
      )
    const out: SwarmUser = {
      username: u.username,
      password: u.password,
      role: u.role,
      // SimUser convention: a role containing "admin" marks an administrator.
      tokenAdmin: u.tokenAdmin ?? /admin/i.test(u.role),
    }
    if (scope.level === 'tenant') {
      if (!tenants.some((t) => t.name === scope.tenant))
        throw new Error(`swarm sim: unknown tenant for "${u.username}"`)
      out.tenant = scope.tenant
    }
    if (scope.level === 'domain') {
      const tenant = tenantOf(scope.domain)
      if (!tenant) throw new Error(`swarm sim: unknown domain for "${u.username}"`)
      out.tenant = tenant
      out.domain = scope.domain
    }
    if (
      (u.tenant !== undefined && u.tenant !== out.tenant) ||
      (u.domain !== undefined && u.domain !== out.domain)
    ) {
      throw new Error(
        `swarm sim: tenant/domain of "${u.username}" disagree with its qualified name`,
      )
    }
    return out
  })
}

export function validateTenants(tenants: SwarmTenant[]): void {
  for (const t of tenants) {
    // docs/protocols/swarm.md §1 DOC: the Management API keeps tenant names to [a-z0-9-].
    if (!/^[a-z0-9-]+$/.test(t.name))
      throw new Error(`swarm sim: tenant name "${t.name}" must match [a-z0-9-]+`)
  }
}
