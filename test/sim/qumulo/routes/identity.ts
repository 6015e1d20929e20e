import { requirePrivilege } from '../auth'
import { jsonObjectBody } from '../body'
import { QumuloHttpError, ok } from '../errors'
import {
  apiIdentity,
  parsePartialIdentity,
  resolveIdentity,
  type PartialIdentity,
} from '../identities'
import { PRIVILEGE_IDENTITY_READ } from '../roles'
import type { RouteContext } from './context'

/** docs/protocols/qumulo.md §5 DOC: identity lookup endpoints, behind PRIVILEGE_IDENTITY_READ. */

/** `POST /v1/identity/find` (and its deprecated twin `/v1/auth/identity/find`): partial → full. */
export function findIdentity(ctx: RouteContext) {
  requirePrivilege(ctx.caller(), PRIVILEGE_IDENTITY_READ)
  const body = jsonObjectBody(ctx.req, ['domain', 'auth_id', 'uid', 'gid', 'sid', 'name'])
  const want = parsePartialIdentity(body, 'body')
  const found = resolveIdentity(ctx.state.principals.values(), want, ctx.cluster.name)
  if (!found) throw new QumuloHttpError('identityNotFound')
  return ok(apiIdentity(found))
}

function unknownIdentity(want: PartialIdentity) {
  return {
    domain: want.domain ?? 'API_NULL_DOMAIN',
    auth_id: want.auth_id ?? '',
    uid: want.uid ?? null,
    gid: want.gid ?? null,
    sid: want.sid ?? '',
    name: want.name ?? '',
  }
}

/**
 * `POST /v1/identity/expand` {id, equivalent_ids?, group_ids?} → {id, type, smb_id, nfs_id,
 * equivalent_ids, group_ids}; type USER | GROUP | UNKNOWN (docs/protocols/qumulo.md §5 DOC). [INF] smb_id and
 * nfs_id are the same full identity (the simulator has no separate POSIX/SMB mappings), and an
 * identity nobody knows answers type UNKNOWN rather than 404 since the type enum has it.
 */
export function expandIdentity(ctx: RouteContext) {
  requirePrivilege(ctx.caller(), PRIVILEGE_IDENTITY_READ)
  const body = jsonObjectBody(ctx.req, ['id', 'equivalent_ids', 'group_ids'])
  if (body.id === undefined)
    throw new QumuloHttpError('invalidRequest', 'Missing required field "id".')
  for (const key of ['equivalent_ids', 'group_ids'] as const) {
    const list = body[key]
    if (list === undefined) continue
    if (!Array.isArray(list))
      throw new QumuloHttpError('invalidRequest', `Field "${key}" must be an array.`)
    list.forEach((x, i) => parsePartialIdentity(x, `${key}[${i}]`))
  }
  const want = parsePartialIdentity(body.id, 'id')
  const found = resolveIdentity(ctx.state.principals.values(), want, ctx.cluster.name)
  if (!found) {
    const id = unknownIdentity(want)
    return ok({ id, type: 'UNKNOWN', smb_id: id, nfs_id: id, equivalent_ids: [], group_ids: [] })
  }
  const id = apiIdentity(found)
  const groupIds = found.groups
    .map((g) => ctx.state.principals.get(g))
    .filter((g) => g !== undefined)
    .map((g) => apiIdentity(g))
  return ok({
    id,
    type: found.kind === 'user' ? 'USER' : 'GROUP',
    smb_id: id,
    nfs_id: id,
    equivalent_ids: [],
    group_ids: groupIds,
  })
}
