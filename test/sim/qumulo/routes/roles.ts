import { createHash } from 'node:crypto'
import { requirePrivilege } from '../auth'
import { JSON_HEADERS, QumuloHttpError, ok } from '../errors'
import { apiIdentity } from '../identities'
import { PRIVILEGE_ROLE_READ } from '../roles'
import type { ApiIdentity, QumuloRole } from '../types'
import type { RouteContext } from './context'

/**
 * The read side of /v1/auth/roles/ (docs/protocols/qumulo.md §7 DOC): list roles, one role, a role's members
 * (paged with `after`/`limit`), one member. All need PRIVILEGE_ROLE_READ (docs/protocols/qumulo.md §7 DOC); a caller
 * without it gets the docs/protocols/qumulo.md §9 DESIGN 403 envelope. Served while `settings.rolesApi` (on by
 * default; docs/protocols/qumulo.md §9 "optional"); when off, every path here answers 404 as an
 * unknown endpoint would.
 */

function enabled(ctx: RouteContext): void {
  if (!ctx.state.settings.rolesApi) throw new QumuloHttpError('routeNotFound')
}

/** docs/protocols/qumulo.md §7 DOC: `{name, description, privileges[]}`; privileges sorted so replies are stable. */
function roleBody(r: QumuloRole) {
  return { name: r.name, description: r.description, privileges: [...r.privileges].sort() }
}

/** docs/protocols/qumulo.md §7 DOC: role names are case-insensitive. */
function roleByName(ctx: RouteContext): QumuloRole {
  const role = ctx.state.role(ctx.params[0] ?? '')
  if (!role) throw new QumuloHttpError('roleNotFound')
  return role
}

/** A member a test removed from the directory still shows by auth_id, as an unresolvable id. */
function memberIdentity(ctx: RouteContext, authId: string): ApiIdentity {
  const p = ctx.state.principals.get(authId)
  return p
    ? apiIdentity(p)
    : { domain: 'API_INVALID_DOMAIN', auth_id: authId, uid: null, gid: null, sid: '', name: '' }
}

/** auth_ids are decimal strings that may exceed a double: compare as BigInt. */
function byAuthId(a: string, b: string): number {
  const x = BigInt(a)
  const y = BigInt(b)
  return x < y ? -1 : x > y ? 1 : 0
}

function positiveInt(text: string | null, name: string): number | undefined {
  if (text === null) return undefined
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new QumuloHttpError(
      'invalidRequest',
      `Query parameter "${name}" must be a positive integer.`,
    )
  return Number(text)
}

/**
 * `GET /v1/auth/roles/` → every role. [INF] the list is a map role name → role (the doc page
 * does not show the list shape; docs/protocols/qumulo.md §7 gives the per-role shape only).
 */
export function listRoles(ctx: RouteContext) {
  enabled(ctx)
  requirePrivilege(ctx.caller(), PRIVILEGE_ROLE_READ)
  const out: Record<string, ReturnType<typeof roleBody>> = {}
  for (const r of ctx.state.roles.values()) out[r.name] = roleBody(r)
  return ok(out)
}

/** `GET /v1/auth/roles/{role_name}` → the role, with an ETag (docs/protocols/qumulo.md §7 DOC: `If-Match` optional on writes). */
export function getRole(ctx: RouteContext) {
  enabled(ctx)
  requirePrivilege(ctx.caller(), PRIVILEGE_ROLE_READ)
  const body = roleBody(roleByName(ctx))
  const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16)}"`
  return { status: 200, headers: { ...JSON_HEADERS, etag }, body }
}

/**
 * `GET /v1/auth/roles/{role_name}/members?after=&limit=` (docs/protocols/qumulo.md §7 DOC: paged with after/limit) →
 * `{members: [api_identity], paging: {next}}` [DESIGN: the token list's paging (docs/protocols/qumulo.md §3.3), `after`
 * = the last member's auth_id; `next` is a relative URI and the last page ends with pagingEnd].
 */
export function listRoleMembers(ctx: RouteContext) {
  enabled(ctx)
  requirePrivilege(ctx.caller(), PRIVILEGE_ROLE_READ)
  const role = roleByName(ctx)
  const q = ctx.req.query
  const after = q.get('after')
  if (after !== null && !/^\d+$/.test(after))
    throw new QumuloHttpError('invalidRequest', 'Query parameter "after" must be an auth_id.')
  const { maxPageSize, pagingEnd } = ctx.state.settings
  const limit = Math.min(positiveInt(q.get('limit'), 'limit') ?? maxPageSize, maxPageSize)
  const all = [...role.members]
    .filter((m) => /^\d+$/.test(m))
    .sort(byAuthId)
    .filter((m) => after === null || BigInt(m) > BigInt(after))
  const page = all.slice(0, limit)
  const last = page.at(-1)
  let next: string | null = pagingEnd
  if (all.length > limit && last !== undefined) {
    const params = new URLSearchParams({ after: last, limit: String(limit) })
    next = `/v1/auth/roles/${encodeURIComponent(role.name)}/members?${params.toString()}`
  }
  return ok({ members: page.map((m) => memberIdentity(ctx, m)), paging: { next } })
}

/** `GET /v1/auth/roles/{role_name}/members/{member_id}` (member_id = auth_id [INF]) → api_identity. */
export function getRoleMember(ctx: RouteContext) {
  enabled(ctx)
  requirePrivilege(ctx.caller(), PRIVILEGE_ROLE_READ)
  const role = roleByName(ctx)
  const id = ctx.params[1] ?? ''
  if (!role.members.has(id)) throw new QumuloHttpError('roleMemberNotFound')
  return ok(memberIdentity(ctx, id))
}
