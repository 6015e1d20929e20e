/**
 * One interface for every vendor. A vendor module maps its wire protocol to these types and
 * declares its capabilities (capabilities.ts); sessions and token operations use only this, so
 * a fourth vendor is one new client and one simulator.
 *
 * Passwords appear only in `signIn`, are used for exactly one request, and are never kept.
 */
import type {
  Capabilities,
  ClusterSeen,
  Identity,
  OneTimeSecret,
  TokenSummary,
  Vendor,
} from '../../../shared/model'
import type { CredentialKind } from '../secrets/secretStore'

/** Defined once in shared/model.ts; re-exported for the vendor clients. */
export type { Identity }
/** What a vendor hands the keychain: a refresh token (WEKA) or a session token (Qumulo, Swarm). */
export type { CredentialKind }

/** The sign-in's fields with `password` the current one, and the new password. */
export interface ChangePasswordRequest extends SignInRequest {
  newPassword: string
}

export interface SignInRequest {
  username: string
  password: string
  /** WEKA organization. */
  org?: string
  /** Swarm tenant and domain. */
  tenant?: string
  domain?: string
}

/** What a session holds: a token for API calls and the credential kept in the keychain. */
export interface SessionGrant {
  access: { token: string; expiresAt?: number }
  /**
   * WEKA: the refresh token; Qumulo: the session bearer token; Swarm: the session token.
   * `expiresAt` where the vendor says (or documents) when it dies.
   */
  stored: { kind: CredentialKind; value: string; expiresAt?: number }
}

/**
 * A sign-in the server accepted only on condition that the password is changed first (WEKA's
 * `password_change_required`) is not a result: signIn rejects it with PASSWORD_CHANGE_REQUIRED,
 * saying where to change the password, and keeps nothing.
 */
export interface SignInResult extends SessionGrant {
  identity: Identity
}

export interface CreateTokenRequest {
  /** Seconds from now, 'never' where the vendor allows it, undefined for the vendor's default. */
  expiresIn?: number | 'never'
  /** Qumulo: the user the token is for; Swarm: the owner (token admins only). */
  owner?: string
  description?: string
  /** Swarm: mint an S3 secret with the token. */
  s3Secret?: boolean
}

export interface CreatedToken {
  summary: TokenSummary
  /** The token itself and, for Swarm S3 tokens, the S3 secret: shown once. */
  secrets: OneTimeSecret[]
  /**
   * The session's new stored credential, when minting rotated it (WEKA: the refresh call that
   * mints hands back a new refresh token, docs/protocols/weka.md §3). Never shown: the caller
   * hands it to the session (SessionManager.replaceStoredCredential).
   */
  rotatedStored?: string
}

export interface TokenPatch {
  /** Epoch ms, or null for "never expires". */
  expiresAt?: number | null
  enabled?: boolean
}

export type RevokeTarget = { tokenId: string } | { username: string }

export interface VendorClient {
  readonly vendor: Vendor
  readonly capabilities: Capabilities

  /** One request with the password; no retry on any failure (WEKA locks after five). */
  signIn(request: SignInRequest): Promise<SignInResult>
  /**
   * Only where a sign-in can be answered with "change the password first" (WEKA): changes it
   * with the token of that sign-in (held in memory, never stored), then signs in once with the
   * new password. One request with each password; nothing is resent on failure.
   */
  changePassword?(request: ChangePasswordRequest): Promise<SignInResult>
  /**
   * From the stored credential to a usable session. WEKA refreshes (a new access token, a new
   * refresh token); Qumulo and Swarm check the stored token with a cheap authenticated call.
   * A credential the server no longer accepts is REFRESH_EXPIRED.
   */
  resume(stored: string): Promise<SessionGrant>
  whoami(access: string): Promise<Identity>
  clusterInfo(access: string): Promise<ClusterSeen>

  listTokens(access: string, filter?: { owner?: string }): Promise<TokenSummary[]>
  /** Things the user must confirm before minting (Qumulo: the user has admin privileges). */
  createWarnings(access: string, request: CreateTokenRequest): Promise<string[]>
  /**
   * `stored` is the session's stored credential, passed by the caller for the vendors that mint
   * from it (WEKA: the refresh token, docs/protocols/weka.md §4.1); a client never reaches back
   * into the session for it.
   */
  createToken(access: string, request: CreateTokenRequest, stored?: string): Promise<CreatedToken>
  modifyToken(access: string, tokenId: string, patch: TokenPatch): Promise<TokenSummary>
  revoke(access: string, target: RevokeTarget): Promise<void>
  /** An authenticated call made with a freshly minted token, proving it works (rotation). */
  proveToken(token: string): Promise<Identity>
  /**
   * Ends the session on the server, where the vendor has a way to: Swarm deletes its session
   * token (docs/protocols/swarm.md §2.4: logout = delete the token you are using). Vendors
   * without one (WEKA, Qumulo: the tokens simply expire) leave it out. A credential the server
   * no longer knows counts as signed out; a failure to reach it is thrown.
   */
  signOut?(stored: string): Promise<void>
  /** Whether the listed token `tokenId` is the one this session itself uses (no request made). */
  isCurrentSession?(access: string, tokenId: string): boolean

  close(): Promise<void>
}
