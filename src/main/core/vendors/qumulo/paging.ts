/**
 * Qumulo's paged lists (docs/protocols/qumulo.md §3.3, docs/protocols/qumulo.md §7): the first page, then `paging.next`
 * verbatim until the server says "end". A next link is followed only where it stays on the
 * list it came from, so the bearer token is never sent anywhere else, and a list that never
 * ends or loops is a BAD_RESPONSE rather than a hang.
 */
import { TokendeckError } from '../../../../shared/errors'
import { MAX_PAGES, TOKENS, type QumuloApi } from './api'
import {
  errorHints,
  invalidRequest,
  isMissingEndpoint,
  PRIVILEGE_ACCESS_TOKENS_READ,
} from './errors'
import {
  parseQumuloJson,
  RoleMembers,
  TokenList,
  type ApiIdentity,
  type TokenMetadata,
} from './schemas'

/** Every token, page by page. `user` is the raw identity string, as Qumulo's PowerShell toolkit sends it. */
export async function listTokenMetadata(
  api: QumuloApi,
  access: string,
  user: string | undefined,
  pageSize: number,
): Promise<TokenMetadata[]> {
  const out: TokenMetadata[] = []
  const params = new URLSearchParams()
  if (user !== undefined) params.set('user', user)
  params.set('limit', String(pageSize))
  let path = `${TOKENS}?${params.toString()}`
  const seen = new Set<string>()
  for (let page = 0; page < MAX_PAGES; page++) {
    seen.add(path)
    const res = await api.send('GET', path, access, { endpoint: `GET ${TOKENS}` })
    if (res.status !== 200) {
      const h = errorHints(res)
      if (res.status === 404 && user !== undefined && !isMissingEndpoint(h)) {
        throw new TokendeckError('NOT_FOUND', `${api.host} knows no user ${user}.`)
      }
      if (res.status === 400) throw invalidRequest(res, 'list access tokens', h)
      return api.managementFailure(res, access, 'list access tokens', PRIVILEGE_ACCESS_TOKENS_READ)
    }
    const list = parseQumuloJson(res, TokenList)
    out.push(...list.entries)
    const next = list.paging?.next
    // docs/protocols/qumulo.md §3.3: stop on "" or null, and on an empty page (some Qumulo lists always send a next).
    if (!next || list.entries.length === 0) return out
    const nextPath = safeNextPath(next)
    if (nextPath === undefined) {
      throw new TokendeckError(
        'BAD_RESPONSE',
        `Unexpected answer from ${api.host} to GET ${TOKENS}: the next-page link does not point at the token list.`,
      )
    }
    if (seen.has(nextPath)) {
      throw new TokendeckError(
        'BAD_RESPONSE',
        `Unexpected answer from ${api.host} to GET ${TOKENS}: the next-page link repeats an earlier page.`,
      )
    }
    path = nextPath
  }
  throw new TokendeckError(
    'BAD_RESPONSE',
    `Unexpected answer from ${api.host} to GET ${TOKENS}: the list did not end after ${MAX_PAGES} pages.`,
  )
}

/** docs/protocols/qumulo.md §7 `GET /v1/auth/roles/{role_name}/members`, paged like the token list; undefined when unreadable. */
export async function roleMembers(
  api: QumuloApi,
  access: string,
  role: string,
): Promise<ApiIdentity[] | undefined> {
  const out: ApiIdentity[] = []
  let path = `/v1/auth/roles/${encodeURIComponent(role)}/members`
  const seen = new Set<string>()
  for (let page = 0; page < MAX_PAGES && !seen.has(path); page++) {
    seen.add(path)
    const res = await api.send('GET', path, access, {
      endpoint: 'GET /v1/auth/roles/{role}/members',
    })
    if (res.status !== 200) return undefined
    const m = parseQumuloJson(res, RoleMembers)
    out.push(...m.members)
    if (!m.next || m.members.length === 0 || !m.next.startsWith('/v1/auth/roles/')) return out
    path = m.next
  }
  return out
}

/**
 * docs/protocols/qumulo.md §3.3 SDK: `paging.next` is fetched verbatim as a relative URI. Only a
 * path under the token list is followed, so the bearer token is never sent to anything else.
 */
function safeNextPath(next: string): string | undefined {
  const t = next.trim()
  if (
    !/^\/v1\/auth\/access-tokens\/?(\?|$)/.test(t) ||
    t.includes('#') ||
    /[\s\\]/.test(t) ||
    t.includes('..')
  )
    return undefined
  return t
}
