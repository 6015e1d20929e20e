/**
 * The Qumulo REST calls every part of the client shares: sending with the session's bearer,
 * mapping a failed management call, who-am-i and the session's roles, and the token paths
 * (docs/protocols/qumulo.md §1, docs/protocols/qumulo.md §2.2, docs/protocols/qumulo.md §3.1, docs/protocols/qumulo.md §9).
 */
import { TokendeckError } from '../../../../shared/errors'
import type { ClusterHttp, HttpMethod, HttpResponse, RequestOptions } from '../../http'
import { forbidden, sessionEnded, unexpectedStatus } from './errors'
import {
  parseIdentityString,
  parseQumuloJson,
  SessionRoles,
  WhoAmI,
  type PartialIdentity,
} from './schemas'

export const TOKENS = '/v1/auth/access-tokens/'
export const WHO_AM_I = '/v1/session/who-am-i'
/** A list longer than this many pages is a server that never says "end" (docs/protocols/qumulo.md §3.3 INF). */
export const MAX_PAGES = 1000

export class QumuloApi {
  constructor(readonly http: ClusterHttp) {}

  get host(): string {
    return this.http.host
  }

  send(
    method: HttpMethod,
    path: string,
    bearer: string,
    opts: RequestOptions = {},
  ): Promise<HttpResponse> {
    // docs/protocols/qumulo.md §1 SDK: Authorization: Bearer <token>, Content-Type application/json on every request.
    const headers: Record<string, string> = { authorization: `Bearer ${bearer}`, ...opts.headers }
    if (opts.json !== undefined) headers['content-type'] = 'application/json'
    return this.http.request(method, path, { ...opts, headers })
  }

  /**
   * A management call failed with `res`. 401: docs/protocols/qumulo.md §9 says a missing
   * privilege may come back as 401 on a real cluster, so ask who-am-i whether the session still
   * stands. 403 → FORBIDDEN naming the privilege; 404 here means the endpoint is missing
   * (pre-5.3.0, docs/protocols/qumulo.md §3); the rest → generic.
   */
  async managementFailure(
    res: HttpResponse,
    access: string,
    what: string,
    privilege: string,
  ): Promise<never> {
    if (res.status === 401) {
      const check = await this.send('GET', WHO_AM_I, access)
      if (check.status === 200) throw forbidden(this.host, what, privilege)
      throw sessionEnded(this.host)
    }
    if (res.status === 403) throw forbidden(this.host, what, privilege)
    if (res.status === 404) {
      throw new TokendeckError(
        'NOT_FOUND',
        `${this.host} does not offer ${res.endpoint} (HTTP 404): access tokens need Qumulo Core 5.3.0 or later.`,
      )
    }
    throw unexpectedStatus(res)
  }

  async whoAmI(access: string) {
    const res = await this.send('GET', WHO_AM_I, access)
    if (res.status === 401) throw sessionEnded(this.host)
    if (res.status !== 200) throw unexpectedStatus(res)
    return parseQumuloJson(res, WhoAmI)
  }

  /** docs/protocols/qumulo.md §2.2 `GET /v1/session/roles`; an older cluster without it just has no role names to show. */
  async sessionRoles(access: string): Promise<string[]> {
    const res = await this.send('GET', '/v1/session/roles', access)
    if (res.status === 401) throw sessionEnded(this.host)
    if (res.status !== 200) return []
    return parseQumuloJson(res, SessionRoles)
  }
}

/** docs/protocols/qumulo.md §3.1 DOC: `/v1/auth/access-tokens/{id}`, no trailing slash, id URL-quoted. */
export function tokenPath(id: string): string {
  return `/v1/auth/access-tokens/${encodeURIComponent(id)}`
}

/** A user name as Qumulo takes it; a group is refused (tokens are for users only). */
export function userIdentity(owner: string): PartialIdentity {
  const parsed = parseIdentityString(owner)
  if (!parsed.ok)
    throw new TokendeckError(
      'INVALID_INPUT',
      `"${owner}" is not a user name Qumulo understands: ${parsed.why}.`,
    )
  if (parsed.group) throw groupRefused(owner)
  return parsed.identity
}

export function groupRefused(owner: string): TokendeckError {
  // docs/protocols/qumulo.md §3.4 DOC: "Groups are not supported for access tokens, must be a user".
  return new TokendeckError(
    'INVALID_INPUT',
    `${owner} is a group: Qumulo access tokens can only be created for users, not groups.`,
  )
}

export function tokenGone(host: string, id: string): TokendeckError {
  return new TokendeckError(
    'NOT_FOUND',
    `${host} has no access token ${id}; it may already have been deleted.`,
  )
}
