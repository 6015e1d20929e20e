/**
 * Qumulo Core REST client (docs/protocols/qumulo.md, cited as §n): sessions by username/password, access
 * tokens for named users, identity lookup. Pure Node; every request goes through the cluster's
 * ClusterHttp (TLS pin, timeouts, size cap). `close()` closes it.
 *
 * Choices where docs/protocols/qumulo.md leaves the team to decide:
 * - 401 on a management call: §9 warns a real cluster may answer 401 (not 403) for a missing
 *   privilege, so a 401 is re-checked with who-am-i: still signed in → FORBIDDEN naming the
 *   privilege; otherwise REFRESH_EXPIRED.
 * - revoke({username}) deletes every token of that user (at most two, §3.4), one DELETE each.
 * - Clearing an expiry (`expiresAt: null`) sends `"expiration_time": null` (§10 Q3 is open); a
 *   cluster that refuses it gets UNSUPPORTED with words.
 * - Admin detection of another user (createWarnings) uses the roles API (§7); where it cannot be
 *   read, the warning says the check could not be made rather than staying silent.
 */
import { TokendeckError } from '../../../../shared/errors'
import type { ClusterSeen, TokenSummary } from '../../../../shared/model'
import type { ClusterHttp, HttpMethod, HttpResponse, RequestOptions } from '../../http'
import { CAPABILITIES } from '../../../../shared/capabilities'
import type {
  CreatedToken,
  CreateTokenRequest,
  Identity,
  RevokeTarget,
  SessionGrant,
  SignInRequest,
  SignInResult,
  TokenPatch,
  VendorClient,
} from '../vendor'
import {
  errorHints,
  fallback,
  forbidden,
  invalidRequest,
  isGroupRefusal,
  isMissingEndpoint,
  isTokenLimit,
  PRIVILEGE_ACCESS_TOKENS_READ,
  PRIVILEGE_ACCESS_TOKENS_WRITE,
  sessionEnded,
} from './errors'
import { QumuloBearerToken } from '../tokenText'
import {
  ClusterSettings,
  CreatedTokenResponse,
  displayName,
  ExpandedIdentity,
  LoginResponse,
  parseIdentityString,
  parseQumuloJson,
  RoleList,
  RoleMembers,
  SessionRoles,
  TokenList,
  TokenMetadata,
  Version,
  WhoAmI,
  formatRequestTime,
  type ApiIdentity,
  type PartialIdentity,
} from './schemas'

/** §2.1 DOC: session bearer tokens are valid for 10 hours; there is no refresh. */
export const SESSION_LIFETIME_MS = 10 * 3600 * 1000
/** §3.4 DOC: at most two access tokens per user. */
export const MAX_TOKENS_PER_USER = 2
/** §3.3 DOC: `limit` is a request ("the system may choose a smaller limit"). */
export const DEFAULT_PAGE_SIZE = 500
/** A list longer than this many pages is a server that never says "end" (§3.3 INF). */
const MAX_PAGES = 1000

const TOKENS = '/v1/auth/access-tokens/'
const WHO_AM_I = '/v1/session/who-am-i'

export interface QumuloClientOptions {
  http: ClusterHttp
  now?: () => number
  /** `limit` asked for on each token-list page. */
  pageSize?: number
}

/** A user as createWarnings resolved it. */
interface ResolvedUser {
  identity: PartialIdentity
  name: string
  authId?: string
  groupIds: ApiIdentity[]
  /** Resolution was possible (identity/expand answered). */
  resolved: boolean
}

export class QumuloClient implements VendorClient {
  readonly vendor = 'qumulo' as const
  readonly capabilities = CAPABILITIES.qumulo
  private readonly http: ClusterHttp
  private readonly now: () => number
  private readonly pageSize: number

  constructor(opts: QumuloClientOptions) {
    this.http = opts.http
    this.now = opts.now ?? Date.now
    this.pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE
  }

  // -------------------------------------------------------------------------------------------
  // Sessions (§2)

  /** §2.1: one `POST /v1/session/login`, never retried; then who-am-i with the new bearer. */
  async signIn(request: SignInRequest): Promise<SignInResult> {
    if (request.username.trim() === '' || request.password === '') {
      throw new TokendeckError('INVALID_INPUT', 'Enter a user name and a password.')
    }
    const res = await this.http.request('POST', '/v1/session/login', {
      json: { username: request.username, password: request.password },
      headers: { 'content-type': 'application/json' },
    })
    if (res.status === 401 || res.status === 400) {
      // §2.1: failure status undocumented; §9 DESIGN 401. A 400 here is the cluster refusing the
      // pair as well (e.g. an unknown name form); either way the password was not accepted.
      throw new TokendeckError(
        'BAD_CREDENTIALS',
        `${this.http.host} did not accept the user name or password for ${request.username}. Check them and sign in again.`,
      )
    }
    if (res.status === 403) {
      // §2.1 DOC: with SAML require_sso, password login of AD users is refused.
      throw new TokendeckError(
        'FORBIDDEN',
        `${this.http.host} does not allow password sign-in for ${request.username} (single sign-on may be required). Use a local account or an access token.`,
      )
    }
    if (res.status !== 200) fallback(res)
    const bearer = parseQumuloJson(res, LoginResponse).bearer_token
    const expiresAt = this.now() + SESSION_LIFETIME_MS
    const identity = await this.whoami(bearer)
    return {
      access: { token: bearer, expiresAt },
      stored: { kind: 'session-token', value: encodeStoredSession(bearer, expiresAt), expiresAt },
      identity,
    }
  }

  /**
   * §2: no refresh endpoint; check the stored bearer with who-am-i. The session still dies 10 h
   * after its sign-in (§2.1), which the stored credential remembers (encodeStoredSession), so a
   * session resumed in another process (the CLI, the app after a restart) still says when.
   */
  async resume(stored: string): Promise<SessionGrant> {
    const { bearer, expiresAt } = decodeStoredSession(stored)
    // A stored value no server could have issued (it would not even fit in a header): over.
    if (!QumuloBearerToken.safeParse(bearer).success)
      throw new TokendeckError(
        'REFRESH_EXPIRED',
        `The stored Qumulo session for ${this.http.host} is not a usable token. Sign in again.`,
      )
    const res = await this.send('GET', WHO_AM_I, bearer)
    if (res.status === 401) throw sessionEnded(this.http.host)
    if (res.status !== 200) fallback(res)
    parseQumuloJson(res, WhoAmI)
    // Still accepted after the time we expected it to die (clocks differ): the server decides.
    const at = expiresAt !== undefined && expiresAt > this.now() ? { expiresAt } : {}
    return {
      access: { token: bearer, ...at },
      stored: { kind: 'session-token', value: stored, ...at },
    }
  }

  /**
   * §2.2 who-am-i plus `GET /v1/session/roles`. isAdmin: holds PRIVILEGE_ACCESS_TOKENS_WRITE
   * (§3.4: create/delete tokens for any user) or is in the built-in Administrators role (§7).
   */
  async whoami(access: string): Promise<Identity> {
    const me = await this.whoAmIRaw(access)
    const roles = await this.sessionRoles(access)
    const adminRole = roles.find((r) => r.toLowerCase() === 'administrators')
    const role = adminRole ?? (roles.length > 0 ? roles.join(', ') : undefined)
    return {
      username: me.name,
      uid: me.id,
      ...(role !== undefined ? { role } : {}),
      isAdmin: me.privileges.includes(PRIVILEGE_ACCESS_TOKENS_WRITE) || adminRole !== undefined,
    }
  }

  /** §3.6: any endpoint with `Bearer access-v1:…`; who-am-i then names the token. */
  async proveToken(token: string): Promise<Identity> {
    const res = await this.send('GET', WHO_AM_I, token)
    if (res.status === 401) {
      // §3.4 DOC: expired, disabled or deleted tokens no longer authenticate.
      throw new TokendeckError(
        'REFRESH_EXPIRED',
        `${this.http.host} does not accept this access token: it is expired, disabled or deleted.`,
      )
    }
    if (res.status !== 200) fallback(res)
    const me = parseQumuloJson(res, WhoAmI)
    return {
      username: me.name,
      uid: me.id,
      isAdmin: me.privileges.includes(PRIVILEGE_ACCESS_TOKENS_WRITE),
    }
  }

  /**
   * §1 DOC `GET /v1/version` gives the version ("Qumulo Core 7.2.3.1"). docs/protocols/qumulo.md names no
   * endpoint for the cluster's name; `GET /v1/cluster/settings` {cluster_name} is tried [INF],
   * and the host name stands in when it is not there.
   */
  async clusterInfo(access: string): Promise<ClusterSeen> {
    const res = await this.send('GET', '/v1/version', access)
    if (res.status !== 200)
      await this.managementFailure(
        res,
        access,
        'read the cluster version',
        'PRIVILEGE_CLUSTER_READ',
      )
    const v = parseQumuloJson(res, Version)
    const version = /^Qumulo Core\s+(.+)$/.exec(v.revision_id.trim())?.[1] ?? v.revision_id
    let clusterName = this.http.host
    try {
      const s = await this.send('GET', '/v1/cluster/settings', access)
      if (s.status === 200) clusterName = parseQumuloJson(s, ClusterSettings).cluster_name
    } catch (err) {
      // Optional [INF] endpoint: a broken answer or a failing server there is not worth an error.
      if (
        !(err instanceof TokendeckError) ||
        (err.code !== 'BAD_RESPONSE' && err.code !== 'SERVER_ERROR')
      )
        throw err
    }
    return { clusterName: clusterName.slice(0, 256), version: version.slice(0, 256) }
  }

  // -------------------------------------------------------------------------------------------
  // Access tokens (§3)

  /** §3.3: first page with `user`/`limit`, then `paging.next` verbatim until "" / null / empty page. */
  async listTokens(access: string, filter: { owner?: string } = {}): Promise<TokenSummary[]> {
    const owner = filter.owner?.trim()
    const entries = await this.listMetadata(access, owner ? owner : undefined)
    return entries.map(toSummary)
  }

  /**
   * What the UI must show before minting: §7 best practice "never mint tokens for administrative
   * accounts" (a token acts with all of the user's privileges, §3.4), and §3.4's two-token limit.
   */
  async createWarnings(access: string, request: CreateTokenRequest): Promise<string[]> {
    const me = await this.whoAmIRaw(access)
    const target = await this.resolveUser(access, request.owner, me)
    const warnings: string[] = []

    const admin = await this.isAdministrator(access, target, me)
    if (admin === true) {
      warnings.push(
        `${target.name} is an administrator: a token for this user can do everything an administrator can, including minting tokens for any user, for as long as it lives. Qumulo advises a dedicated service account with a least-privilege role instead.`,
      )
    } else if (admin === 'unknown') {
      warnings.push(
        `Tokendeck could not check whether ${target.name} is an administrator (this account cannot read the cluster's roles). A token acts with all of the user's privileges; never mint one for an administrative account.`,
      )
    }

    try {
      const filter =
        target.authId !== undefined
          ? `auth_id:${target.authId}`
          : (request.owner?.trim() ?? me.name)
      const held = (await this.listMetadata(access, filter)).length
      if (held >= MAX_TOKENS_PER_USER) {
        warnings.push(
          `${target.name} already has ${held} access tokens, the most Qumulo allows per user: creating another will fail until one is deleted.`,
        )
      }
    } catch (err) {
      // Listing needs PRIVILEGE_ACCESS_TOKENS_READ; without it the create itself will say so.
      if (
        !(err instanceof TokendeckError) ||
        (err.code !== 'FORBIDDEN' && err.code !== 'NOT_FOUND')
      )
        throw err
    }
    return warnings
  }

  /** §3.1 `POST /v1/auth/access-tokens/` {user, expiration_time?} → {id, bearer_token}. */
  async createToken(access: string, request: CreateTokenRequest): Promise<CreatedToken> {
    const ownerText = request.owner?.trim()
    let user: PartialIdentity
    let ownerName: string
    if (ownerText) {
      user = this.userIdentity(ownerText)
      ownerName = ownerText
    } else {
      // §3.2 SDK `--self`: who_am_i()["id"] as the auth_id.
      const me = await this.whoAmIRaw(access)
      user = { auth_id: me.id }
      ownerName = me.name
    }
    let expiresAt: number | undefined
    if (request.expiresIn !== undefined && request.expiresIn !== 'never') {
      if (!Number.isFinite(request.expiresIn) || request.expiresIn <= 0) {
        throw new TokendeckError(
          'INVALID_INPUT',
          'A token lifetime must be a positive number of seconds, or "never".',
        )
      }
      expiresAt = this.now() + Math.round(request.expiresIn * 1000)
    }
    const body: Record<string, unknown> = { user }
    if (expiresAt !== undefined) body.expiration_time = formatRequestTime(expiresAt)

    const what = `create an access token for ${ownerName}`
    const res = await this.send('POST', TOKENS, access, { json: body })
    if (res.status !== 200) {
      const h = errorHints(res)
      if (res.status === 400 && isGroupRefusal(h)) throw groupRefused(ownerName)
      if (isTokenLimit(res, h) && res.status !== 401 && res.status !== 403 && res.status !== 404) {
        throw new TokendeckError(
          'TOKEN_LIMIT',
          `${ownerName} already has ${MAX_TOKENS_PER_USER} access tokens, the most Qumulo allows per user. Delete one (or rotate) before creating another.`,
        )
      }
      if (res.status === 404 && !isMissingEndpoint(h)) {
        throw new TokendeckError(
          'NOT_FOUND',
          `${this.http.host} knows no user ${ownerName}. Check the name (e.g. jane, DOMAIN\\jane, jane@domain, local:jane).`,
        )
      }
      if (res.status === 400) throw invalidRequest(res, what, h)
      return this.managementFailure(res, access, what, PRIVILEGE_ACCESS_TOKENS_WRITE)
    }
    const created = parseQumuloJson(res, CreatedTokenResponse)
    const secrets = [{ kind: 'access-token' as const, value: created.bearer_token }]

    // The create answer has only id and secret (§3.2); read the metadata back for the summary,
    // but never lose the one-time secret over it.
    let summary: TokenSummary
    try {
      summary = await this.getToken(access, created.id)
    } catch {
      summary = {
        id: created.id,
        owner: ownerName,
        createdAt: this.now(),
        enabled: true,
        ...(expiresAt !== undefined ? { expiresAt } : {}),
      }
    }
    return { summary, secrets }
  }

  /** §3.1 `PATCH /v1/auth/access-tokens/{id}` with only the keys given (§3.2 SDK). */
  async modifyToken(access: string, tokenId: string, patch: TokenPatch): Promise<TokenSummary> {
    const id = checkTokenId(tokenId)
    const body: Record<string, unknown> = {}
    if (patch.expiresAt !== undefined) {
      if (
        patch.expiresAt !== null &&
        (!Number.isFinite(patch.expiresAt) || Math.abs(patch.expiresAt) > 253_402_300_799_000)
      ) {
        throw new TokendeckError('INVALID_INPUT', 'The new expiry is not a valid time.')
      }
      body.expiration_time = patch.expiresAt === null ? null : formatRequestTime(patch.expiresAt)
    }
    if (patch.enabled !== undefined) body.enabled = patch.enabled
    if (Object.keys(body).length === 0) return this.getToken(access, id)

    const res = await this.send('PATCH', tokenPath(id), access, {
      json: body,
      endpoint: 'PATCH /v1/auth/access-tokens/{id}',
    })
    if (res.status !== 200) {
      const h = errorHints(res)
      if (res.status === 404 && !isMissingEndpoint(h)) throw tokenGone(this.http.host, id)
      if (res.status === 400 && patch.expiresAt === null) {
        // §3.2 INF / §10 Q3: no documented way to clear an expiration.
        throw new TokendeckError(
          'UNSUPPORTED',
          `${this.http.host} cannot make token ${id} never expire. Set a distant expiry date instead.`,
        )
      }
      if (res.status === 400) throw invalidRequest(res, `change token ${id}`, h)
      return this.managementFailure(
        res,
        access,
        `change token ${id}`,
        PRIVILEGE_ACCESS_TOKENS_WRITE,
      )
    }
    return toSummary(parseQumuloJson(res, TokenMetadata))
  }

  /**
   * §3.1 `DELETE /v1/auth/access-tokens/{id}` → 200, no body. `{username}`: every token of that
   * user (at most two, §3.4) is deleted one by one; tokens already gone are not an error.
   */
  async revoke(access: string, target: RevokeTarget): Promise<void> {
    if ('tokenId' in target) {
      await this.deleteToken(access, checkTokenId(target.tokenId), false)
      return
    }
    const owner = target.username.trim()
    if (owner === '')
      throw new TokendeckError('INVALID_INPUT', 'Name the user whose tokens to revoke.')
    const tokens = await this.listMetadata(access, owner)
    for (const t of tokens) await this.deleteToken(access, t.id, true)
  }

  async close(): Promise<void> {
    await this.http.close()
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  private send(
    method: HttpMethod,
    path: string,
    bearer: string,
    opts: RequestOptions = {},
  ): Promise<HttpResponse> {
    // §1 SDK: Authorization: Bearer <token>, Content-Type application/json on every request.
    const headers: Record<string, string> = { authorization: `Bearer ${bearer}`, ...opts.headers }
    if (opts.json !== undefined) headers['content-type'] = 'application/json'
    return this.http.request(method, path, { ...opts, headers })
  }

  /**
   * A management call failed with `res`. 401: §9 says a missing privilege may come back as 401
   * on a real cluster, so ask who-am-i whether the session still stands. 403 → FORBIDDEN naming
   * the privilege; 404 here means the endpoint is missing (pre-5.3.0, §3); the rest → generic.
   */
  private async managementFailure(
    res: HttpResponse,
    access: string,
    what: string,
    privilege: string,
  ): Promise<never> {
    if (res.status === 401) {
      const check = await this.send('GET', WHO_AM_I, access)
      if (check.status === 200) throw forbidden(this.http.host, what, privilege)
      throw sessionEnded(this.http.host)
    }
    if (res.status === 403) throw forbidden(this.http.host, what, privilege)
    if (res.status === 404) {
      throw new TokendeckError(
        'NOT_FOUND',
        `${this.http.host} does not offer ${res.endpoint} (HTTP 404): access tokens need Qumulo Core 5.3.0 or later.`,
      )
    }
    return fallback(res)
  }

  private async whoAmIRaw(access: string) {
    const res = await this.send('GET', WHO_AM_I, access)
    if (res.status === 401) throw sessionEnded(this.http.host)
    if (res.status !== 200) fallback(res)
    return parseQumuloJson(res, WhoAmI)
  }

  /** §2.2 `GET /v1/session/roles`; an older cluster without it just has no role names to show. */
  private async sessionRoles(access: string): Promise<string[]> {
    const res = await this.send('GET', '/v1/session/roles', access)
    if (res.status === 401) throw sessionEnded(this.http.host)
    if (res.status !== 200) return []
    return parseQumuloJson(res, SessionRoles)
  }

  private userIdentity(owner: string): PartialIdentity {
    const parsed = parseIdentityString(owner)
    if (!parsed.ok)
      throw new TokendeckError(
        'INVALID_INPUT',
        `"${owner}" is not a user name Qumulo understands: ${parsed.why}.`,
      )
    if (parsed.group) throw groupRefused(owner)
    return parsed.identity
  }

  /** Walk every page (§3.3). `user` is the raw identity string, as Qumulo's PowerShell toolkit sends it. */
  private async listMetadata(access: string, user: string | undefined) {
    const out: ReturnType<typeof TokenMetadata.parse>[] = []
    const params = new URLSearchParams()
    if (user !== undefined) params.set('user', user)
    params.set('limit', String(this.pageSize))
    let path = `${TOKENS}?${params.toString()}`
    const seen = new Set<string>()
    for (let page = 0; page < MAX_PAGES; page++) {
      seen.add(path)
      const res = await this.send('GET', path, access, { endpoint: `GET ${TOKENS}` })
      if (res.status !== 200) {
        const h = errorHints(res)
        if (res.status === 404 && user !== undefined && !isMissingEndpoint(h)) {
          throw new TokendeckError('NOT_FOUND', `${this.http.host} knows no user ${user}.`)
        }
        if (res.status === 400) throw invalidRequest(res, 'list access tokens', h)
        return this.managementFailure(
          res,
          access,
          'list access tokens',
          PRIVILEGE_ACCESS_TOKENS_READ,
        )
      }
      const list = parseQumuloJson(res, TokenList)
      out.push(...list.entries)
      const next = list.paging?.next
      // §3.3: stop on "" or null, and on an empty page (some Qumulo lists always send a next).
      if (!next || list.entries.length === 0) return out
      const nextPath = safeNextPath(next)
      if (nextPath === undefined) {
        throw new TokendeckError(
          'BAD_RESPONSE',
          `Unexpected answer from ${this.http.host} to GET ${TOKENS}: the next-page link does not point at the token list.`,
        )
      }
      if (seen.has(nextPath)) {
        throw new TokendeckError(
          'BAD_RESPONSE',
          `Unexpected answer from ${this.http.host} to GET ${TOKENS}: the next-page link repeats an earlier page.`,
        )
      }
      path = nextPath
    }
    throw new TokendeckError(
      'BAD_RESPONSE',
      `Unexpected answer from ${this.http.host} to GET ${TOKENS}: the list did not end after ${MAX_PAGES} pages.`,
    )
  }

  /** §3.1 `GET /v1/auth/access-tokens/{id}` (READ, §3.4 INF). */
  private async getToken(access: string, id: string): Promise<TokenSummary> {
    const res = await this.send('GET', tokenPath(id), access, {
      endpoint: 'GET /v1/auth/access-tokens/{id}',
    })
    if (res.status !== 200) {
      const h = errorHints(res)
      if (res.status === 404 && !isMissingEndpoint(h)) throw tokenGone(this.http.host, id)
      return this.managementFailure(res, access, `read token ${id}`, PRIVILEGE_ACCESS_TOKENS_READ)
    }
    return toSummary(parseQumuloJson(res, TokenMetadata))
  }

  private async deleteToken(access: string, id: string, goneIsFine: boolean): Promise<void> {
    const res = await this.send('DELETE', tokenPath(id), access, {
      endpoint: 'DELETE /v1/auth/access-tokens/{id}',
    })
    if (res.status === 200 || res.status === 204) return
    const h = errorHints(res)
    if (res.status === 404 && !isMissingEndpoint(h)) {
      if (goneIsFine) return
      throw tokenGone(this.http.host, id)
    }
    await this.managementFailure(res, access, `delete token ${id}`, PRIVILEGE_ACCESS_TOKENS_WRITE)
  }

  /**
   * The target of a token as a full identity: §5 DOC `POST /v1/identity/expand` gives its type
   * (USER/GROUP) and its groups (roles reach users through groups, §7). Without
   * PRIVILEGE_IDENTITY_READ (or the endpoint) the name is used as typed.
   */
  private async resolveUser(
    access: string,
    owner: string | undefined,
    me: { id: string; name: string },
  ): Promise<ResolvedUser> {
    const text = owner?.trim()
    const identity: PartialIdentity = text ? this.userIdentity(text) : { auth_id: me.id }
    const shown = text || me.name
    const res = await this.send('POST', '/v1/identity/expand', access, { json: { id: identity } })
    if (res.status === 401) {
      const check = await this.send('GET', WHO_AM_I, access)
      if (check.status !== 200) throw sessionEnded(this.http.host)
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
        `${this.http.host} knows no user ${shown}. Check the name (e.g. jane, DOMAIN\\jane, jane@domain, local:jane).`,
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
   * Is `target` an administrator? For the signed-in user: who-am-i privileges and session roles.
   * For anyone else: §7 roles API — a role is administrative when it is Administrators or grants
   * PRIVILEGE_ACCESS_TOKENS_WRITE or PRIVILEGE_ROLE_WRITE (either lets its holder reach any
   * privilege), and the user holds it directly or through a group. 'unknown' when unreadable.
   */
  private async isAdministrator(
    access: string,
    target: ResolvedUser,
    me: { id: string; privileges: string[] },
  ): Promise<boolean | 'unknown'> {
    if (target.authId !== undefined && target.authId === me.id) {
      if (me.privileges.some((p) => ADMIN_PRIVILEGES.has(p))) return true
      return (await this.sessionRoles(access)).some((r) => r.toLowerCase() === 'administrators')
    }
    if (target.authId === undefined) return 'unknown'
    const rolesRes = await this.send('GET', '/v1/auth/roles/', access)
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
      const members = await this.roleMembers(access, role.name!)
      if (members === undefined) return 'unknown'
      if (members.some((m) => m.auth_id && ids.has(m.auth_id))) return true
    }
    return false
  }

  /** §7 `GET /v1/auth/roles/{role_name}/members`, paged like the token list. */
  private async roleMembers(access: string, role: string): Promise<ApiIdentity[] | undefined> {
    const out: ApiIdentity[] = []
    let path = `/v1/auth/roles/${encodeURIComponent(role)}/members`
    const seen = new Set<string>()
    for (let page = 0; page < MAX_PAGES && !seen.has(path); page++) {
      seen.add(path)
      const res = await this.send('GET', path, access, {
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
}

const ADMIN_PRIVILEGES = new Set([PRIVILEGE_ACCESS_TOKENS_WRITE, 'PRIVILEGE_ROLE_WRITE'])

/**
 * What Tokendeck keeps of a Qumulo session: the session bearer token and when it dies (§2.1:
 * 10 h after sign-in; Qumulo offers no call that says). The bearer is the part after the last
 * prefix field, sent as is; the keychain holds the whole value like any other credential.
 * Values stored before this form (a bare bearer) still resume, with the expiry unknown.
 */
const STORED_SESSION = /^tokendeck-qumulo-session:v1:(\d{1,16}):(.+)$/s

export function encodeStoredSession(bearer: string, expiresAt: number): string {
  return `tokendeck-qumulo-session:v1:${Math.max(0, Math.round(expiresAt))}:${bearer}`
}

export function decodeStoredSession(stored: string): { bearer: string; expiresAt?: number } {
  const m = STORED_SESSION.exec(stored)
  if (!m) return { bearer: stored }
  const expiresAt = Number(m[1])
  return { bearer: m[2]!, ...(Number.isSafeInteger(expiresAt) ? { expiresAt } : {}) }
}

/** §3.1 DOC: `/v1/auth/access-tokens/{id}`, no trailing slash, id URL-quoted. */
function tokenPath(id: string): string {
  return `/v1/auth/access-tokens/${encodeURIComponent(id)}`
}

/** §3.2 DOC: ids are decimal strings; anything else cannot be a Qumulo token id. */
function checkTokenId(id: string): string {
  const t = id.trim()
  if (!/^\d{1,40}$/.test(t))
    throw new TokendeckError(
      'INVALID_INPUT',
      'A Qumulo token id is a decimal number (22–23 digits).',
    )
  return t
}

/**
 * §3.3 SDK: `paging.next` is fetched verbatim as a relative URI. Only a path under the token list
 * is followed, so the bearer token is never sent to anything else.
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

function toSummary(m: ReturnType<typeof TokenMetadata.parse>): TokenSummary {
  const creator = displayName(m.creator)
  return {
    id: m.id,
    owner: displayName(m.user),
    ...(creator ? { creator } : {}),
    ...(typeof m.creation_time === 'number' ? { createdAt: m.creation_time } : {}),
    // §3.2: absent / null = never expires.
    ...(typeof m.expiration_time === 'number' ? { expiresAt: m.expiration_time } : {}),
    // §3.2 SDK: absent before 5.3.3, which means enabled.
    enabled: m.enabled ?? true,
  }
}

function groupRefused(owner: string): TokendeckError {
  // §3.4 DOC: "Groups are not supported for access tokens, must be a user".
  return new TokendeckError(
    'INVALID_INPUT',
    `${owner} is a group: Qumulo access tokens can only be created for users, not groups.`,
  )
}

function tokenGone(host: string, id: string): TokendeckError {
  return new TokendeckError(
    'NOT_FOUND',
    `${host} has no access token ${id}; it may already have been deleted.`,
  )
}
