import { randomUUID } from 'node:crypto'
import { WEKA_ROLES, type WekaRole, type WekaSeedUser } from './options'

export interface WekaOrg {
  id: number
  name: string
}

export interface WekaUser {
  uid: string
  /** Position in the directory; appears as `uidx` in the refresh token's proof (docs/protocols/weka.md §6). */
  index: number
  username: string
  password: string
  role: WekaRole
  orgId: number
  orgName: string
  source: 'Internal'
  passwordChangeRequired: boolean
  /** Bumped by revoke-tokens and password changes; tokens carry the value they were minted with. */
  revocationCycle: number
}

export const ROOT_ORG: WekaOrg = { id: 0, name: 'Root' }

function roleOf(role: string): WekaRole {
  const found = WEKA_ROLES.find((r) => r.toLowerCase() === role.toLowerCase())
  if (!found)
    throw new Error(`WEKA simulator: unknown role "${role}" (one of ${WEKA_ROLES.join(', ')})`)
  return found
}

/** Organizations and their local users. docs/protocols/weka.md §7 DESIGN: a user's key is (org, username). */
export class UserDirectory {
  private readonly orgs: WekaOrg[] = [ROOT_ORG]
  private readonly users: WekaUser[] = []

  constructor(seed: readonly WekaSeedUser[]) {
    for (const s of seed) this.add(s)
  }

  add(seed: WekaSeedUser): WekaUser {
    const org = this.ensureOrg(seed.tenant)
    if (this.find(org, seed.username)) {
      throw new Error(`WEKA simulator: duplicate user ${seed.username} in org ${org.name}`)
    }
    const user: WekaUser = {
      uid: randomUUID(),
      index: this.users.length,
      username: seed.username,
      password: seed.password,
      role: roleOf(seed.role),
      orgId: org.id,
      orgName: org.name,
      source: 'Internal',
      passwordChangeRequired: seed.passwordChangeRequired ?? false,
      revocationCycle: 0,
    }
    this.users.push(user)
    return user
  }

  /**
   * docs/protocols/weka.md §2.1: `org` is matched case-insensitively; empty or absent means Root (CSI sends "").
   * docs/protocols/weka.md §2.1 DESIGN: a numeric ID (number or digit string) is accepted too.
   */
  resolveOrg(ref: string | number | undefined): WekaOrg | undefined {
    if (ref === undefined || ref === '') return ROOT_ORG
    if (typeof ref === 'number' || /^\d+$/.test(ref)) {
      const id = Number(ref)
      return this.orgs.find((o) => o.id === id)
    }
    const lower = ref.toLowerCase()
    return this.orgs.find((o) => o.name.toLowerCase() === lower)
  }

  find(org: WekaOrg, username: string): WekaUser | undefined {
    return this.users.find((u) => u.orgId === org.id && u.username === username)
  }

  byUid(uid: string): WekaUser | undefined {
    return this.users.find((u) => u.uid === uid)
  }

  inOrg(orgId: number): WekaUser[] {
    return this.users.filter((u) => u.orgId === orgId)
  }

  all(): readonly WekaUser[] {
    return this.users
  }

  orgCount(): number {
    return this.orgs.length
  }

  private ensureOrg(name: string | undefined): WekaOrg {
    const existing = this.resolveOrg(name)
    if (existing) return existing
    const org = { id: this.orgs.length, name: name! }
    this.orgs.push(org)
    return org
  }
}
