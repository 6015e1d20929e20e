import { createHash } from 'node:crypto'
/**
 * DataCore Swarm Content Gateway: storage-domain tokens through the token path (`/.TOKEN/`),
 * following docs/protocols/swarm.md (cited as §n below).
 *
 * Shape of a session:
 * - sign-in is ONE `POST /.TOKEN/?setcookie=false` with HTTP Basic (§2.1 DOC); the token comes
 *   back in `Gateway-Token` (or as the second word of the 201 body, §2.1 CODE). That token has no
 *   S3 secret, because S3 tokens cannot manage tokens (§2.1 DOC, §4);
 * - the token is both the access and the stored credential, carried as the token cookie — the
 *   only non-S3 carrier known (§2.2 DOC+CODE; no Bearer/X-Auth-Token, §2.2 INF);
 * - the "cheap authenticated call" is the token listing `GET /.TOKEN/?format=json` (§2.3): there
 *   is no whoami endpoint, so identity and expiry are read from the session's own entry.
 *
 * Messages name hosts, endpoints and user names, never a token, S3 secret, password or reply body.
 * Paths carrying a token use ClusterHttp's `endpoint` label.
 */
import type { ClusterHttp, HttpResponse, QueryValue } from '../../http'
import { expectStatus, parseJson } from '../../http'
import { TokendeckError } from '../../../../shared/errors'
import type { Capabilities, ClusterSeen, TokenSummary } from '../../../../shared/model'
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
  clearsCookie,
  issuedToken,
  isTokenValue,
  lifepointExpiry,
  parseTimestamp,
  TokenListing,
  type ListedToken,
} from './schemas'
import { generateS3Secret, type RandomBytes } from './s3Secret'
import { signListBuckets } from './sigv4'

/** `tokenTTLHours` default of gateway.cfg (§1 DOC "Creating Tokens"). */
export const DEFAULT_TOKEN_TTL_MS = 24 * 3600 * 1000

/**
 * Custom metadata Tokendeck adds to the S3 tokens it mints. Listings do not say whether a token
 * has an S3 secret (§2.3, §9.4), but `X-Custom-Meta-*` is stored and listed as
 * `x_custom_meta_*` (§2.1 DOC, §2.3 CODE), so our own S3 tokens are recognisable later.
 */
const S3_MARK_HEADER = 'x-custom-meta-tokendeck-s3'
const S3_MARK_FIELD = 'x_custom_meta_tokendeck_s3'

export interface SwarmS3Endpoint {
  /** ClusterHttp for the S3 front end (its URL must have no path prefix). */
  http: ClusterHttp
  /** SigV4 region in the credential scope; default us-east-1. */
  region?: string
}

export interface SwarmClientOptions {
  http: ClusterHttp
  /** Tenant of the user (qualifies unqualified user names as `name+tenant`, §1 DOC). */
  tenant?: string
  /**
   * Storage domain whose `/.TOKEN/` is used, sent as `?domain=` (§2: `domain=` beats
   * X-Forwarded-Host and Host). Absent: the Host of the cluster URL decides. Also qualifies
   * unqualified user names as `name@domain` when no tenant is given.
   */
  domain?: string
  now?: () => number
  randomBytes?: RandomBytes
  /** IDSYS `cookieName` (§1 DOC, example and default `token`). */
  cookieName?: string
  /** IDSYS `tokenPath` (§1 DOC, default `/.TOKEN/`). */
  tokenPath?: string
  /** Ask for this session lifetime (seconds) at sign-in; default: the Gateway's tokenTTLHours. */
  sessionTtlSeconds?: number
  /** S3 endpoint, to prove freshly minted S3 tokens with a SigV4 ListBuckets. */
  s3?: SwarmS3Endpoint
}

type ProofOutcome = { ok: true; identity: Identity } | { ok: false; error: TokendeckError }

/**
 * The Swarm login name (§1 DOC): `name@` root user, `name+tenant` tenant user, `name@domain`
 * domain user. A name that already carries `@` or `+` is used as typed. Otherwise a tenant makes
 * it a tenant user (a domain then only picks the storage domain: a domain user never needs to
 * name the tenant), a domain alone makes it a domain user, and nothing makes it a root user.
 * Tenant names are lower-case on the Gateway (§1 DOC).
 */
export function swarmLoginName(
  username: string,
  scope: { tenant?: string | undefined; domain?: string | undefined },
): string {
  const name = username.trim()
  if (name.includes('@') || name.includes('+')) return name
  const tenant = scope.tenant?.trim().toLowerCase()
  const domain = scope.domain?.trim().toLowerCase()
  if (tenant) return `${name}+${tenant}`
  if (domain) return `${name}@${domain}`
  return `${name}@`
}

/** The scope part of a qualified name: `@`, `+tenant` or `@domain` (cf. `scope` in §3 CODE). */
function scopeOf(qualified: string): string | undefined {
  if (qualified.endsWith('@')) return '@'
  const at = qualified.lastIndexOf('@')
  if (at > 0) return qualified.slice(at)
  const plus = qualified.lastIndexOf('+')
  return plus > 0 ? qualified.slice(plus) : undefined
}

function baseOf(qualified: string): string {
  const scope = scopeOf(qualified)
  return scope === undefined ? qualified : qualified.slice(0, qualified.length - scope.length)
}

/**
 * Whether an owner name names the signed-in user `me` (qualified, as the listing shows it): the
 * same qualified name, or the bare name without a scope (§1: `alice` of `alice+acme`).
 */
function isSelf(owner: string, me: string): boolean {
  return owner === me || (scopeOf(owner) === undefined && owner === baseOf(me))
}

/** Printable 7-bit ASCII: what a metadata header value may safely hold (§2.1 DOC). */
const HEADER_TEXT = /^[\x20-\x7e]+$/

export class SwarmClient implements VendorClient {
  readonly vendor = 'swarm' as const
  readonly capabilities: Capabilities = CAPABILITIES.swarm

  private readonly http: ClusterHttp
  private readonly tenant: string | undefined
  private readonly domain: string | undefined
  private readonly now: () => number
  private readonly randomBytes: RandomBytes | undefined
  private readonly cookieName: string
  private readonly tokenPath: string
  private readonly sessionTtlSeconds: number | undefined
  private readonly s3: SwarmS3Endpoint | undefined
  /** Proofs of S3 tokens minted here, run at creation so the secret is never kept (see proveToken). */
  private readonly s3Proofs = new Map<string, Promise<ProofOutcome>>()

  constructor(opts: SwarmClientOptions) {
    this.http = opts.http
    this.tenant = opts.tenant?.trim() || undefined
    this.domain = opts.domain?.trim().toLowerCase() || undefined
    this.now = opts.now ?? Date.now
    this.randomBytes = opts.randomBytes
    this.cookieName = opts.cookieName ?? 'token'
    this.tokenPath = `/${(opts.tokenPath ?? '/.TOKEN/').replace(/^\/+|\/+$/g, '')}/`
    this.sessionTtlSeconds = opts.sessionTtlSeconds
    this.s3 = opts.s3
  }

  // ---- sessions ---------------------------------------------------------------------------

  async signIn(request: SignInRequest): Promise<SignInResult> {
    const scope = { tenant: request.tenant ?? this.tenant, domain: request.domain ?? this.domain }
    const login = swarmLoginName(request.username, scope)
    if (
      login.includes(':') ||
      [...login].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
    ) {
      throw new TokendeckError(
        'INVALID_INPUT',
        'A Swarm user name cannot contain ":" or control characters.',
      )
    }
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
    const res = await this.http.request('POST', this.tokenPath, {
      headers,
      query: { setcookie: 'false', domain },
      body: '',
    })
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
    const token = this.tokenFromCreate(res)

    // The cheap authenticated call (§2.3) tells who we are and when the token really expires
    // (a site may cap lifetimes, §1).
    const records = await this.listing(token)
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
    const records = await this.listing(stored)
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
   * §2.4 INF: "Logout = delete the token you are using; there is no separate logout endpoint."
   * `DELETE {tokenPath}{token}` authenticated by the token itself. A token that is already gone
   * (401: the Gateway treated us as anonymous, §2.2; 404: unknown or expired, §2.4 DESIGN) is
   * signed out already.
   */
  async signOut(stored: string): Promise<void> {
    if (!isTokenValue(stored)) return
    const res = await this.http.request(
      'DELETE',
      `${this.tokenPath}${encodeURIComponent(stored)}`,
      {
        headers: this.authHeaders(stored),
        query: { domain: this.domain },
        endpoint: `DELETE ${this.tokenPath}{token}`,
      },
    )
    if (res.status === 401 || res.status === 404) return
    this.expectOk(res)
  }

  isCurrentSession(access: string, tokenId: string): boolean {
    return tokenId === access || tokenId === tokenHandle(access)
  }

  async whoami(access: string): Promise<Identity> {
    const records = await this.listing(access)
    return this.identityFrom(
      records,
      records.find((r) => r.name === access),
    )
  }

  /** Swarm offers no cluster-identity call on the token path (§2, §9): the host names it. */
  async clusterInfo(_access: string): Promise<ClusterSeen> {
    return { clusterName: this.http.host }
  }

  // ---- tokens -----------------------------------------------------------------------------

  async listTokens(access: string, filter?: { owner?: string }): Promise<TokenSummary[]> {
    const now = this.now()
    const wanted = filter?.owner?.trim()
    // A qualified name matches exactly; a bare one ("alice") matches that name in any scope.
    const matches = (owner: string): boolean =>
      !wanted || owner === wanted || (scopeOf(wanted) === undefined && baseOf(owner) === wanted)
    return (
      (await this.listing(access))
        .map((r) => summaryOf(r, r.name === access))
        // §2.3 DESIGN: expired entries may linger until the lifepoint reaps them; the UI drops
        // a token the moment it expires (§2.3 DOC), so do we.
        .filter((t) => t.expiresAt === undefined || t.expiresAt > now)
        // No filter parameters are documented (§3): filter locally, as the Content UI does.
        .filter((t) => matches(t.owner))
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
    const headers = this.authHeaders(access)
    let requestedExpiry: number | undefined
    if (request.expiresIn === 'never') {
      throw new TokendeckError(
        'UNSUPPORTED',
        'Swarm tokens always expire (their lifepoint deletes them); choose a lifetime.',
      )
    }
    if (request.expiresIn !== undefined) {
      if (!Number.isFinite(request.expiresIn) || request.expiresIn <= 0) {
        throw new TokendeckError(
          'INVALID_INPUT',
          'A token lifetime must be a positive number of seconds.',
        )
      }
      requestedExpiry = this.now() + Math.round(request.expiresIn * 1000)
      // §2.5 DESIGN: the client always sends ISO 8601 UTC.
      headers['x-user-token-expires-meta'] = isoUtc(requestedExpiry)
    }
    const owner = request.owner?.trim()
    if (owner !== undefined && owner !== '') {
      if (!HEADER_TEXT.test(owner) || owner.length > 256) {
        throw new TokendeckError(
          'INVALID_INPUT',
          'The owner must be a Swarm user name of printable ASCII characters.',
        )
      }
      // §2.1 DOC: only the token administrator may send X-Owner-Meta, and anyone else "gets an
      // error" — even when the name is their own. The default owner is the caller, so the header
      // goes out only when the token is for someone else (a rotation passes the old owner, who is
      // usually the caller). Sent as given: a qualified name (name+tenant, name@domain) is exact;
      // the Gateway resolves the rest.
      if (!(await this.namesCaller(access, owner))) headers['x-owner-meta'] = owner
    }
    const description = request.description?.trim()
    if (description !== undefined && description !== '') {
      if (!HEADER_TEXT.test(description) || description.length > 256) {
        throw new TokendeckError(
          'INVALID_INPUT',
          'A Swarm token description must be at most 256 printable ASCII characters (Swarm metadata rules).',
        )
      }
      // §2.1 DOC: X-Custom-Meta-Source is shown as the Description.
      headers['x-custom-meta-source'] = description
    }
    let secret: string | undefined
    if (request.s3Secret) {
      // §2.1 DOC+CODE: the client chooses the S3 secret; 64 alphanumerics.
      secret = generateS3Secret(this.randomBytes)
      headers['x-user-secret-key-meta'] = secret
      headers[S3_MARK_HEADER] = 'true'
    }

    const res = await this.http.request('POST', this.tokenPath, {
      headers,
      query: { setcookie: 'false', domain: this.domain },
      body: '',
    })
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
    const token = this.tokenFromCreate(res)

    // The listing entry gives the real owner and expiry (a site may cap lifetimes, §1). The token
    // exists now, so a failed listing must not lose the one-time secrets: fall back to what we asked.
    let summary: TokenSummary | undefined
    try {
      const own = (await this.listing(access)).find((r) => r.name === token)
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

    if (secret !== undefined) this.startS3Proof(token, secret, summary.owner)
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
    const found = (await this.listing(access)).find((r) => tokenHandle(r.name) === handle)
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
    const token = HANDLE.test(target.tokenId)
      ? await this.tokenOfHandle(access, target.tokenId)
      : target.tokenId
    if (!isTokenValue(token))
      throw new TokendeckError('INVALID_INPUT', 'That is not a Swarm token id.')
    // §2.4: DELETE {tokenPath}{id}, 200 on success. The id is the token itself: the label keeps
    // it out of every message.
    const res = await this.http.request('DELETE', `${this.tokenPath}${encodeURIComponent(token)}`, {
      headers: this.authHeaders(access),
      query: { domain: this.domain },
      endpoint: `DELETE ${this.tokenPath}{token}`,
    })
    if (res.status === 404) {
      // §2.4 DESIGN: unknown or already expired.
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
    this.expectOk(res)
  }

  /**
   * An authenticated call made with a freshly minted token.
   * - Plain tokens: the token listing with the token as cookie (§2.3); identity as in whoami.
   * - S3 tokens cannot authenticate the token path or the Management API (§2.1 DOC, §4), and
   *   signing needs the S3 secret, which the client does not keep. So an S3 token minted here is
   *   proven at creation with a SigV4 ListBuckets against the S3 endpoint (§2.2), when one is
   *   configured; proveToken returns that outcome. Without an S3 endpoint it is UNSUPPORTED.
   */
  async proveToken(token: string): Promise<Identity> {
    const proof = this.s3Proofs.get(token)
    if (proof !== undefined) {
      this.s3Proofs.delete(token)
      const outcome = await proof
      if (outcome.ok) return outcome.identity
      throw outcome.error
    }
    return this.whoami(token)
  }

  async close(): Promise<void> {
    this.s3Proofs.clear()
    await this.http.close()
    await this.s3?.http.close()
  }

  // ---- internals --------------------------------------------------------------------------

  private authHeaders(token: string): Record<string, string> {
    if (!isTokenValue(token)) {
      throw new TokendeckError(
        'REFRESH_EXPIRED',
        'The Swarm session is not a usable token. Sign in again.',
      )
    }
    // §2.2: `Cookie: <cookieName>=<id>` is the only non-S3 carrier documented or observed.
    return { cookie: `${this.cookieName}=${token}` }
  }

  /**
   * `GET {tokenPath}?format=json` (§2.3). An expired token makes the request anonymous and the
   * reply deletes the cookie (§2.2 DOC): in practice a 401, but should a Gateway let anonymous
   * list, the cookie-clearing Set-Cookie on a 200 means the same thing.
   */
  private async listing(token: string): Promise<ListedToken[]> {
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
    this.expectOk(res)
    return parseJson(res, TokenListing)
  }

  /** The token a create returned (§2.1), or BAD_RESPONSE; other statuses mapped first. */
  private tokenFromCreate(res: HttpResponse): string {
    if (res.status !== 201 && res.status !== 200) this.expectOk(res)
    // §2.1 CODE: JASMIN wants 201, NLDS accepts 200 or 201.
    const token = issuedToken(res.headers['gateway-token'], res.body.toString('utf8'))
    if (token === undefined) {
      throw new TokendeckError(
        'BAD_RESPONSE',
        `Unexpected answer from ${res.host} to ${res.endpoint}: HTTP ${res.status} without a token (no Gateway-Token header, no token in the body).`,
      )
    }
    return token
  }

  /** 401 → REFRESH_EXPIRED, 403 → FORBIDDEN, 404 → NOT_FOUND, other non-2xx via expectStatus. */
  private expectOk(res: HttpResponse): void {
    if (res.status >= 200 && res.status < 300) return
    switch (res.status) {
      case 401:
        throw new TokendeckError(
          'REFRESH_EXPIRED',
          `${res.host} no longer accepts this Swarm token (HTTP 401 on ${res.endpoint}). Sign in again.`,
        )
      case 403:
        throw new TokendeckError(
          'FORBIDDEN',
          `${res.host} refused ${res.endpoint} (HTTP 403): this account is not allowed to do that.`,
        )
      case 404:
        throw new TokendeckError(
          'NOT_FOUND',
          `${res.host} has nothing at ${res.endpoint} (HTTP 404). Check the storage domain and the token path.`,
        )
      default:
        expectStatus(res)
    }
  }

  /**
   * Identity from the listing: our own entry's `x_owner_meta` is the qualified user name.
   * Swarm has no role query (§9), so `isAdmin` is what the listing proves: only the token
   * administrator sees other users' tokens (§2.3 DOC+DESIGN). With nobody else holding a token
   * in the domain an administrator shows as false; the Gateway still decides every request.
   */
  private identityFrom(
    records: ListedToken[],
    own: ListedToken | undefined,
    fallbackName?: string,
  ): Identity {
    const username = own?.x_owner_meta ?? fallbackName
    if (username === undefined) {
      throw new TokendeckError(
        'BAD_RESPONSE',
        `Unexpected answer from ${this.http.host} to GET ${this.tokenPath}: the listing does not include the session's own token.`,
      )
    }
    const isAdmin = records.some((r) => r.x_owner_meta !== undefined && r.x_owner_meta !== username)
    const scope =
      scopeOf(username) ??
      (this.domain ? `@${this.domain}` : this.tenant ? `+${this.tenant}` : undefined)
    return { username, isAdmin, ...(scope !== undefined ? { scope } : {}) }
  }

  private startS3Proof(token: string, secret: string, owner: string): void {
    const s3 = this.s3
    const run = async (): Promise<ProofOutcome> => {
      if (s3 === undefined) {
        return {
          ok: false,
          error: new TokendeckError(
            'UNSUPPORTED',
            'An S3 token cannot be checked on the token path, and no S3 endpoint is configured for this cluster.',
          ),
        }
      }
      try {
        const res = await s3.http.request('GET', '/', {
          headers: signListBuckets({
            accessKeyId: token,
            secretAccessKey: secret,
            host: s3.http.host,
            path: '/',
            region: s3.region ?? 'us-east-1',
            now: this.now(),
          }),
          endpoint: 'S3 ListBuckets',
        })
        this.expectOk(res)
        const name =
          /<DisplayName>([^<]*)<\/DisplayName>/.exec(res.body.toString('utf8'))?.[1] ?? owner
        return {
          ok: true,
          identity: {
            username: name,
            isAdmin: false,
            ...(scopeOf(name) ? { scope: scopeOf(name) } : {}),
          },
        }
      } catch (err) {
        const error =
          err instanceof TokendeckError
            ? err
            : new TokendeckError('INTERNAL', 'Checking the new S3 token failed.')
        return { ok: false, error }
      }
    }
    this.s3Proofs.set(token, run())
  }
}

function grant(token: string, expiresAt: number | undefined): SessionGrant {
  const at = expiresAt !== undefined ? { expiresAt } : {}
  return { access: { token, ...at }, stored: { kind: 'session-token', value: token, ...at } }
}

function ownExpiry(own: ListedToken | undefined): number | undefined {
  return lifepointExpiry(own?.lifepoint) ?? undefined
}

/**
 * Swarm's token id is the bearer secret itself (§2.1), so it never leaves main as an id. Listings
 * carry a handle instead: the first six characters, for recognition, and a hash that tells
 * tokens apart. Revoking by handle finds the token again in a fresh listing.
 */
export function tokenHandle(token: string): string {
  return `${token.slice(0, 6)}..${createHash('sha256').update(token).digest('hex').slice(0, 10)}`
}

const HANDLE = /^[^.]{1,6}\.\.[0-9a-f]{10}$/

function summaryOf(r: ListedToken, isCurrentSession = false): TokenSummary {
  const createdAt = parseTimestamp(r.last_modified)
  const expiresAt = lifepointExpiry(r.lifepoint) ?? undefined
  const mark = r[S3_MARK_FIELD]
  const hasS3Secret =
    r.x_user_secret_key_meta !== undefined || r.s3 === true || mark === 'true'
      ? true
      : r.s3 === false
        ? false
        : undefined
  return {
    id: tokenHandle(r.name),
    owner: r.x_owner_meta ?? '',
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    ...(r.x_custom_meta_source !== undefined ? { description: r.x_custom_meta_source } : {}),
    ...(hasS3Secret !== undefined ? { hasS3Secret } : {}),
    ...(isCurrentSession ? { isCurrentSession: true } : {}),
  }
}

/** `Token <id> issued for <owner> in <domain>` — §2.1 MOCK wording, used only as a fallback. */
function ownerFromCreateBody(body: string): string | undefined {
  return /^Token \S+ issued for (.+) in \S+\s*$/.exec(body.trim())?.[1]
}

/** §2.5 DESIGN: ISO 8601 UTC, e.g. 2025-01-01T00:00:00.000Z. */
function isoUtc(ms: number): string {
  return new Date(ms).toISOString()
}
