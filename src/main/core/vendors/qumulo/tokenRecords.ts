/**
 * One Qumulo access token by id (docs/protocols/qumulo.md §3.1, docs/protocols/qumulo.md §3.2): read it, delete it, and
 * turn its metadata into the model's TokenSummary.
 */
import { TokendeckError } from '../../../../shared/errors'
import type { TokenSummary } from '../../../../shared/model'
import { tokenGone, tokenPath, type QumuloApi } from './api'
import {
  errorHints,
  isMissingEndpoint,
  PRIVILEGE_ACCESS_TOKENS_READ,
  PRIVILEGE_ACCESS_TOKENS_WRITE,
} from './errors'
import { displayName, parseQumuloJson, TokenMetadata } from './schemas'

/** docs/protocols/qumulo.md §3.1 `GET /v1/auth/access-tokens/{id}` (READ, docs/protocols/qumulo.md §3.4 INF). */
export async function getToken(api: QumuloApi, access: string, id: string): Promise<TokenSummary> {
  const res = await api.send('GET', tokenPath(id), access, {
    endpoint: 'GET /v1/auth/access-tokens/{id}',
  })
  if (res.status !== 200) {
    const h = errorHints(res)
    if (res.status === 404 && !isMissingEndpoint(h)) throw tokenGone(api.host, id)
    return api.managementFailure(res, access, `read token ${id}`, PRIVILEGE_ACCESS_TOKENS_READ)
  }
  return toSummary(parseQumuloJson(res, TokenMetadata))
}

/** docs/protocols/qumulo.md §3.1 `DELETE /v1/auth/access-tokens/{id}`; `goneIsFine`: a token already deleted is no error. */
export async function deleteToken(
  api: QumuloApi,
  access: string,
  id: string,
  goneIsFine: boolean,
): Promise<void> {
  const res = await api.send('DELETE', tokenPath(id), access, {
    endpoint: 'DELETE /v1/auth/access-tokens/{id}',
  })
  if (res.status === 200 || res.status === 204) return
  const h = errorHints(res)
  if (res.status === 404 && !isMissingEndpoint(h)) {
    if (goneIsFine) return
    throw tokenGone(api.host, id)
  }
  await api.managementFailure(res, access, `delete token ${id}`, PRIVILEGE_ACCESS_TOKENS_WRITE)
}

/** docs/protocols/qumulo.md §3.2 DOC: ids are decimal strings; anything else cannot be a Qumulo token id. */
export function checkTokenId(id: string): string {
  const t = id.trim()
  if (!/^\d{1,40}$/.test(t))
    throw new TokendeckError(
      'INVALID_INPUT',
      'A Qumulo token id is a decimal number (22–23 digits).',
    )
  return t
}

export function toSummary(m: TokenMetadata): TokenSummary {
  const creator = displayName(m.creator)
  return {
    id: m.id,
    owner: displayName(m.user),
    ...(creator ? { creator } : {}),
    ...(typeof m.creation_time === 'number' ? { createdAt: m.creation_time } : {}),
    // docs/protocols/qumulo.md §3.2: absent / null = never expires.
    ...(typeof m.expiration_time === 'number' ? { expiresAt: m.expiration_time } : {}),
    // docs/protocols/qumulo.md §3.2 SDK: absent before 5.3.3, which means enabled.
    enabled: m.enabled ?? true,
  }
}
