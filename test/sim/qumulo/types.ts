import type { SimBase, SimStartOptions, SimUser } from '../common/types'
import type { ErrorKey, ErrorSpec } from './errors'

/** docs/protocols/qumulo.md §3.2 DOC: the `domain` values of an `api_identity`. */
export const IDENTITY_DOMAINS = [
  'LOCAL',
  'API_NULL_DOMAIN',
  'WORLD',
  'POSIX_USER',
  'POSIX_GROUP',
  'ACTIVE_DIRECTORY',
  'API_INVALID_DOMAIN',
  'API_RESERVED_DOMAIN',
  'API_INTERNAL_DOMAIN',
  'API_OPERATOR_DOMAIN',
  'API_CREATOR_DOMAIN',
] as const
export type IdentityDomain = (typeof IDENTITY_DOMAINS)[number]

/** docs/protocols/qumulo.md §3.2 DOC: the full identity shape responses carry (all six keys, nulls included). */
export interface ApiIdentity {
  domain: IdentityDomain
  auth_id: string
  uid: number | null
  gid: number | null
  sid: string
  name: string
}

/** A user or group the cluster knows: local, Active Directory, or the WORLD `Everyone`. */
export interface QumuloPrincipal {
  kind: 'user' | 'group'
  /** Decimal string; Qumulo's own ids (`"500"` for admin, docs/protocols/qumulo.md §2.2 DOC example). */
  authId: string
  name: string
  domain: 'LOCAL' | 'ACTIVE_DIRECTORY' | 'WORLD'
  sid: string
  uid: number | null
  gid: number | null
  /** Only users: the demo password (null for principals that cannot log in, e.g. Everyone). */
  password: string | null
  /** AD only: NetBIOS domain (`CORP` in `CORP\bob`) and DNS domain (`bob@corp.example.com`). */
  netbios?: string
  dnsDomain?: string
  /** auth_ids of the groups this user belongs to (roles reach users through groups too). */
  groups: string[]
  /** auth_id of the user's primary group (who-am-i `primary_group`). */
  primaryGroup: string
}

export type QumuloUser = QumuloPrincipal & { kind: 'user' }

/** docs/protocols/qumulo.md §7 DOC: a role is a name, a description, privileges and member identities. */
export interface QumuloRole {
  name: string
  description: string
  privileges: Set<string>
  /** auth_ids of member users or groups. */
  members: Set<string>
}

export interface QumuloSession {
  bearerToken: string
  userAuthId: string
  createdAt: number
  expiresAt: number
  /** docs/protocols/qumulo.md §2.1 DOC: role changes reach a session only after a new login, so we snapshot. */
  privileges: string[]
}

export interface AccessTokenRecord {
  /** 22–23 digit decimal string (docs/protocols/qumulo.md §3.2 DOC): never a JSON number. */
  id: string
  userAuthId: string
  creatorAuthId: string
  /** ms since epoch, plus the sub-millisecond part so creation_time can show 9 digits. */
  createdAt: number
  createdNanos: number
  /** ms since epoch; null = never expires. */
  expiresAt: number | null
  enabled: boolean
  /** The secret `access-v1:` string, shown once at creation. */
  bearerToken: string
}

export interface LoginAttempt {
  at: number
  username: string
  ok: boolean
}

/** Switches tests may turn at runtime (`sim.state.settings.x = …`). */
export interface QumuloSettings {
  sessionTtlSeconds: number
  maxTokensPerUser: number
  /** docs/protocols/qumulo.md §3.4 DESIGN: may a user without ACCESS_TOKENS_WRITE mint a token for himself? */
  selfServiceTokens: boolean
  /** docs/protocols/qumulo.md §10 Q2: the `paging.next` value of the last page (`""` or `null`). */
  pagingEnd: '' | null
  /** docs/protocols/qumulo.md §3.3 DOC "the system may choose a smaller limit": the largest page served. */
  maxPageSize: number
  /** docs/protocols/qumulo.md §10 Q4: reject an expiration_time that is not in the future. */
  rejectPastExpiration: boolean
  /**
   * docs/protocols/qumulo.md §7 DOC / docs/protocols/qumulo.md §9 "(optional)": serve the read side of `/v1/auth/roles/…`. On by
   * default (startQumuloSim); off, those paths answer 404 like an unknown endpoint.
   */
  rolesApi: boolean
}

/** What tests can inspect and turn. Maps are live: changing them changes the simulator. */
export interface QumuloState {
  settings: QumuloSettings
  /** Users and groups keyed by auth_id. */
  principals: Map<string, QumuloPrincipal>
  /** Keyed by role name as created (lookups are case-insensitive, docs/protocols/qumulo.md §7 DOC). */
  roles: Map<string, QumuloRole>
  /** Every session ever issued, keyed by its bearer token (expired ones stay until reaped). */
  sessions: Map<string, QumuloSession>
  /** Keyed by token id. */
  accessTokens: Map<string, AccessTokenRecord>
  loginAttempts: LoginAttempt[]
  users(): QumuloUser[]
  groups(): QumuloPrincipal[]
  /** Find a user by login name in any accepted form (`bob`, `CORP\bob`, `bob@corp.example.com`). */
  userByName(name: string): QumuloUser | undefined
  /** Sessions that authenticate right now. */
  liveSessions(): QumuloSession[]
  /** Privileges the user holds now, through its roles and its groups' roles. */
  privilegesOf(authId: string): string[]
  grantRole(authId: string, roleName: string): void
  revokeRole(authId: string, roleName: string): void
  /** Mint an access token without HTTP (e.g. to seed a test). */
  issueAccessToken(input: {
    userAuthId: string
    creatorAuthId?: string
    expiresAt?: number | null
    enabled?: boolean
  }): AccessTokenRecord
  /** Fault "expired tokens": move every session's expiry to now. */
  expireAllSessions(): void
  /** Every bearer token and password the simulator ever issued or knows. */
  issuedSecrets(): string[]
}

/** Who the cluster is: shapes SIDs, `cluster\user` names and /v1/version. */
export interface QumuloClusterIdentity {
  /** Local names may be qualified with it: `tokendeck-q1\admin` (docs/protocols/qumulo.md §5 DOC). */
  name: string
  /** `revision_id` of /v1/version, `Qumulo Core <version>` (docs/protocols/qumulo.md §1 DOC). */
  version: string
  /** The three sub-authorities of local SIDs, `S-1-5-21-a-b-c-<auth_id>`. */
  sidSubAuthorities: [number, number, number]
}

export interface QumuloSimOptions extends SimStartOptions {
  /**
   * Replace the seeded users. A role containing "admin" (any case) puts the user in
   * Administrators; a known role name joins that role; anything else makes an empty custom role.
   * `domain` set = an Active Directory user of that NetBIOS domain.
   */
  users?: SimUser[]
  /** docs/protocols/qumulo.md §2.1 DOC: 10 hours. */
  sessionTtlSeconds?: number
  /** docs/protocols/qumulo.md §3.4 DOC: two. */
  maxTokensPerUser?: number
  selfServiceTokens?: boolean
  pagingEnd?: '' | null
  maxPageSize?: number
  rejectPastExpiration?: boolean
  rolesApi?: boolean
  cluster?: Partial<QumuloClusterIdentity>
  /** docs/protocols/qumulo.md §9: statuses/classes are guesses; correct one here without editing the table. */
  errors?: Partial<Record<ErrorKey, Partial<ErrorSpec>>>
}

export interface QumuloSim extends SimBase {
  cluster: QumuloClusterIdentity
  state: QumuloState
}
