/**
 * The WEKA vendor client: WEKA's REST API (port 14000, `/api/v2`, docs/protocols/weka.md) mapped to
 * VendorClient. Pure Node; every request goes through the cluster's ClusterHttp (TLS pin,
 * timeouts, size cap, transport and 5xx errors). This client never retries: the session engine
 * owns backoff, and a password is sent exactly once (docs/protocols/weka.md §5: Manila's retries kept lockouts
 * alive).
 */
import {
  ClusterHttp,
  parseJson,
  type HttpMethod,
  type HttpResponse,
  type RequestOptions,
} from '../../http'
import type { Capabilities, Cluster, ClusterSeen, TokenSummary } from '../../../../shared/model'
import { TokendeckError } from '../../../../shared/errors'
import { CAPABILITIES } from '../../../../shared/capabilities'
import { VendorHttp } from '../vendorHttp'
import type {
  ChangePasswordRequest,
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
  unexpectedStatus,
  humanDuration,
  passwordChangeRequired,
  refreshFailure,
  signInFailure,
  unsupported,
} from './errors'
import { changeBody, changeFailure, noPendingChange, type PendingChange } from './passwordChange'
import { ClusterReply, LoginReply, UserListReply, WhoamiReply, type WekaTokens } from './schemas'

/** docs/protocols/weka.md §1: every REST path lives under /api/v2 on the cluster's origin (port 14000). */
export const WEKA_API_PREFIX = '/api/v2'
/** docs/protocols/weka.md §4.1 DOC: `weka user generate-token` defaults to 30 days. */
export const DEFAULT_LONG_LIVED_SECONDS = 2_592_000
/** Lifetimes above this get a createWarnings() note. */
export const LONG_EXPIRY_WARNING_SECONDS = 90 * 86_400
/** docs/protocols/weka.md §4.3: roles that administer users (4.x OrgAdmin, 5.x TenantAdmin). */
const ADMIN_ROLES = new Set(['clusteradmin', 'orgadmin', 'tenantadmin'])

export interface WekaClientOptions {
  /** The cluster's HTTP client; its URL is the API origin (`https://host:14000`), without `/api/v2`. */
  http: ClusterHttp
  /**
   * Default WEKA organization for signIn when the request names none. Empty or absent = Root:
   * the field is then left out of the login body (docs/protocols/weka.md §2.1, "org" optional, default Root).
   */
  org?: string
  /** Clock (epoch ms) for expiresAt, createdAt and lockout retryAt; pass the session's clock. */
  now?: () => number
}

export class WekaClient implements VendorClient {
  readonly vendor = 'weka' as const
  readonly capabilities: Capabilities = CAPABILITIES.weka

  private readonly http: ClusterHttp
  private readonly org: string | undefined
  private readonly now: () => number
  /** The token of the last sign-in answered with password_change_required: memory only. */
  private pending: PendingChange | undefined

  constructor(opts: WekaClientOptions) {
    this.http = opts.http
    this.org = opts.org
    this.now = opts.now ?? Date.now
  }

  /**
   * Exactly one POST /login (docs/protocols/weka.md §2). 200 → tokens, then GET /users/whoami with the new
   * access token for the identity. 401 → BAD_CREDENTIALS; 403 lockout → ACCOUNT_LOCKED with
   * retryAt; other 403 → FORBIDDEN. `password_change_required: true` (docs/protocols/weka.md §2.4: the login succeeds
   * and the GUI then forces a change) → PASSWORD_CHANGE_REQUIRED, saying where to change it; the
   * tokens are dropped (the password change revokes them, docs/protocols/weka.md §3).
   */
  async signIn(request: SignInRequest): Promise<SignInResult> {
    const org = request.org ?? this.org
    const body: Record<string, string> = { username: request.username, password: request.password }
    // docs/protocols/weka.md §2.1: org is optional and defaults to Root; empty means Root too, so leave it out.
    if (org !== undefined && org.trim() !== '') body.org = org.trim()
    const res = await this.send('POST', '/login', { json: body })
    if (res.status !== 200) throw signInFailure(res, request.username, this.now())
    const tokens = parseJson(res, LoginReply).data
    if (tokens.password_change_required === true) {
      // Kept for changePassword only (docs/protocols/weka.md §2.4): the refresh token is dropped.
      this.pending = {
        username: request.username,
        org: body.org,
        access: tokens.access_token,
        expiresAt: this.now() + tokens.expires_in * 1000,
      }
      throw passwordChangeRequired(res.host, request.username)
    }
    this.pending = undefined
    const grant = this.grantFrom(tokens)
    const identity = await this.whoami(grant.access.token)
    return { ...grant, identity }
  }

  /**
   * docs/protocols/weka.md §2.4 "change password": one PUT /users/password with the token of the
   * sign-in that asked for the change, then one POST /login with the new password. The change
   * revokes the user's tokens (docs/protocols/weka.md §3), so the session is the new sign-in's.
   * A refused PUT sends nothing else; the pending token stays for another try until it expires.
   */
  async changePassword(request: ChangePasswordRequest): Promise<SignInResult> {
    const pending = this.pending
    if (!pending || pending.username !== request.username || pending.expiresAt <= this.now())
      throw noPendingChange(request.username)
    const res = await this.send('PUT', '/users/password', {
      headers: bearer(pending.access),
      json: changeBody(pending, request.password, request.newPassword),
    })
    if (res.status !== 200) {
      if (res.status === 401) this.pending = undefined
      throw changeFailure(res, request.username)
    }
    this.pending = undefined
    try {
      return await this.signIn({ ...request, password: request.newPassword })
    } catch (e) {
      const err = e instanceof TokendeckError ? e : undefined
      throw new TokendeckError(
        err?.code ?? 'INTERNAL',
        `The password of "${request.username}" was changed, but signing in with the new one failed: ${err?.message ?? 'unexpected error'} Sign in again with the new password.`,
      )
    }
  }

  /**
   * POST /login/refresh {refresh_token} (docs/protocols/weka.md §3) → a new access token and a new refresh
   * token, to be stored in place of the old. 401 → REFRESH_EXPIRED. Transport errors and 5xx
   * come from the http layer (UNREACHABLE, TIMEOUT, SERVER_ERROR with retryAt) untouched.
   */
  async resume(stored: string): Promise<SessionGrant> {
    return this.grantFrom(await this.refresh({ refresh_token: stored }))
  }

  /** GET /users/whoami (docs/protocols/weka.md §4.3). */
  async whoami(access: string): Promise<Identity> {
    return this.identity(access, 'the access token')
  }

  /** GET /cluster (docs/protocols/weka.md §4.5): name, guid, release identify the cluster. */
  async clusterInfo(access: string): Promise<ClusterSeen> {
    const res = await this.send('GET', '/cluster', { headers: bearer(access) })
    if (res.status !== 200) throw unexpectedStatus(res)
    const c = parseJson(res, ClusterReply).data
    return {
      clusterName: c.name,
      ...(c.guid !== undefined ? { clusterId: c.guid } : {}),
      ...(c.release !== undefined ? { version: c.release } : {}),
    }
  }

  /** WEKA has no REST call that lists tokens (capabilities.listsTokens = false; docs/protocols/weka.md §4). */
  async listTokens(_access: string, _filter?: { owner?: string }): Promise<TokenSummary[]> {
    throw unsupported(
      "WEKA clusters cannot list tokens: their tokens are self-contained and the REST API has no token list. Revoking signs out all of a user's sessions instead.",
    )
  }

  /**
   * Nothing to confirm for ordinary lifetimes; a note for lifetimes over 90 days, since WEKA
   * cannot revoke one token alone (docs/protocols/weka.md §4.2). Invalid requests fail as createToken would.
   */
  async createWarnings(_access: string, request: CreateTokenRequest): Promise<string[]> {
    const seconds = longLivedSeconds(request)
    if (seconds <= LONG_EXPIRY_WARNING_SECONDS) return []
    return [
      `This token stays valid for ${Math.round(seconds / 86_400)} days. WEKA cannot revoke a single token: to stop it early you must revoke all tokens of this user, which also signs out every other session of that user. The cluster may also shorten the lifetime to its maximum.`,
    ]
  }

  /**
   * A long-lived access token (docs/protocols/weka.md §4.1 DESIGN, the REST form of `weka user generate-token`):
   * POST /login/refresh {refresh_token, access_token_expiry: seconds}. VendorClient.createToken
   * gets the access token; the *refresh* token is `stored`, which the caller takes from the
   * session (default lifetime 30 days; 'never' is unsupported on REST). The new refresh token
   * that comes back (docs/protocols/weka.md §3 CODE: sliding window) is returned as
   * `rotatedStored` for the caller to hand to the session; the old one stays valid meanwhile
   * (docs/protocols/weka.md §3 INF; docs/protocols/weka.md §9.5). The summary's id is synthetic (`long-lived-<iat>`):
   * WEKA gives tokens no id.
   */
  async createToken(
    access: string,
    request: CreateTokenRequest,
    stored?: string,
  ): Promise<CreatedToken> {
    const seconds = longLivedSeconds(request)
    if (stored === undefined) {
      throw new TokendeckError(
        'NOT_SIGNED_IN',
        `Generating a long-lived WEKA token needs this session's refresh token, and none is available. Sign in again.`,
      )
    }
    // Who the token is for, asked before minting so a failure here leaves no token behind.
    const me = await this.whoami(access)
    if (request.owner !== undefined && request.owner !== me.username) {
      throw unsupported(
        `WEKA mints long-lived tokens only for the signed-in user ("${me.username}"), not for "${request.owner}". Sign in as that user to create one.`,
      )
    }
    const createdAt = this.now()
    const tokens = await this.refresh({ refresh_token: stored, access_token_expiry: seconds })
    const summary: TokenSummary = {
      id: `long-lived-${Math.floor(createdAt / 1000)}`,
      owner: me.username,
      createdAt,
      expiresAt: createdAt + tokens.expires_in * 1000,
      // docs/protocols/weka.md §4.1: a cluster maximum (max_access_token_expiry) may cap the requested lifetime.
      ...(tokens.expires_in < seconds
        ? {
            description: `The cluster shortened the lifetime to ${humanDuration(tokens.expires_in * 1000)}.`,
          }
        : {}),
    }
    return {
      summary,
      secrets: [{ kind: 'access-token', value: tokens.access_token }],
      rotatedStored: tokens.refresh_token,
    }
  }

  /** WEKA tokens have no server-side record to change (capabilities.modifiesExpiry = false). */
  async modifyToken(_access: string, _tokenId: string, _patch: TokenPatch): Promise<TokenSummary> {
    throw unsupported(
      "WEKA tokens cannot be changed after they are made: their lifetime is fixed when generated. Generate a new one and revoke the user's tokens instead.",
    )
  }

  /**
   * docs/protocols/weka.md §4.2: DELETE /users/{uid}/revoke ends every token of that user (access, refresh,
   * long-lived). The uid comes from whoami when it is the caller (5.x has `uid` there, and
   * Regular users may not list users), otherwise from GET /users. Revoking one token is
   * UNSUPPORTED.
   */
  async revoke(access: string, target: RevokeTarget): Promise<void> {
    if ('tokenId' in target) {
      throw unsupported(
        'WEKA cannot revoke a single token: it revokes all tokens of a user at once (weka user revoke-tokens). Revoke by user instead.',
      )
    }
    const uid = await this.uidOf(access, target.username)
    const res = await this.send('DELETE', `/users/${encodeURIComponent(uid)}/revoke`, {
      headers: bearer(access),
    })
    if (res.status < 200 || res.status >= 300) throw unexpectedStatus(res)
  }

  /** GET /users/whoami with the freshly minted token: proves it works. */
  async proveToken(token: string): Promise<Identity> {
    return this.identity(token, 'this token')
  }

  /** Closes the cluster's HTTP client (the client owns it once constructed). */
  async close(): Promise<void> {
    await this.http.close()
  }

  // --- internals ---

  private send(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    return this.http.request(method, WEKA_API_PREFIX + path, opts)
  }

  private async refresh(body: {
    refresh_token: string
    access_token_expiry?: number
  }): Promise<WekaTokens> {
    const res = await this.send('POST', '/login/refresh', { json: body })
    if (res.status !== 200) throw refreshFailure(res)
    return parseJson(res, LoginReply).data
  }

  private grantFrom(tokens: WekaTokens): SessionGrant {
    const now = this.now()
    const refreshExpiresAt = jwtExpiry(tokens.refresh_token)
    return {
      access: { token: tokens.access_token, expiresAt: now + tokens.expires_in * 1000 },
      stored: {
        kind: 'refresh-token',
        value: tokens.refresh_token,
        ...(refreshExpiresAt !== undefined ? { expiresAt: refreshExpiresAt } : {}),
      },
    }
  }

  private async identity(token: string, subject: string): Promise<Identity> {
    const res = await this.send('GET', '/users/whoami', { headers: bearer(token) })
    if (res.status !== 200) throw unexpectedStatus(res, { subject })
    const w = parseJson(res, WhoamiReply).data
    return {
      username: w.username,
      isAdmin: w.role !== undefined && ADMIN_ROLES.has(w.role.toLowerCase()),
      ...(w.role !== undefined ? { role: w.role } : {}),
      ...(w.uid !== undefined ? { uid: w.uid } : {}),
      ...(w.org_name !== undefined ? { scope: w.org_name } : {}),
    }
  }

  private async uidOf(access: string, username: string): Promise<string> {
    const me = await this.whoami(access)
    if (me.username === username && me.uid !== undefined) return me.uid
    const res = await this.send('GET', '/users', { headers: bearer(access) })
    if (res.status !== 200) throw unexpectedStatus(res)
    const found = parseJson(res, UserListReply).data.find((u) => u.username === username)
    if (!found) {
      throw new TokendeckError(
        'NOT_FOUND',
        `${this.http.host} has no user "${username}" in this organization, so there are no tokens of theirs to revoke.`,
      )
    }
    return found.uid
  }
}

/**
 * Builds the client and its ClusterHttp for one cluster. The client owns the ClusterHttp:
 * `close()` closes it.
 */
export function createWekaClient(
  cluster: Pick<Cluster, 'url' | 'trust' | 'org'>,
  opts: Omit<WekaClientOptions, 'http' | 'org'> = {},
): WekaClient {
  const http = new VendorHttp({
    url: cluster.url,
    trust: cluster.trust,
    ...(opts.now ? { now: opts.now } : {}),
  })
  return new WekaClient({
    ...opts,
    http,
    ...(cluster.org !== undefined ? { org: cluster.org } : {}),
  })
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}

/** Validated lifetime in seconds for a long-lived token (docs/protocols/weka.md §4.1). */
function longLivedSeconds(request: CreateTokenRequest): number {
  const e = request.expiresIn
  if (e === undefined) return DEFAULT_LONG_LIVED_SECONDS
  if (e === 'never') {
    throw unsupported(
      'WEKA\'s REST API cannot make a token that never expires (only the weka CLI offers "infinite"). Choose a lifetime, for example 30 days.',
    )
  }
  if (!Number.isSafeInteger(e) || e < 1) {
    throw new TokendeckError(
      'INVALID_INPUT',
      'A WEKA token lifetime must be a whole number of seconds, at least 1.',
    )
  }
  return e
}

/** 9999-12-31T23:59:59Z in seconds: the last `exp` read as a date. */
const MAX_JWT_EXP = 253_402_300_799

/**
 * The `exp` claim of a WEKA JWT in epoch ms, best effort (docs/protocols/weka.md §6: RS256 JWTs with numeric
 * `exp`; the refresh token's tells when the session ends). Only advisory: the token stays
 * opaque, and anything unreadable yields undefined.
 */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1]
  if (payload === undefined || payload.length > 16_384) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    if (typeof claims !== 'object' || claims === null) return undefined
    const exp = (claims as { exp?: unknown }).exp
    // Beyond year 9999 a claim is no date anyone means (and past 275760 no Date can hold it).
    return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 && exp <= MAX_JWT_EXP
      ? exp * 1000
      : undefined
  } catch {
    return undefined
  }
}
