/**
 * The token path calls every part of the Swarm client shares (docs/protocols/swarm.md §2): the
 * token cookie, the listing — the one read Swarm has, unpaged (docs/protocols/swarm.md §9.4: no
 * paging or filter parameters are documented) — creating and deleting a token. Paths that carry a
 * token get ClusterHttp's `endpoint` label, so no message ever names one.
 */
import { TokendeckError } from '../../../../shared/errors'
import type { ClusterHttp, HttpResponse, QueryValue } from '../../http'
import { parseJson } from '../../http'
import { isSuccess, unexpectedStatus } from './errors'
import { clearsCookie, issuedToken, isTokenValue, TokenListing, type ListedToken } from './schemas'

export interface SwarmApiOptions {
  http: ClusterHttp
  /** IDSYS `cookieName` (docs/protocols/swarm.md §1 DOC, example and default `token`). */
  cookieName?: string | undefined
  /** IDSYS `tokenPath` (docs/protocols/swarm.md §1 DOC, default `/.TOKEN/`). */
  tokenPath?: string | undefined
  /** Storage domain sent as `?domain=`, lower-case; undefined: the Host decides. */
  domain: string | undefined
  now: () => number
}

export class SwarmApi {
  readonly http: ClusterHttp
  /** Always `/…/`, whatever slashes the setting had. */
  readonly tokenPath: string
  readonly domain: string | undefined
  private readonly cookieName: string
  private readonly now: () => number

  constructor(opts: SwarmApiOptions) {
    this.http = opts.http
    this.cookieName = opts.cookieName ?? 'token'
    this.tokenPath = `/${(opts.tokenPath ?? '/.TOKEN/').replace(/^\/+|\/+$/g, '')}/`
    this.domain = opts.domain
    this.now = opts.now
  }

  get host(): string {
    return this.http.host
  }

  authHeaders(token: string): Record<string, string> {
    if (!isTokenValue(token)) {
      throw new TokendeckError(
        'REFRESH_EXPIRED',
        'The Swarm session is not a usable token. Sign in again.',
      )
    }
    // docs/protocols/swarm.md §2.2: `Cookie: <cookieName>=<id>` is the only non-S3 carrier
    // documented or observed.
    return { cookie: `${this.cookieName}=${token}` }
  }

  /**
   * `GET {tokenPath}?format=json` (docs/protocols/swarm.md §2.3). An expired token makes the
   * request anonymous and the reply deletes the cookie (docs/protocols/swarm.md §2.2 DOC): in
   * practice a 401, but should a Gateway let anonymous list, the cookie-clearing Set-Cookie on a
   * 200 means the same thing.
   */
  async listing(token: string): Promise<ListedToken[]> {
    const res = await this.http.request('GET', this.tokenPath, {
      headers: this.authHeaders(token),
      query: { format: 'json', domain: this.domain } satisfies Record<string, QueryValue>,
    })
    const cleared = clearsCookie(res.headers['set-cookie'], this.cookieName, this.now())
    if (res.status === 401 || (cleared && res.status < 300)) {
      const why = cleared ? 'has expired' : 'is no longer accepted'
      throw new TokendeckError(
        'REFRESH_EXPIRED',
        `The Swarm token for ${res.host} ${why} (HTTP ${res.status} on ${res.endpoint}). Sign in again.`,
      )
    }
    if (!isSuccess(res.status)) throw unexpectedStatus(res)
    return parseJson(res, TokenListing)
  }

  /**
   * `POST {tokenPath}?setcookie=false` (docs/protocols/swarm.md §2.1): the caller's headers carry
   * the credentials and the token's metadata; the body is empty. Sent once, never retried.
   */
  create(headers: Record<string, string>, domain = this.domain): Promise<HttpResponse> {
    return this.http.request('POST', this.tokenPath, {
      headers,
      query: { setcookie: 'false', domain },
      body: '',
    })
  }

  /** The token a create returned (docs/protocols/swarm.md §2.1), or BAD_RESPONSE; other statuses mapped first. */
  tokenFromCreate(res: HttpResponse): string {
    // docs/protocols/swarm.md §2.1 CODE: JASMIN wants 201, NLDS accepts 200 or 201; any 2xx
    // with a token in it is one.
    if (!isSuccess(res.status)) throw unexpectedStatus(res)
    const token = issuedToken(res.headers['gateway-token'], res.body.toString('utf8'))
    if (token === undefined) {
      throw new TokendeckError(
        'BAD_RESPONSE',
        `Unexpected answer from ${res.host} to ${res.endpoint}: HTTP ${res.status} without a token (no Gateway-Token header, no token in the body).`,
      )
    }
    return token
  }

  /**
   * `DELETE {tokenPath}{token}` (docs/protocols/swarm.md §2.4) authenticated by `auth`. The id
   * is the token itself: the label keeps it out of every message. The caller reads the status.
   */
  delete(auth: string, token: string): Promise<HttpResponse> {
    return this.http.request('DELETE', `${this.tokenPath}${encodeURIComponent(token)}`, {
      headers: this.authHeaders(auth),
      query: { domain: this.domain },
      endpoint: `DELETE ${this.tokenPath}{token}`,
    })
  }
}

/**
 * `Token <id> issued for <owner> in <domain>` — docs/protocols/swarm.md §2.1 MOCK wording, used
 * only as a fallback.
 */
export function ownerFromCreateBody(body: string): string | undefined {
  return /^Token \S+ issued for (.+) in \S+\s*$/.exec(body.trim())?.[1]
}
