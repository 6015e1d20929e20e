/**
 * Is the user a token is for an administrator? Qumulo advises never to mint tokens for
 * administrative accounts (docs/protocols/qumulo.md §7; a token acts with all of its user's
 * privileges, docs/protocols/qumulo.md §3.4), so the create dialog warns. Resolving the user goes through identity
 * expansion (docs/protocols/qumulo.md §5) and the roles API (docs/protocols/qumulo.md §7); where the signed-in account cannot read those, the
 * answer is 'unknown' and the warning says the check could not be made.
 */
import { TokendeckError } from '../../../../shared/errors'
import { groupRefused, userIdentity, WHO_AM_I, type QumuloApi } from './api'
import { PRIVILEGE_ACCESS_TOKENS_WRITE, sessionEnded } from './errors'
import { roleMembers } from './paging'
import {
  displayName,
  ExpandedIdentity,
  parseQumuloJson,
  RoleList,
  type ApiIdentity,
  type PartialIdentity,
} from './schemas'

/** A user as createWarnings resolved it. */
export interface ResolvedUser {
  identity: PartialIdentity
  name: string
  authId?: string
  groupIds: ApiIdentity[]
  /** Resolution was possible (identity/expand answered). */
  resolved: boolean
}

/** Holding either lets its holder reach any privilege. */
const ADMIN_PRIVILEGES = new Set([PRIVILEGE_ACCESS_TOKENS_WRITE, 'PRIVILEGE_ROLE_WRITE'])

/**
 * The target of a token as a full identity: docs/protocols/qumulo.md §5 DOC
 * `POST /v1/identity/expand` gives its type (USER/GROUP) and its groups (roles reach users
 * through groups, docs/protocols/qumulo.md §7). Without PRIVILEGE_IDENTITY_READ (or the endpoint) the name is used as typed.
 */
export async function resolveUser(
  api: QumuloApi,
  access: string,
  owner: string | undefined,
  me: { id: string; name: string },
): Promise<ResolvedUser> {
  const text = owner?.trim()
  const identity: PartialIdentity = text ? userIdentity(text) : { auth_id: me.id }
  const shown = text || me.name
  const res = await api.send('POST', '/v1/identity/expand', access, { json: { id: identity } })
  if (res.status === 401) {
    const check = await api.send('GET', WHO_AM_I, access)
    if (check.status !== 200) throw sessionEnded(api.host)
  }
  if (res.status !== 200) {
    const self = !text || text.toLowerCase() === me.name.toLowerCase()
    return {
      identity,
      name: shown,
      ...(self ? { authId: me.id } : {}),
      groupIds: [],
      resolved: false,
    }
  }
  const x = parseQumuloJson(res, ExpandedIdentity)
  const type = x.type.toUpperCase()
  if (type === 'GROUP') throw groupRefused(shown)
  if (type !== 'USER' || !x.id.auth_id) {
    throw new TokendeckError(
      'NOT_FOUND',
      `${api.host} knows no user ${shown}. Check the name (e.g. jane, DOMAIN\\jane, jane@domain, local:jane).`,
    )
  }
  return {
    identity,
    name: displayName(x.id) || shown,
    authId: x.id.auth_id,
    groupIds: x.group_ids,
    resolved: true,
  }
}

/**
 * For the signed-in user: who-am-i privileges and session roles. For anyone else: the roles
 * API (docs/protocols/qumulo.md §7) — a role is administrative when it is Administrators or
 * grants PRIVILEGE_ACCESS_TOKENS_WRITE or PRIVILEGE_ROLE_WRITE, and the user holds it directly
 * or through a group. 'unknown' when unreadable.
 */
export async function isAdministrator(
  api: QumuloApi,
  access: string,
  target: ResolvedUser,
  me: { id: string; privileges: string[] },
): Promise<boolean | 'unknown'> {
  if (target.authId !== undefined && target.authId === me.id) {
    if (me.privileges.some((p) => ADMIN_PRIVILEGES.has(p))) return true
    return (await api.sessionRoles(access)).some((r) => r.toLowerCase() === 'administrators')
  }
  if (target.authId === undefined) return 'unknown'
  const rolesRes = await api.send('GET', '/v1/auth/roles/', access)
  if (rolesRes.status !== 200) return 'unknown'
  const roles = parseQumuloJson(rolesRes, RoleList)
  const adminRoles = roles.filter(
    (r) =>
      r.name !== undefined &&
      (r.name.toLowerCase() === 'administrators' ||
        r.privileges.some((p) => ADMIN_PRIVILEGES.has(p))),
  )
  const ids = new Set([
    target.authId,
    ...target.groupIds.map((g) => g.auth_id).filter((a): a is string => !!a),
  ])
  for (const role of adminRoles) {
    const members = await roleMembers(api, access, role.name!)
    if (members === undefined) return 'unknown'
    if (members.some((m) => m.auth_id && ids.has(m.auth_id))) return true
  }
  return false
}
