import type { SimUser } from '../common/types'
import { builtInRoles } from './roles'
import type { QumuloClusterIdentity, QumuloPrincipal, QumuloRole } from './types'

/** Demo cluster and accounts. Passwords are demo values, not secrets of any real system. */

export const DEFAULT_CLUSTER: QumuloClusterIdentity = {
  name: 'tokendeck-q1',
  version: '7.2.3.1',
  sidSubAuthorities: [3177393458, 2145693457, 1823145676],
}

/** An AD domain the cluster is joined to (docs/protocols/qumulo.md §5 DOC: NetBIOS and UPN forms). */
const AD = {
  netbios: 'CORP',
  dnsDomain: 'corp.example.com',
  sid: 'S-1-5-21-1004336348-1177238915-682003330',
}

export const DEFAULT_USERS: SimUser[] = [
  { username: 'admin', password: 'Qumulo-Admin-Demo-1', role: 'Administrators' },
  // Ordinary: Observers may read (and so list tokens) but not create them.
  { username: 'alice', password: 'Alice-Demo-Pass-1', role: 'Observers' },
  // Ordinary AD user with a custom role that grants no token privilege at all.
  { username: 'bob', password: 'Bob-Demo-Pass-1', role: 'svc-backup', domain: AD.netbios },
]

/**
 * A second administrator (Administrators role, not the built-in `admin`) for tests of "is that
 * other user an administrator?" (docs/protocols/qumulo.md §7 best practice). Not in DEFAULT_USERS, whose
 * single administrator other tests rely on: add it with `users: [...DEFAULT_USERS, SECOND_ADMIN]`.
 */
export const SECOND_ADMIN: SimUser = {
  username: 'carol',
  password: 'Carol-Demo-Pass-1',
  role: 'Administrators',
}

/** Custom roles the default seed uses (docs/protocols/qumulo.md §7 DOC best practice: least-privilege service roles). */
const CUSTOM_ROLES: QumuloRole[] = [
  {
    name: 'svc-backup',
    description: 'Backup service: snapshots only',
    privileges: new Set([
      'PRIVILEGE_SNAPSHOT_READ',
      'PRIVILEGE_SNAPSHOT_WRITE',
      'PRIVILEGE_FS_ATTRIBUTES_READ',
    ]),
    members: new Set(),
  },
]

export const USERS_GROUP_ID = '513'
export const STORAGE_OPS_GROUP_ID = '1003'
export const EVERYONE_ID = '8589934592'

export interface SeededDirectory {
  principals: Map<string, QumuloPrincipal>
  roles: Map<string, QumuloRole>
}

const localSid = (cluster: QumuloClusterIdentity, authId: string) =>
  `S-1-5-21-${cluster.sidSubAuthorities.join('-')}-${authId}`

function groups(cluster: QumuloClusterIdentity): QumuloPrincipal[] {
  const group = (authId: string, name: string, gid: number | null): QumuloPrincipal => ({
    kind: 'group',
    authId,
    name,
    domain: 'LOCAL',
    sid: localSid(cluster, authId),
    uid: null,
    gid,
    password: null,
    groups: [],
    primaryGroup: authId,
  })
  return [
    group(USERS_GROUP_ID, 'Users', null),
    // A group with a POSIX gid, so `gid:3001` and `ldap_group:` name it (never-groups rule tests).
    group(STORAGE_OPS_GROUP_ID, 'storage-ops', 3001),
    {
      kind: 'group',
      authId: EVERYONE_ID,
      name: 'Everyone',
      domain: 'WORLD',
      sid: 'S-1-1-0',
      uid: null,
      gid: null,
      password: null,
      groups: [],
      primaryGroup: EVERYONE_ID,
    },
  ]
}

/** Build principals and roles from SimUsers (a role containing "admin" means Administrators). */
export function seedDirectory(users: SimUser[], cluster: QumuloClusterIdentity): SeededDirectory {
  const principals = new Map<string, QumuloPrincipal>()
  for (const g of groups(cluster)) principals.set(g.authId, g)
  const roles = new Map<string, QumuloRole>()
  for (const r of [...builtInRoles(), ...CUSTOM_ROLES]) {
    roles.set(r.name, { ...r, privileges: new Set(r.privileges), members: new Set() })
  }

  let nextAdmin = 500 // docs/protocols/qumulo.md §2.2, docs/protocols/qumulo.md §3.2 DOC examples: admin is auth_id 500
  let nextLocal = 1001
  let nextAd = 8589935617 // [INF] AD identities get large auth_ids; any decimal string works
  users.forEach((u, i) => {
    const isAdmin = /admin/i.test(u.role)
    const ad = u.domain !== undefined && u.domain.toUpperCase() !== 'LOCAL'
    const authId = String(ad ? nextAd++ : isAdmin ? nextAdmin++ : nextLocal++)
    const user: QumuloPrincipal = {
      kind: 'user',
      authId,
      name: u.username,
      domain: ad ? 'ACTIVE_DIRECTORY' : 'LOCAL',
      sid: ad ? `${AD.sid}-${1100 + i}` : localSid(cluster, authId),
      // A uid on every non-admin user so the `uid:` identity form has something to find.
      uid: isAdmin ? null : 2000 + i,
      gid: null,
      password: u.password,
      ...(ad
        ? {
            netbios: u.domain!.toUpperCase(),
            dnsDomain:
              u.domain!.toUpperCase() === AD.netbios
                ? AD.dnsDomain
                : `${u.domain!.toLowerCase()}.example.com`,
          }
        : {}),
      groups: ad ? [EVERYONE_ID] : [USERS_GROUP_ID, EVERYONE_ID],
      primaryGroup: USERS_GROUP_ID,
    }
    principals.set(authId, user)
    roleFor(roles, u.role, isAdmin).members.add(authId)
  })
  // storage-ops holds the first non-admin local user, so role-through-group can be tested.
  const firstOrdinary = [...principals.values()].find(
    (p) => p.kind === 'user' && p.domain === 'LOCAL' && p.uid !== null,
  )
  if (firstOrdinary) firstOrdinary.groups.push(STORAGE_OPS_GROUP_ID)
  return { principals, roles }
}

function roleFor(roles: Map<string, QumuloRole>, name: string, isAdmin: boolean): QumuloRole {
  if (isAdmin) return roles.get('Administrators')!
  const known = [...roles.values()].find((r) => r.name.toLowerCase() === name.toLowerCase())
  if (known) return known
  // docs/protocols/qumulo.md §7 DOC: a custom role starts with whatever privileges it is given; here none.
  const role: QumuloRole = {
    name,
    description: 'Custom role',
    privileges: new Set(),
    members: new Set(),
  }
  roles.set(name, role)
  return role
}
