/**
 * The domain model shared by main, preload and renderer. Written once here (zod schemas, with the
 * TypeScript types derived from them) so the IPC contract, the config file and the UI agree.
 * Nothing here may hold a stored secret except OneTimeSecret, which only a create response carries.
 */
import { z } from 'zod'
import {
  isVendor,
  vendorFieldByKey,
  vendorIds,
  type Vendor as VendorId,
  type VendorFieldValues,
} from './vendors'

export { VENDORS } from './vendors'
export type Vendor = VendorId
/** A vendor in the vendor table (vendors.ts): the shipped three, or one registered there. */
export const Vendor = z.custom<VendorId>(isVendor, {
  error: () => `the vendor must be one of ${vendorIds().join(', ')}`,
})

/** SHA-256 certificate fingerprint, upper-case hex pairs joined by ':' (as browsers show it). */
export const Sha256Fingerprint = z
  .string()
  .regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'a SHA-256 fingerprint is 32 hex pairs joined by ":"')
export type Sha256Fingerprint = z.infer<typeof Sha256Fingerprint>

/** Normalise user-typed fingerprints ("ab cd…", "abcd…", "AB:CD…") to the canonical form. */
export function normalizeFingerprint(input: string): string {
  const hex = input.replace(/[^0-9a-fA-F]/g, '').toUpperCase()
  return hex.match(/.{1,2}/g)?.join(':') ?? ''
}

export const ClusterTrust = z.union([
  z.strictObject({ sha256: Sha256Fingerprint }),
  z.strictObject({ caPath: z.string().min(1).max(4096) }),
])
export type ClusterTrust = z.infer<typeof ClusterTrust>

/** What the server told us about itself at the last successful contact. */
export const ClusterSeen = z.strictObject({
  clusterName: z.string().max(256),
  clusterId: z.string().max(256).optional(),
  version: z.string().max(256).optional(),
})
export type ClusterSeen = z.infer<typeof ClusterSeen>

const shortText = z.string().trim().min(1).max(256)

export const ClusterId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a cluster id is 1–64 of a–z, 0–9 and "-"')
export type ClusterId = z.infer<typeof ClusterId>

export const ClusterUrl = z
  .string()
  .max(2048)
  .url()
  .refine((u) => u.startsWith('https://'), 'the cluster URL must use https://')
  // A password in the URL would be stored in clusters.json, listed and shown in the window.
  // The message never repeats the URL: it holds the password.
  .refine(
    (u) => !hasUserInfo(u),
    'the cluster URL must not contain a user name or password (https://user:password@host): give the user name on its own; Tokendeck asks for the password at sign-in and never stores it',
  )

/** Whether a URL carries userinfo (`user@` or `user:password@` before the host). */
export function hasUserInfo(url: string): boolean {
  try {
    const u = new URL(url)
    return u.username !== '' || u.password !== ''
  } catch {
    // Not a URL at all: the URL check says so.
    return false
  }
}

/**
 * A label on a cluster (`prod`, `lab`, `site-a`): lower case, short, for grouping and finding.
 * Kept in clusters.json and in shared catalogues, so it is held to a shape no secret fits in
 * (a token or password is longer, or mixes case): 1–32 of a–z, 0–9, ".", "_", ":" and "-".
 */
export const Tag = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._:-]{0,31}$/,
    'a tag is 1–32 of a–z, 0–9, ".", "_", ":" and "-", starting with a letter or digit',
  )
export type Tag = z.infer<typeof Tag>
export const MAX_TAGS = 16
export const Tags = z
  .array(Tag)
  .max(MAX_TAGS, `a cluster has at most ${MAX_TAGS} tags`)
  .refine((t) => new Set(t).size === t.length, 'a tag is given more than once')

/** A tag as a person types it ("Prod ", "Site-A"): trimmed and lower-cased before it is checked. */
export function normalizeTag(input: string): string {
  return input.trim().toLowerCase()
}

/**
 * A cluster's own properties. Its vendor's connection fields (WEKA's `org`, Swarm's `tenant`…)
 * come from the vendor table: see `withVendorFields`.
 */
export const ClusterBase = z.strictObject({
  id: ClusterId,
  vendor: Vendor,
  name: shortText,
  url: ClusterUrl,
  username: shortText,
  trust: ClusterTrust,
  seen: ClusterSeen.optional(),
  /** Labels for grouping and finding (absent in files from before tags). */
  tags: Tags.optional(),
})

const vendorFieldSchemas = {
  text: z.string().max(256).optional(),
  url: ClusterUrl.optional(),
}

/**
 * `schema` plus the connection fields of the vendor table (vendors.ts), each checked as its kind
 * says; any other property is refused as an unknown field, as a strict object would. Applied after
 * `.omit`/`.partial` (zod refuses those on a refined object). A field of any vendor in the table
 * passes on any cluster, as before the table: files written then may hold one on another vendor.
 */
export function withVendorFields<S extends z.ZodObject>(
  schema: S,
): z.ZodType<z.output<S> & VendorFieldValues, z.input<S> & VendorFieldValues> {
  const open = schema.catchall(z.unknown()).superRefine((value, ctx) => {
    const own = schema.shape as Record<string, unknown>
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) {
      if (key in own) continue
      const field = vendorFieldByKey(key)
      if (field === undefined) {
        ctx.addIssue({ code: 'unrecognized_keys', keys: [key], input: value, path: [] })
        continue
      }
      const parsed = vendorFieldSchemas[field.kind].safeParse(record[key])
      for (const issue of parsed.error?.issues ?? [])
        ctx.addIssue({ ...issue, path: [key, ...issue.path] } as Parameters<typeof ctx.addIssue>[0])
    }
  })
  // The declared fields are typed (VendorFieldValues); a registered vendor's are read by key.
  return open as unknown as z.ZodType<
    z.output<S> & VendorFieldValues,
    z.input<S> & VendorFieldValues
  >
}

export const Cluster = withVendorFields(ClusterBase)
export type Cluster = z.infer<typeof Cluster>

export const ErrorCode = z.enum([
  'BAD_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'PASSWORD_CHANGE_REQUIRED',
  'FORBIDDEN',
  'REFRESH_EXPIRED',
  'TOKEN_LIMIT',
  'NOT_FOUND',
  'TLS_PIN_MISMATCH',
  'TLS_UNTRUSTED',
  'UNREACHABLE',
  'TIMEOUT',
  'SERVER_ERROR',
  'BAD_RESPONSE',
  'KEYCHAIN_UNAVAILABLE',
  'INVALID_INPUT',
  'CONFIG_CORRUPT',
  'NOT_SIGNED_IN',
  'UNSUPPORTED',
  'INTERNAL',
  /** The screen is locked and the user asked the agent to pause meanwhile (pauseAgentWhenLocked). */
  'SCREEN_LOCKED',
  /** The request is valid but has warnings the user has not confirmed (send `confirmed: true`). */
  'CONFIRMATION_REQUIRED',
  /**
   * The same operation is already under way (a sign-in to that cluster, another process owning
   * the sessions or holding the cluster list's lock); try again after it.
   */
  'BUSY',
])
export type ErrorCode = z.infer<typeof ErrorCode>

/** A failure as it crosses a process boundary: a code, words for the user, never a secret. */
export const ErrorInfo = z.strictObject({
  code: ErrorCode,
  message: z.string(),
  /** When the user may try again (ACCOUNT_LOCKED, backoff), epoch ms. */
  retryAt: z.number().optional(),
  /** TLS_PIN_MISMATCH: the fingerprint the server presented now. */
  seenSha256: z.string().optional(),
})
export type ErrorInfo = z.infer<typeof ErrorInfo>

export const SessionState = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('signed-out'), reason: ErrorInfo.optional() }),
  z.strictObject({ state: z.literal('signing-in') }),
  z.strictObject({ state: z.literal('active'), expiresAt: z.number().optional() }),
  z.strictObject({ state: z.literal('refreshing'), expiresAt: z.number().optional() }),
  z.strictObject({ state: z.literal('expired'), reason: ErrorInfo.optional() }),
  z.strictObject({ state: z.literal('locked'), until: z.number() }),
  z.strictObject({ state: z.literal('failed'), error: ErrorInfo, retryAt: z.number().optional() }),
  z.strictObject({ state: z.literal('untrusted'), seenSha256: z.string() }),
])
export type SessionState = z.infer<typeof SessionState>

/** What a vendor module can do; the UI asks these, never vendor names. */
export const Capabilities = z.strictObject({
  refreshesAccessTokens: z.boolean(),
  generatesLongLivedTokens: z.boolean(),
  listsTokens: z.boolean(),
  modifiesExpiry: z.boolean(),
  enablesDisables: z.boolean(),
  revokes: z.enum(['all-of-user', 'one']),
  rotates: z.boolean(),
  issuesS3Secrets: z.boolean(),
  tokenAdminCanActForOthers: z.boolean(),
  maxTokensPerUser: z.number().optional(),
  /** A token may be created (or changed) to never expire. */
  tokensCanNeverExpire: z.boolean(),
  /**
   * Signing out (or removing the cluster) ends the session on the server too, not only here
   * (Swarm deletes its session token); elsewhere the server's session expires on its own.
   */
  endsSessionOnServer: z.boolean().optional(),
  defaultPort: z.number(),
})
export type Capabilities = z.infer<typeof Capabilities>

/** A token as listed: never holds its secret. Ids are strings (Qumulo's are 22–23 digits). */
export const TokenSummary = z.strictObject({
  id: z.string(),
  owner: z.string(),
  creator: z.string().optional(),
  createdAt: z.number().optional(),
  expiresAt: z.number().optional(),
  enabled: z.boolean().optional(),
  description: z.string().optional(),
  hasS3Secret: z.boolean().optional(),
  /**
   * This token is the one Tokendeck's own session on the cluster uses (Swarm: the session token
   * is listed like any other). Revoking it signs Tokendeck out; the UI can say "this session".
   */
  isCurrentSession: z.boolean().optional(),
})
export type TokenSummary = z.infer<typeof TokenSummary>

/** The one value a server shows once: only ever inside a create/rotate response. */
export const OneTimeSecret = z.strictObject({
  kind: z.enum(['access-token', 's3-secret']),
  value: z.string(),
  accessKeyId: z.string().optional(),
  /**
   * S3 secrets only: a one-time handle main holds the secret under for a short while, so the
   * shown-once dialog can ask main to keep it in the keychain without sending it back
   * (core/s3keys/pendingS3Secrets.ts). Not a secret: it only works in the process that issued it.
   */
  keepHandle: z.string().optional(),
})
export type OneTimeSecret = z.infer<typeof OneTimeSecret>

/**
 * A cluster as the UI lists it: config and session, never a secret. Its vendor's capabilities are
 * the vendor table's (`capabilitiesOf(cluster.vendor)`, vendors.ts), not repeated on every row.
 */
export const ClusterView = z.strictObject({
  cluster: Cluster,
  session: SessionState,
  /** When the stored session credential (refresh or session token) expires, if known. */
  storedExpiresAt: z.number().optional(),
})
export type ClusterView = z.infer<typeof ClusterView>

// ---- Settings (settings.ts: user preferences and a change to some of them) ------------------
export * from './settings'

// ---- Kept S3 keys (opt-in, Swarm: `tokendeck s3 credential-process`) ------------------------

/** An S3 access key id as Tokendeck keeps it (Swarm: the token id, 32 hex digits). */
export const AccessKeyId = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,128}$/, 'an access key id is 1–128 of A–Z, a–z, 0–9, ".", "_", "-"')

/**
 * How a kept S3 key is named everywhere outside the keychain: its token's listed id (on Swarm the
 * handle, docs/protocols/swarm.md §2.3), never the access key id, which on Swarm is the token
 * itself (docs/protocols/swarm.md §2.1). Same characters as an access key id, so it can name a keychain account.
 */
export const S3KeyHandle = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,128}$/, 'a kept key is named by 1–128 of A–Z, a–z, 0–9, ".", "_", "-"')

/**
 * What is known about a kept S3 key without reading its secret (s3-keys.json, s3keys:list). No
 * access key id: it is in the keychain entry only, handed to the one tool that asks for the key.
 */
export const KeptS3Key = z.strictObject({
  clusterId: ClusterId,
  tokenId: S3KeyHandle,
  owner: z.string().max(256).optional(),
  /** The token's expiry (epoch ms); absent = never. */
  expiresAt: z.number().optional(),
  keptAt: z.number(),
})
export type KeptS3Key = z.infer<typeof KeptS3Key>
// ---- Expiring, across clusters (issue 15) ----------------------------------------------------

/** What the user can do with an expiring row, as its vendor's capabilities allow. */
export const ExpiringAction = z.enum(['rotate', 'extend', 'revoke'])
export type ExpiringAction = z.infer<typeof ExpiringAction>

/**
 * One long-lived token, or one stored session (WEKA refresh token, Qumulo/Swarm session token),
 * on one cluster. Never holds a secret: a token is named by its id, a session by its cluster.
 */
export const ExpiringItem = z.strictObject({
  kind: z.enum(['token', 'session']),
  clusterId: ClusterId,
  clusterName: z.string(),
  vendor: Vendor,
  /** The token's id (listed tokens, including a Swarm session's own token). */
  tokenId: z.string().optional(),
  owner: z.string(),
  description: z.string().optional(),
  /** When the token was created, where the server says (its lifetime picks the warning window). */
  createdAt: z.number().optional(),
  /** Epoch ms; absent = never expires (tokens) or not known (sessions). */
  expiresAt: z.number().optional(),
  enabled: z.boolean().optional(),
  hasS3Secret: z.boolean().optional(),
  actions: z.array(ExpiringAction),
})
export type ExpiringItem = z.infer<typeof ExpiringItem>

/** A cluster whose tokens could not be looked at (signed out, offline, forbidden…). */
export const ExpiringNote = z.strictObject({
  clusterId: ClusterId,
  clusterName: z.string(),
  vendor: Vendor,
  error: ErrorInfo,
})
export type ExpiringNote = z.infer<typeof ExpiringNote>

export const ExpiringReport = z.strictObject({
  /** Soonest first; tokens that never expire (or sessions of unknown expiry) last. */
  items: z.array(ExpiringItem),
  notes: z.array(ExpiringNote),
  /** When the report was made, epoch ms (the "now" of `within`). */
  checkedAt: z.number(),
})
export type ExpiringReport = z.infer<typeof ExpiringReport>

// ---- Identity (who a session is signed in as) -----------------------------------------------

/**
 * Who a session is signed in as, as the server reports it (sign-in, whoami, proving a token).
 * Never a secret. The one shape for the vendors, the sessions and clusters:get (which sends
 * the renderer the part it shows: IdentityView).
 */
export const Identity = z.strictObject({
  username: z.string(),
  /** The vendor's role name as the server reports it. */
  role: z.string().optional(),
  /** WEKA user uid (needed to revoke), Qumulo auth_id. */
  uid: z.string().optional(),
  /** WEKA organization, Swarm tenant/domain. */
  scope: z.string().optional(),
  /** Whether the server says this user administers tokens of others. */
  isAdmin: z.boolean(),
})
export type Identity = z.infer<typeof Identity>

/** The part of an Identity the renderer shows (clusters:get). */
export const IdentityView = Identity.pick({ username: true, role: true, isAdmin: true })
export type IdentityView = z.infer<typeof IdentityView>
