/**
 * Qumulo Core REST client (docs/protocols/qumulo.md): sessions by username/password, access
 * tokens for named users, identity lookup. Shared calls live in ./api.ts, paged lists in
 * ./paging.ts, the administrator check in ./adminCheck.ts, the stored-session form in
 * ./storedSession.ts. Pure Node; every request goes through the cluster's
 * ClusterHttp (TLS pin, timeouts, size cap). `close()` closes it.
 *
 * Choices where docs/protocols/qumulo.md leaves the team to decide:
 * - 401 on a management call: docs/protocols/qumulo.md §9 warns a real cluster may answer 401 (not 403) for a missing
 *   privilege, so a 401 is re-checked with who-am-i: still signed in → FORBIDDEN naming the
 *   privilege; otherwise REFRESH_EXPIRED.
 * - revoke({username}) deletes every token of that user (at most two, docs/protocols/qumulo.md §3.4), one DELETE each.
 * - Clearing an expiry (`expiresAt: null`) sends `"expiration_time": null` (docs/protocols/qumulo.md §10 Q3 is open); a
 *   cluster that refuses it gets UNSUPPORTED with words.
 * - Admin detection of another user (createWarnings) uses the roles API (docs/protocols/qumulo.md §7); where it cannot be
 *   read, the warning says the check could not be made rather than staying silent.
 */
import { TokendeckError } from '../../../../shared/errors'
import type { ClusterSeen, TokenSummary } from '../../../../shared/model'
import type { ClusterHttp } from '../../http'
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
import { isAdministrator, resolveUser } from './adminCheck'
import {
  groupRefused,
  QumuloApi,
  tokenGone,
  tokenPath,
  TOKENS,
  userIdentity,
  WHO_AM_I,
} from './api'
import {
  errorHints,
  invalidRequest,
  isGroupRefusal,
  isMissingEndpoint,
  isTokenLimit,
  PRIVILEGE_ACCESS_TOKENS_WRITE,
  sessionEnded,
  unexpectedStatus,
} from './errors'
import { listTokenMetadata } from './paging'
import { checkTokenId, deleteToken, getToken, toSummary } from './tokenRecords'
import { decodeStoredSession, encodeStoredSession } from './storedSession'
import { QumuloBearerToken } from '../tokenText'
import {
  ClusterSettings,
  CreatedTokenResponse,
  LoginResponse,
  parseQumuloJson,
  TokenMetadata,
  Version,
  WhoAmI,
  formatRequestTime,
  type PartialIdentity,
} from './schemas'

export { decodeStoredSession, encodeStoredSession } from './storedSession'

/** docs/protocols/qumulo.md §2.1 DOC: session bearer tokens are valid for 10 hours; there is no refresh. */
export const SESSION_LIFETIME_MS = 10 * 3600 * 1000
/** docs/protocols/qumulo.md §3.4 DOC: at most two access tokens per user. */
export const MAX_TOKENS_PER_USER = 2
/** docs/protocols/qumulo.md §3.3 DOC: `limit` is a request ("the system may choose a smaller limit"). */
export const DEFAULT_PAGE_SIZE = 500
export interface QumuloClientOptions {
  http: ClusterHttp
  now?: () => number
  /** `limit` asked for on each token-list page. */
  pageSize?: number
}

export class QumuloClient implements VendorClient {
  readonly vendor = 'qumulo' as const
  readonly capabilities = CAPABILITIES.qumulo
  private readonly http: ClusterHttp
  private readonly api: QumuloApi
  private readonly now: () => number
  private readonly pageSize: number

  constructor(opts: QumuloClientOptions) {
    this.http = opts.http
    this.api = new QumuloApi(opts.http)
    this.now = opts.now ?? Date.now
    this.pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE
  }

  // -------------------------------------------------------------------------------------------
  // Sessions (docs/protocols/qumulo.md §2)

  /** docs/protocols/qumulo.md §2.1: one `POST /v1/session/login`, never retried; then who-am-i with the new bearer. */
  async signIn(request: SignInRequest): Promise<SignInResult> {
    if (request.username.trim() === '' || request.password === '') {
      throw new TokendeckError('INVALID_INPUT', 'Enter a user name and a password.')
    }
    const res = await this.http.request('POST', '/v1/session/login', {
      json: { username: request.username, password: request.password },
      headers: { 'content-type': 'application/json' },
    })
    if (res.status === 401 || res.status === 400) {
      // docs/protocols/qumulo.md §2.1: failure status undocumented; docs/protocols/qumulo.md §9 DESIGN 401. A 400 here is the cluster refusing the
      // pair as well (e.g. an unknown name form); either way the password was not accepted.
      throw new TokendeckError(
        'BAD_CREDENTIALS',
        `${this.http.host} did not accept the user name or password for ${request.username}. Check them and sign in again.`,
      )
    }
    if (res.status === 403) {
      // docs/protocols/qumulo.md §2.1 DOC: with SAML require_sso, password login of AD users is refused.
      throw new TokendeckError(
        'FORBIDDEN',
        `${this.http.host} does not allow password sign-in for ${request.username} (single sign-on may be required). Use a local account or an access token.`,
      )
    }
    if (res.status !== 200) throw unexpectedStatus(res)
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
   * docs/protocols/qumulo.md §2: no refresh endpoint; check the stored bearer with who-am-i. The session still dies 10 h
   * after its sign-in (docs/protocols/qumulo.md §2.1), which the stored credential remembers (encodeStoredSession), so a
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
    const res = await this.api.send('GET', WHO_AM_I, bearer)
    if (res.status === 401) throw sessionEnded(this.http.host)
    if (res.status !== 200) throw unexpectedStatus(res)
    parseQumuloJson(res, WhoAmI)
    // Still accepted after the time we expected it to die (clocks differ): the server decides.
    const at = expiresAt !== undefined && expiresAt > this.now() ? { expiresAt } : {}
    return {
      access: { token: bearer, ...at },
      stored: { kind: 'session-token', value: stored, ...at },
    }
  }

  /**
   * docs/protocols/qumulo.md §2.2 who-am-i plus `GET /v1/session/roles`. isAdmin: holds PRIVILEGE_ACCESS_TOKENS_WRITE
   * (docs/protocols/qumulo.md §3.4: create/delete tokens for any user) or is in the built-in Administrators role (docs/protocols/qumulo.md §7).
   */
  async whoami(access: string): Promise<Identity> {
    const me = await this.api.whoAmI(access)
    const roles = await this.api.sessionRoles(access)
    const adminRole = roles.find((r) => r.toLowerCase() === 'administrators')
    const role = adminRole ?? (roles.length > 0 ? roles.join(', ') : undefined)
    return {
      username: me.name,
      uid: me.id,
      ...(role !== undefined ? { role } : {}),
      isAdmin: me.privileges.includes(PRIVILEGE_ACCESS_TOKENS_WRITE) || adminRole !== undefined,
    }
  }

  /** docs/protocols/qumulo.md §3.6: any endpoint with `Bearer access-v1:…`; who-am-i then names the token. */
  async proveToken(token: string): Promise<Identity> {
    const res = await this.api.send('GET', WHO_AM_I, token)
    if (res.status === 401) {
      // docs/protocols/qumulo.md §3.4 DOC: expired, disabled or deleted tokens no longer authenticate.
      throw new TokendeckError(
        'REFRESH_EXPIRED',
        `${this.http.host} does not accept this access token: it is expired, disabled or deleted.`,
      )
    }
    if (res.status !== 200) throw unexpectedStatus(res)
    const me = parseQumuloJson(res, WhoAmI)
    return {
      username: me.name,
      uid: me.id,
      isAdmin: me.privileges.includes(PRIVILEGE_ACCESS_TOKENS_WRITE),
    }
  }

  /**
   * docs/protocols/qumulo.md §1 DOC: `GET /v1/version` gives the version ("Qumulo Core 7.2.3.1"),
   * `GET /v1/cluster/settings` the cluster's name; the privilege that needs is not documented,
   * so the host name stands in when it is refused or broken.
   */
  async clusterInfo(access: string): Promise<ClusterSeen> {
    const res = await this.api.send('GET', '/v1/version', access)
    if (res.status !== 200)
      await this.api.managementFailure(
        res,
        access,
        'read the cluster version',
        'PRIVILEGE_CLUSTER_READ',
      )
    const v = parseQumuloJson(res, Version)
    const version = /^Qumulo Core\s+(.+)$/.exec(v.revision_id.trim())?.[1] ?? v.revision_id
    let clusterName = this.http.host
    try {
      const s = await this.api.send('GET', '/v1/cluster/settings', access)
      if (s.status === 200) clusterName = parseQumuloJson(s, ClusterSettings).cluster_name
    } catch (err) {
      // Only for display: a broken answer or a failing server there is not worth an error.
      if (
        !(err instanceof TokendeckError) ||
        (err.code !== 'BAD_RESPONSE' && err.code !== 'SERVER_ERROR')
      )
        throw err
    }
    return { clusterName: clusterName.slice(0, 256), version: version.slice(0, 256) }
  }

  // -------------------------------------------------------------------------------------------
  // Access tokens (docs/protocols/qumulo.md §3)

  /** docs/protocols/qumulo.md §3.3: first page with `user`/`limit`, then `paging.next` verbatim until "" / null / empty page. */
  async listTokens(access: string, filter: { owner?: string } = {}): Promise<TokenSummary[]> {
    const owner = filter.owner?.trim()
    const entries = await listTokenMetadata(
      this.api,
      access,
      owner ? owner : undefined,
      this.pageSize,
    )
    return entries.map(toSummary)
  }

  /**
   * What the UI must show before minting: docs/protocols/qumulo.md §7 best practice "never mint tokens for administrative
   * accounts" (a token acts with all of the user's privileges, docs/protocols/qumulo.md §3.4), and docs/protocols/qumulo.md §3.4's two-token limit.
   */
  async createWarnings(access: string, request: CreateTokenRequest): Promise<string[]> {
    const me = await this.api.whoAmI(access)
    const target = await resolveUser(this.api, access, request.owner, me)
    const warnings: string[] = []

    const admin = await isAdministrator(this.api, access, target, me)
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
      const held = (await listTokenMetadata(this.api, access, filter, this.pageSize)).length
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

  /** docs/protocols/qumulo.md §3.1 `POST /v1/auth/access-tokens/` {user, expiration_time?} → {id, bearer_token}. */
  async createToken(access: string, request: CreateTokenRequest): Promise<CreatedToken> {
    const ownerText = request.owner?.trim()
    let user: PartialIdentity
    let ownerName: string
    if (ownerText) {
      user = userIdentity(ownerText)
      ownerName = ownerText
    } else {
      // docs/protocols/qumulo.md §3.2 SDK `--self`: who_am_i()["id"] as the auth_id.
      const me = await this.api.whoAmI(access)
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
    const res = await this.api.send('POST', TOKENS, access, { json: body })
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
      return this.api.managementFailure(res, access, what, PRIVILEGE_ACCESS_TOKENS_WRITE)
    }
    const created = parseQumuloJson(res, CreatedTokenResponse)
    const secrets = [{ kind: 'access-token' as const, value: created.bearer_token }]

    // The create answer has only id and secret (docs/protocols/qumulo.md §3.2); read the metadata back for the summary,
    // but never lose the one-time secret over it.
    let summary: TokenSummary
    try {
      summary = await getToken(this.api, access, created.id)
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

  /** docs/protocols/qumulo.md §3.1 `PATCH /v1/auth/access-tokens/{id}` with only the keys given (docs/protocols/qumulo.md §3.2 SDK). */
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
    if (Object.keys(body).length === 0) return getToken(this.api, access, id)

    const res = await this.api.send('PATCH', tokenPath(id), access, {
      json: body,
      endpoint: 'PATCH /v1/auth/access-tokens/{id}',
    })
    if (res.status !== 200) {
      const h = errorHints(res)
      if (res.status === 404 && !isMissingEndpoint(h)) throw tokenGone(this.http.host, id)
      if (res.status === 400 && patch.expiresAt === null) {
        // docs/protocols/qumulo.md §3.2 INF / docs/protocols/qumulo.md §10 Q3: no documented way to clear an expiration.
        throw new TokendeckError(
          'UNSUPPORTED',
          `${this.http.host} cannot make token ${id} never expire. Set a distant expiry date instead.`,
        )
      }
      if (res.status === 400) throw invalidRequest(res, `change token ${id}`, h)
      return this.api.managementFailure(
        res,
        access,
        `change token ${id}`,
        PRIVILEGE_ACCESS_TOKENS_WRITE,
      )
    }
    return toSummary(parseQumuloJson(res, TokenMetadata))
  }

  /**
   * docs/protocols/qumulo.md §3.1 `DELETE /v1/auth/access-tokens/{id}` → 200, no body. `{username}`: every token of that
   * user (at most two, docs/protocols/qumulo.md §3.4) is deleted one by one; tokens already gone are not an error.
   */
  async revoke(access: string, target: RevokeTarget): Promise<void> {
    if ('tokenId' in target) {
      await deleteToken(this.api, access, checkTokenId(target.tokenId), false)
      return
    }
    const owner = target.username.trim()
    if (owner === '')
      throw new TokendeckError('INVALID_INPUT', 'Name the user whose tokens to revoke.')
    const tokens = await listTokenMetadata(this.api, access, owner, this.pageSize)
    for (const t of tokens) await deleteToken(this.api, access, t.id, true)
  }

  async close(): Promise<void> {
    await this.http.close()
  }
}
