/**
 * DataCore Swarm Content Gateway: storage-domain tokens through the token path (`/.TOKEN/`),
 * following docs/protocols/swarm.md.
 *
 * Shape of a session:
 * - sign-in is ONE `POST /.TOKEN/?setcookie=false` with HTTP Basic (docs/protocols/swarm.md §2.1
 *   DOC); the token comes back in `Gateway-Token` (or as the second word of the 201 body,
 *   docs/protocols/swarm.md §2.1 CODE). That token has no S3 secret, because S3 tokens cannot
 *   manage tokens (docs/protocols/swarm.md §2.1 DOC, docs/protocols/swarm.md §4);
 * - the token is both the access and the stored credential, carried as the token cookie — the
 *   only non-S3 carrier known (docs/protocols/swarm.md §2.2 DOC+CODE; no Bearer/X-Auth-Token,
 *   docs/protocols/swarm.md §2.2 INF);
 * - the "cheap authenticated call" is the token listing `GET /.TOKEN/?format=json`
 *   (docs/protocols/swarm.md §2.3): there is no whoami endpoint, so identity and expiry are read
 *   from the session's own entry.
 *
 * Its parts: login names and identity (loginNames.ts), token handles and summaries
 * (tokenHandles.ts), the create request's headers (tokenRequest.ts), the token path calls
 * (api.ts), the S3 proof (s3Proof.ts), status mapping (errors.ts). Messages name hosts,
 * endpoints and user names, never a token, S3 secret, password or reply body.
 */
import { TokendeckError } from '../../../../shared/errors'
import type { Capabilities, ClusterSeen, TokenSummary } from '../../../../shared/model'
import { CAPABILITIES } from '../../../../shared/capabilities'
import type { ClusterHttp } from '../../http'
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
import { ownerFromCreateBody, SwarmApi } from './api'
import { isSuccess, unexpectedStatus } from './errors'
import {
  assertUsableLogin,
  identityFrom,
  isSelf,
  ownerMatches,
  swarmLoginName,
  type ListingScope,
} from './loginNames'
import type { RandomBytes } from './s3Secret'
import { S3Proofs, type SwarmS3Endpoint } from './s3Proof'
import { isTokenValue, type ListedToken } from './schemas'
import { isTokenHandle, ownExpiry, summaryOf, tokenHandle } from './tokenHandles'
import { isoUtc, tokenRequest } from './tokenRequest'

// The names other modules import from the client, where they lived before the split.
export { swarmLoginName } from './loginNames'
export { tokenHandle } from './tokenHandles'
export type { SwarmS3Endpoint } from './s3Proof'

/** `tokenTTLHours` default of gateway.cfg (docs/protocols/swarm.md §1 DOC "Creating Tokens"). */
export const DEFAULT_TOKEN_TTL_MS = 24 * 3600 * 1000

export interface SwarmClientOptions {
  http: ClusterHttp
  /** Tenant of the user (qualifies unqualified user names as `name+tenant`, docs/protocols/swarm.md §1 DOC). */
  tenant?: string
  /**
   * Storage domain whose `/.TOKEN/` is used, sent as `?domain=` (docs/protocols/swarm.md §2:
   * `domain=` beats X-Forwarded-Host and Host). Absent: the Host of the cluster URL decides. Also
   * qualifies unqualified user names as `name@domain` when no tenant is given.
   */
  domain?: string
  now?: () => number
  randomBytes?: RandomBytes
  /** IDSYS `cookieName` (docs/protocols/swarm.md §1 DOC, example and default `token`). */
  cookieName?: string
  /** IDSYS `tokenPath` (docs/protocols/swarm.md §1 DOC, default `/.TOKEN/`). */
  tokenPath?: string
  /** Ask for this session lifetime (seconds) at sign-in; default: the Gateway's tokenTTLHours. */
  sessionTtlSeconds?: number
  /** S3 endpoint, to prove freshly minted S3 tokens with a SigV4 ListBuckets. */
  s3?: SwarmS3Endpoint
}

export class SwarmClient implements VendorClient {
  readonly vendor = 'swarm' as const
  readonly capabilities: Capabilities = CAPABILITIES.swarm

  private readonly api: SwarmApi
  private readonly http: ClusterHttp
  private readonly tenant: string | undefined
  private readonly domain: string | undefined
  private readonly now: () => number
  private readonly randomBytes: RandomBytes | undefined
  private readonly sessionTtlSeconds: number | undefined
  private readonly s3: SwarmS3Endpoint | undefined
  /** Proofs of S3 tokens minted here, run at creation so the secret is never kept (see proveToken). */
  private readonly s3Proofs: S3Proofs

  constructor(opts: SwarmClientOptions) {
    this.http = opts.http
    this.tenant = opts.tenant?.trim() || undefined
    this.domain = opts.domain?.trim().toLowerCase() || undefined
    this.now = opts.now ?? Date.now
    this.randomBytes = opts.randomBytes
    this.sessionTtlSeconds = opts.sessionTtlSeconds
    this.s3 = opts.s3
    this.api = new SwarmApi({
      http: opts.http,
      cookieName: opts.cookieName,
      tokenPath: opts.tokenPath,
      domain: this.domain,
      now: this.now,
    })
    this.s3Proofs = new S3Proofs(opts.s3, this.now)
  }

  // ---- sessions ---------------------------------------------------------------------------

  async signIn(request: SignInRequest): Promise<SignInResult> {
    const scope = { tenant: request.tenant ?? this.tenant, domain: request.domain ?? this.domain }
    const login = swarmLoginName(request.username, scope)
    assertUsableLogin(login)
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${login}:${request.password}`, 'utf8').toString('base64')}`,
    }
    let requestedExpiry: number | undefined
    if (this.sessionTtlSeconds !== undefined) {
      requestedExpiry = this.now() + this.sessionTtlSeconds * 1000
      headers['x-user-token-expires-meta'] = isoUtc(requestedExpiry)
    }
    const domain = request.domain?.trim().toLowerCase() || this.domain
    // Exactly one request carries the password, and it is never retried (vendor.ts).
    const res = await this.api.create(headers, domain)
    if (res.status === 401) {
      throw new TokendeckError(
        'BAD_CREDENTIALS',
        `${res.host} rejected the user name or password for "${login}". Check both, and the tenant or domain the name belongs to.`,
      )
    }
    if (res.status === 404) {
      throw new TokendeckError(
        'NOT_FOUND',
        `${res.host} does not know the storage domain${domain ? ` "${domain}"` : ' of this address'} (HTTP 404 on ${res.endpoint}). Check the domain setting.`,
      )
    }
    const token = this.api.tokenFromCreate(res)

    // The cheap authenticated call (docs/protocols/swarm.md §2.3) tells who we are and when the
    // token really expires (a site may cap lifetimes, docs/protocols/swarm.md §1).
    const records = await this.api.listing(token)
    const own = records.find((r) => r.name === token)
    const identity = this.identityFrom(records, own, login)
    const expiresAt = ownExpiry(own) ?? requestedExpiry ?? this.now() + DEFAULT_TOKEN_TTL_MS
    return { ...grant(token, expiresAt), identity }
  }

  async resume(stored: string): Promise<SessionGrant> {
    if (!isTokenValue(stored)) {
      throw new TokendeckError(
        'REFRESH_EXPIRED',
        'The stored Swarm session is not a usable token. Sign in again.',
      )
    }
    const records = await this.api.listing(stored)
    const own = records.find((r) => r.name === stored)
    const expiresAt = ownExpiry(own)
    // Authentication already says "live"; a listed expiry in the past means a lagging clock or
    // lifepoint, and the session would die at once anyway.
    if (expiresAt !== undefined && expiresAt <= this.now()) {
      throw new TokendeckError(
        'REFRESH_EXPIRED',
        `The Swarm session on ${this.http.host} has expired. Sign in again.`,
      )
    }
    return grant(stored, expiresAt)
  }

  /**
   * docs/protocols/swarm.md §2.4 INF: "Logout = delete the token you are using; there is no
   * separate logout endpoint." `DELETE {tokenPath}{token}` authenticated by the token itself. A
   * token that is already gone (401: the Gateway treated us as anonymous,
   * docs/protocols/swarm.md §2.2; 404: unknown or expired, docs/protocols/swarm.md §2.4 DESIGN)
   * is signed out already.
   */
  async signOut(stored: string): Promise<void> {
    if (!isTokenValue(stored)) return
    const res = await this.api.delete(stored, stored)
    if (res.status === 401 || res.status === 404) return
    if (!isSuccess(res.status)) throw unexpectedStatus(res)
  }

  isCurrentSession(access: string, tokenId: string): boolean {
    return tokenId === access || tokenId === tokenHandle(access)
  }

  async whoami(access: string): Promise<Identity> {
    const records = await this.api.listing(access)
    return this.identityFrom(
      records,
      records.find((r) => r.name === access),
    )
  }

  /**
   * Swarm offers no cluster-identity call on the token path (docs/protocols/swarm.md §2,
   * docs/protocols/swarm.md §9.9): the host names it.
   */
  async clusterInfo(_access: string): Promise<ClusterSeen> {
    return { clusterName: this.http.host }
  }

  // ---- tokens -----------------------------------------------------------------------------

  async listTokens(access: string, filter?: { owner?: string }): Promise<TokenSummary[]> {
    const now = this.now()
    const wanted = filter?.owner?.trim()
    return (
      (await this.api.listing(access))
        .map((r) => summaryOf(r, r.name === access))
        // docs/protocols/swarm.md §2.3 DESIGN: expired entries may linger until the lifepoint
        // reaps them; the UI drops a token the moment it expires (docs/protocols/swarm.md §2.3
        // DOC), so do we.
        .filter((t) => t.expiresAt === undefined || t.expiresAt > now)
        // No filter parameters are documented (docs/protocols/swarm.md §3): filter locally, as
        // the Content UI does.
        .filter((t) => ownerMatches(t.owner, wanted))
    )
  }

  async createWarnings(access: string, request: CreateTokenRequest): Promise<string[]> {
    const warnings: string[] = []
    const owner = request.owner?.trim()
    if (owner) {
      const me = await this.whoami(access)
      if (!isSelf(owner, me.username)) {
        warnings.push(
          `This token will belong to "${owner}", not to you (${me.username}): it acts as that user in everything it is used for, and only they or a token administrator can delete it. Only a token administrator may create tokens for others.`,
        )
      }
    }
    if (request.s3Secret) {
      warnings.push(
        'The S3 secret is shown once and never again; if it is lost, delete the token and create a new one. An S3 token works only for S3: it cannot list or delete tokens.',
      )
    }
    return warnings
  }

  async createToken(access: string, request: CreateTokenRequest): Promise<CreatedToken> {
    const { headers, requestedExpiry, owner, description, secret } = await tokenRequest(
      this.api.authHeaders(access),
      request,
      {
        now: this.now,
        randomBytes: this.randomBytes,
        namesCaller: (name) => this.namesCaller(access, name),
      },
    )
    const res = await this.api.create(headers)
    if (res.status === 403 && headers['x-owner-meta'] !== undefined) {
      throw new TokendeckError(
        'FORBIDDEN',
        `${res.host} refused to create a token for "${owner}" (HTTP 403): only the token administrator may create tokens for another user.`,
      )
    }
    if (res.status === 400) {
      throw new TokendeckError(
        'INVALID_INPUT',
        `${res.host} rejected the token request (HTTP 400 on ${res.endpoint}). Check the lifetime${owner ? ' and the owner name' : ''}.`,
      )
    }
    const token = this.api.tokenFromCreate(res)

    // The listing entry gives the real owner and expiry (a site may cap lifetimes,
    // docs/protocols/swarm.md §1). The token exists now, so a failed listing must not lose the
    // one-time secrets: fall back to what we asked.
    let summary: TokenSummary | undefined
    try {
      const own = (await this.api.listing(access)).find((r) => r.name === token)
      if (own) summary = summaryOf(own)
    } catch {
      summary = undefined
    }
    summary ??= {
      id: tokenHandle(token),
      owner: owner || ownerFromCreateBody(res.body.toString('utf8')) || '',
      createdAt: this.now(),
      expiresAt: requestedExpiry ?? this.now() + DEFAULT_TOKEN_TTL_MS,
      ...(description ? { description } : {}),
      hasS3Secret: secret !== undefined,
    }
    if (secret !== undefined) summary = { ...summary, hasS3Secret: true }

    if (secret !== undefined) this.s3Proofs.start(token, secret, summary.owner)
    const secrets: CreatedToken['secrets'] = [{ kind: 'access-token', value: token }]
    if (secret !== undefined) secrets.push({ kind: 's3-secret', value: secret, accessKeyId: token })
    return { summary, secrets }
  }

  /**
   * Whether `owner` is the signed-in user. A listing that cannot tell who we are (our own entry
   * missing from it) leaves the name as given: the Gateway then decides.
   */
  private async namesCaller(access: string, owner: string): Promise<boolean> {
    try {
      return isSelf(owner, (await this.whoami(access)).username)
    } catch (e) {
      if (e instanceof TokendeckError && e.code === 'BAD_RESPONSE') return false
      throw e
    }
  }

  private async tokenOfHandle(access: string, handle: string): Promise<string> {
    const found = (await this.api.listing(access)).find((r) => tokenHandle(r.name) === handle)
    if (!found)
      throw new TokendeckError(
        'NOT_FOUND',
        'That token no longer exists: it has expired or was deleted already.',
      )
    return found.name
  }

  async modifyToken(_access: string, _tokenId: string, _patch: TokenPatch): Promise<TokenSummary> {
    throw new TokendeckError(
      'UNSUPPORTED',
      'Swarm tokens cannot be changed after creation; create a new one and delete the old one.',
    )
  }

  async revoke(access: string, target: RevokeTarget): Promise<void> {
    if (!('tokenId' in target)) {
      throw new TokendeckError(
        'UNSUPPORTED',
        'Swarm deletes tokens one at a time; it has no "revoke all tokens of a user".',
      )
    }
    const token = isTokenHandle(target.tokenId)
      ? await this.tokenOfHandle(access, target.tokenId)
      : target.tokenId
    if (!isTokenValue(token))
      throw new TokendeckError('INVALID_INPUT', 'That is not a Swarm token id.')
    // docs/protocols/swarm.md §2.4: DELETE {tokenPath}{id}, 200 on success.
    const res = await this.api.delete(access, token)
    if (res.status === 404) {
      // docs/protocols/swarm.md §2.4 DESIGN: unknown or already expired.
      throw new TokendeckError(
        'NOT_FOUND',
        `${res.host} has no such token (HTTP 404): it has expired or was deleted already.`,
      )
    }
    if (res.status === 403) {
      throw new TokendeckError(
        'FORBIDDEN',
        `${res.host} refused to delete that token (HTTP 403): only its owner or the token administrator may.`,
      )
    }
    if (!isSuccess(res.status)) throw unexpectedStatus(res)
  }

  /**
   * An authenticated call made with a freshly minted token.
   * - Plain tokens: the token listing with the token as cookie (docs/protocols/swarm.md §2.3);
   *   identity as in whoami.
   * - S3 tokens were proven at creation (s3Proof.ts); proveToken returns that outcome. Without an
   *   S3 endpoint it is UNSUPPORTED.
   */
  async proveToken(token: string): Promise<Identity> {
    return this.s3Proofs.take(token) ?? this.whoami(token)
  }

  async close(): Promise<void> {
    this.s3Proofs.clear()
    await this.http.close()
    await this.s3?.http.close()
  }

  private identityFrom(
    records: ListedToken[],
    own: ListedToken | undefined,
    fallbackName?: string,
  ): Identity {
    const where: ListingScope = {
      host: this.http.host,
      tokenPath: this.api.tokenPath,
      domain: this.domain,
      tenant: this.tenant,
    }
    return identityFrom(records, own, where, fallbackName)
  }
}

function grant(token: string, expiresAt: number | undefined): SessionGrant {
  const at = expiresAt !== undefined ? { expiresAt } : {}
  return { access: { token, ...at }, stored: { kind: 'session-token', value: token, ...at } }
}
