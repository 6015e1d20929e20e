import type { SimBase, SimStartOptions, SimUser } from '../common/types'

/** A tenant and the storage domains under it (docs/protocols/swarm.md §1: root → tenant → domain → bucket). */
export interface SwarmTenant {
  /** Lowercase `[a-z0-9-]`, as the Management API stores tenant names (docs/protocols/swarm.md §1 DOC). */
  name: string
  domains: string[]
}

/**
 * A seeded account. `username` is the fully qualified Swarm name (docs/protocols/swarm.md §1 DOC):
 * `name@` root user, `name+tenant` tenant user, `name@domain` domain user.
 */
export interface SwarmUser extends SimUser {
  /**
   * Token administrator over the user's own scope and everything below it. docs/protocols/swarm.md §1, docs/protocols/swarm.md §4 DOC
   * name the token admin in an IDSYS document per scope; a flag on the user is the same thing
   * seen from the other side, and easier for a test to turn on and off.
   */
  tokenAdmin: boolean
}

/** Where a token lives: created through a domain's `/.TOKEN/` or a tenant's Management API URI. */
export type TokenScope =
  { kind: 'domain'; domain: string; tenant: string } | { kind: 'tenant'; tenant: string }

export interface SwarmToken {
  /** 32 lowercase hex characters; this is the bearer secret itself (docs/protocols/swarm.md §2.1 DOC/CODE). */
  id: string
  /** Fully qualified owner name. */
  owner: string
  /** Who asked for it (differs from `owner` when the token admin used X-Owner-Meta). */
  creator: string
  scope: TokenScope
  createdAt: number
  expiresAt: number
  /** `X-Custom-Meta-Source` (docs/protocols/swarm.md §2.1 DOC: shown as Description). */
  description?: string
  /** Every `X-Custom-Meta-*` header, name lowercased without the prefix. */
  customMeta: Record<string, string>
  /** `X-User-Secret-Key-Meta`; its presence makes this an S3-only token (docs/protocols/swarm.md §2.1 DOC). */
  s3Secret?: string
  readonly hasS3Secret: boolean
}

export interface LoginAttempt {
  at: number
  username: string
  ok: boolean
}

/** What tests can inspect and turn. Maps are live: changing them changes the simulator. */
export interface SwarmState {
  /** Keyed by fully qualified user name. */
  users: Map<string, SwarmUser>
  tenants: SwarmTenant[]
  /** Buckets per domain, for the S3 ListBuckets / HeadBucket answers. */
  buckets: Map<string, string[]>
  /** Every stored token, including expired ones not yet reaped (docs/protocols/swarm.md §2.3 lifepoints). */
  tokens: Map<string, SwarmToken>
  /** Tokens that authenticate right now (not expired). */
  liveTokens(): SwarmToken[]
  /** Make a token without HTTP, e.g. to seed a test. */
  issueToken(input: IssueTokenInput): SwarmToken
  /** Move a token's expiry into the past, as the lifepoint would. */
  expireToken(id: string): void
  /** Every token id, S3 secret and password the simulator ever issued or knows. */
  issuedSecrets(): string[]
  loginAttempts: LoginAttempt[]
}

export interface IssueTokenInput {
  owner: string
  creator?: string
  scope: TokenScope
  /** Absolute expiry (ms since epoch); default creation + defaultTokenTtlSeconds. */
  expiresAt?: number
  description?: string
  customMeta?: Record<string, string>
  s3Secret?: string
}

export interface SwarmSimOptions extends SimStartOptions {
  /** Replace the seeded users; `tokenAdmin` defaults to "role contains admin". */
  users?: Array<SimUser & { tokenAdmin?: boolean }>
  tenants?: SwarmTenant[]
  buckets?: Record<string, string[]>
  /** Domain used when the Host header names none we know (tests connect to an IP). */
  defaultDomain?: string
  /** `tokenTTLHours` of gateway.cfg, in seconds; default 24 h (docs/protocols/swarm.md §1 DOC). */
  defaultTokenTtlSeconds?: number
  /** Site cap on token lifetime; longer requests are clamped (docs/protocols/swarm.md §8 DESIGN `maxTokenHours`). */
  maxTokenTtlSeconds?: number
  /** IDSYS `cookieName` (default `token`) and `tokenPath` (default `/.TOKEN/`), docs/protocols/swarm.md §1 DOC. */
  cookieName?: string
  tokenPath?: string
  /** How long an expired token stays in listings before its lifepoint reaps it (default 60 s). */
  reapGraceSeconds?: number
  /** How long a deleted token still shows in listings (eventual consistency, default 0). */
  listingLagMs?: number
  /** Largest allowed difference between x-amz-date and the simulator clock (default 900 s, as S3). */
  s3MaxClockSkewSeconds?: number
}

export interface SwarmSim extends SimBase {
  /**
   * S3 endpoint. The same listener as `url`: docs/protocols/swarm.md §8 DESIGN proposes one HTTPS listener, and
   * docs/protocols/swarm.md §2 DOC says the token path works on the S3 front end too; one certificate keeps pinning simple.
   */
  s3Url: string
  users: SwarmUser[]
  state: SwarmState
}
