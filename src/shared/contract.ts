/**
 * Every IPC channel and event, written once. Main validates each input against `input` (a
 * compromised renderer is just bad input) and each output against `output` (strict objects, so a
 * field that is not in the contract — a secret, say — cannot slip through). Preload and renderer
 * derive their types from here.
 */
import { z } from 'zod'
import { Catalogue, ImportOutcome, ImportPlanEntry } from './catalogue'
import { CHANNEL_NAMES as CHANNEL_NAMES_LIST } from './channelNames'
import { AuditRecord } from './audit'
import {
  ClusterBase,
  ClusterId,
  ClusterUrl,
  ClusterView,
  S3KeyHandle,
  ErrorInfo,
  IdentityView,
  KeptS3Key,
  ExpiringReport,
  OneTimeSecret,
  SessionState,
  Settings,
  SettingsPatch,
  Sha256Fingerprint,
  Tag,
  TokenSummary,
  withVendorFields,
} from './model'

/** Longest string the renderer may send in any field: generous for URLs and PEM paths, small for abuse. */
export const MAX_INPUT_STRING = 4096

export const AppInfo = z.strictObject({
  name: z.string(),
  version: z.string(),
  /** 'demo' when running on the simulated clusters' profile. */
  profile: z.enum(['default', 'demo']),
  /** 'keychain' normally; 'session-only' when the user chose to keep secrets in memory. */
  secretStorage: z.enum(['keychain', 'session-only']),
  platform: z.string(),
})
export type AppInfo = z.infer<typeof AppInfo>

const NoInput = z.undefined()
const text = (max = 256) => z.string().max(max)
const ClusterRef = z.strictObject({ clusterId: ClusterId })

/** Certificate details shown before the user trusts a cluster (trust on first use). */
export const CertificateInfo = z.strictObject({
  sha256: z.string(),
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.number(),
  validTo: z.number(),
  selfSigned: z.boolean(),
  subjectAltNames: z.array(z.string()),
})
export type CertificateInfo = z.infer<typeof CertificateInfo>

export const ClusterDraft = withVendorFields(ClusterBase.omit({ id: true, seen: true }))
export type ClusterDraft = z.infer<typeof ClusterDraft>

export const ClusterDetail = z.strictObject({
  view: ClusterView,
  identity: IdentityView.optional(),
  /** When the stored credential (refresh or session token) expires, if known. */
  storedExpiresAt: z.number().optional(),
})
export type ClusterDetail = z.infer<typeof ClusterDetail>

export const CreateTokenInput = z.strictObject({
  clusterId: ClusterId,
  /** Seconds from now; 'never' where the vendor allows it; absent = the vendor's default. */
  expiresIn: z
    .union([
      z
        .number()
        .int()
        .min(60)
        .max(10 * 365 * 86_400),
      z.literal('never'),
    ])
    .optional(),
  owner: text().min(1).optional(),
  description: text(512).optional(),
  s3Secret: z.boolean().optional(),
  /** The user saw createWarnings and confirmed (without it, warnings fail CONFIRMATION_REQUIRED). */
  confirmed: z.boolean().optional(),
})
export type CreateTokenInput = z.infer<typeof CreateTokenInput>

export const RotateStep = z.strictObject({
  step: z.enum(['create', 'prove', 'revoke-old']),
  status: z.enum(['done', 'failed', 'skipped']),
  message: z.string(),
})
export type RotateStep = z.infer<typeof RotateStep>

/** "Copy as…": which text main builds from the token (core/clipboard/copyFormats.ts). */
export const COPY_FORMATS = ['token', 'header', 'export', 'curl'] as const
export const CopyFormat = z.enum(COPY_FORMATS)
export type CopyFormat = z.infer<typeof CopyFormat>

export const channels = {
  'app:info': { input: NoInput, output: AppInfo },
  'app:startupProblems': { input: NoInput, output: z.array(ErrorInfo) },
  /** Keep secrets in memory until quit, after the keychain proved unavailable (visible mode). */
  'app:useSessionOnlySecrets': { input: NoInput, output: AppInfo },

  'clusters:list': { input: NoInput, output: z.array(ClusterView) },
  'clusters:get': { input: ClusterRef, output: ClusterDetail },
  /** Trust on first use: what certificate does this URL present? */
  'clusters:probe': { input: z.strictObject({ url: ClusterUrl }), output: CertificateInfo },
  'clusters:add': { input: ClusterDraft, output: ClusterView },
  'clusters:update': {
    input: z.strictObject({
      clusterId: ClusterId,
      patch: withVendorFields(ClusterBase.omit({ id: true, seen: true, vendor: true }).partial()),
    }),
    output: ClusterView,
  },
  /**
   * Removes the cluster and every secret Tokendeck keeps for it, after ending its session on the
   * server where the vendor can (Swarm). `warnings` say what could not be done (the server could
   * not be told, so its session token stays valid until it expires).
   */
  'clusters:remove': {
    input: ClusterRef,
    output: z.strictObject({
      removed: z.literal(true),
      signedOutOnServer: z.boolean().optional(),
      warnings: z.array(z.string()).optional(),
    }),
  },
  /**
   * After TLS_PIN_MISMATCH: trust the certificate the user just reviewed. Main accepts only the
   * certificate it saw the cluster present in its own probe, just now (clusters:probe, or one it
   * makes itself); any other fingerprint is INVALID_INPUT.
   */
  'clusters:retrust': {
    input: z.strictObject({ clusterId: ClusterId, sha256: Sha256Fingerprint }),
    output: ClusterView,
  },

  /** The password is used for exactly one request and never stored or retried. */
  'session:signIn': {
    input: z.strictObject({ clusterId: ClusterId, password: z.string().min(1).max(1024) }),
    output: ClusterView,
  },
  /**
   * The server accepted the sign-in only on condition of a password change (WEKA,
   * PASSWORD_CHANGE_REQUIRED): change it, then sign in with the new one. Each password is sent
   * once; nothing is retried.
   */
  'session:changePassword': {
    input: z.strictObject({
      clusterId: ClusterId,
      currentPassword: z.string().min(1).max(1024),
      newPassword: z.string().min(1).max(1024),
    }),
    output: ClusterView,
  },
  'session:signOut': { input: ClusterRef, output: ClusterView },
  'session:refresh': { input: ClusterRef, output: ClusterView },
  /** Main copies a currently valid access token; the renderer never sees it. */
  'session:copyAccessToken': {
    input: ClusterRef,
    output: z.strictObject({ copied: z.literal(true), clearsInSeconds: z.number() }),
  },

  /**
   * "Copy as…": main builds the text (a header, an export line, a curl command) and copies it;
   * the renderer only names the format and never sees the token. `warnings`: why a tool may
   * still refuse the certificate the curl command trusts.
   */
  'session:copyAs': {
    input: z.strictObject({ clusterId: ClusterId, format: CopyFormat }),
    output: z.strictObject({
      copied: z.literal(true),
      clearsInSeconds: z.number(),
      warnings: z.array(z.string()).optional(),
    }),
  },

  'tokens:list': {
    input: z.strictObject({ clusterId: ClusterId, owner: text().optional() }),
    output: z.array(TokenSummary),
  },
  'tokens:createWarnings': { input: CreateTokenInput, output: z.array(z.string()) },
  /** The one response that carries secrets: shown once, then forgotten by the renderer. */
  'tokens:create': {
    input: CreateTokenInput,
    output: z.strictObject({ token: TokenSummary, secrets: z.array(OneTimeSecret) }),
  },
  'tokens:modify': {
    input: z.strictObject({
      clusterId: ClusterId,
      tokenId: text(),
      expiresAt: z.number().nullable().optional(),
      enabled: z.boolean().optional(),
    }),
    output: TokenSummary,
  },
  'tokens:revoke': {
    input: z.strictObject({
      clusterId: ClusterId,
      target: z.union([z.strictObject({ tokenId: text() }), z.strictObject({ username: text() })]),
    }),
    output: z.strictObject({ revoked: z.literal(true) }),
  },
  'tokens:rotate': {
    input: z.strictObject({
      clusterId: ClusterId,
      tokenId: text(),
      confirmed: z.boolean().optional(),
    }),
    output: z.strictObject({
      steps: z.array(RotateStep),
      token: TokenSummary.optional(),
      secrets: z.array(OneTimeSecret),
    }),
  },
  /**
   * Every listed token and stored session across all clusters, soonest first (issue 15); a
   * cluster that could not be looked at is a note, never a failure of the whole call.
   */
  'tokens:expiring': {
    input: z.strictObject({
      withinSeconds: z
        .number()
        .int()
        .min(0)
        .max(10 * 365 * 86_400)
        .optional(),
    }),
    output: ExpiringReport,
  },

  /**
   * Add and remove tags of one cluster, as one locked read-modify-write of the registry (two
   * terminals tagging at once both keep their tags). Removing a tag it does not have is no error.
   */
  'clusters:tag': {
    input: z.strictObject({
      clusterId: ClusterId,
      add: z.array(Tag).max(64).default([]),
      remove: z.array(Tag).max(64).default([]),
    }),
    output: ClusterView,
  },
  /** The clusters (or those with one of `tags`) as a shareable catalogue: no secret, no path. */
  'clusters:export': {
    input: z.strictObject({ tags: z.array(Tag).max(64).optional() }),
    output: Catalogue,
  },
  /** What importing a catalogue would do, entry by entry, with each certificate to show. */
  'clusters:importPlan': {
    input: z.strictObject({ catalogue: Catalogue }),
    output: z.array(ImportPlanEntry),
  },
  /**
   * Import a catalogue. `confirmed`: the entries whose certificate the user accepted (needed to
   * add a cluster, or to change a known one's certificate). One outcome per entry.
   */
  'clusters:import': {
    input: z.strictObject({
      catalogue: Catalogue,
      confirmed: z.array(z.number().int().min(0)).max(10_000),
    }),
    output: z.array(ImportOutcome),
  },

  /** Export… in the app: main asks where (the save dialog) and writes the catalogue there. */
  'files:saveCatalogue': {
    input: z.strictObject({ tags: z.array(Tag).max(64).optional() }),
    output: z.strictObject({
      /** Absent when the user cancelled. */
      path: z.string().max(4096).optional(),
      clusters: z.number().int(),
    }),
  },
  /** Import… in the app: main asks which file (the open dialog), reads and checks it. */
  'files:openCatalogue': {
    input: NoInput,
    output: z.strictObject({
      path: z.string().max(4096).optional(),
      catalogue: Catalogue.optional(),
    }),
  },

  'settings:get': { input: NoInput, output: Settings },
  'settings:update': { input: SettingsPatch, output: Settings },
  /** Copy a one-time secret the user is looking at (the shown-once dialog's copy buttons). */
  'clipboard:copyShownSecret': {
    input: z.strictObject({ value: z.string().min(1).max(MAX_INPUT_STRING) }),
    output: z.strictObject({ copied: z.literal(true), clearsInSeconds: z.number() }),
  },

  // Kept S3 keys (core/s3keys). The renderer never gets a kept secret back: keeping names the
  // one-time handle main issued with the create reply, never the secret itself.
  's3keys:list': {
    input: z.strictObject({ clusterId: ClusterId.optional() }),
    output: z.array(KeptS3Key),
  },
  's3keys:keep': {
    input: z.strictObject({ handle: z.string().min(1).max(128) }),
    output: KeptS3Key,
  },
  /** The dialog closed without keeping: main drops the secret it held under the handle. */
  's3keys:discard': {
    input: z.strictObject({ handle: z.string().min(1).max(128) }),
    output: z.strictObject({ discarded: z.boolean() }),
  },
  's3keys:forget': {
    // By the key's handle (its token's listed id), never the access key id (docs/protocols/swarm.md §2.1).
    input: z.strictObject({ clusterId: ClusterId, tokenId: S3KeyHandle }),
    output: z.strictObject({ forgotten: z.boolean() }),
  },

  /**
   * A refresh token another tool left on disk (`tokendeck import weka-cli`), proved with one
   * refresh and kept as the cluster's session; `source` (the file's path) is for the audit log.
   */
  'session:import': {
    input: z.strictObject({
      clusterId: ClusterId,
      refreshToken: z
        .string()
        .min(1)
        .max(64 * 1024),
      source: text(1024),
    }),
    output: ClusterView,
  },
  /** Plaintext credential files of vendor CLIs in the home directory (paths only), for a banner. */
  'app:plaintextCredentials': {
    input: NoInput,
    output: z.strictObject({ files: z.array(z.string()) }),
  },
  /** The audit log's last `limit` records, newest first (the Activity view); never a secret. */
  'audit:recent': {
    input: z.strictObject({
      limit: z.number().int().min(1).max(10_000),
      clusterId: ClusterId.optional(),
    }),
    output: z.strictObject({
      records: z.array(AuditRecord),
      /** Damaged lines skipped, in the user's words. */
      notes: z.array(z.string()),
      file: z.string(),
    }),
  },
  /**
   * The shown-once dialog closed. A secret copied from it was kept on the clipboard while it was
   * open; now it is cleared after max(delay setting, 2 min) (`clearsInSeconds`; 0 = never).
   */
  'clipboard:shownSecretClosed': {
    input: NoInput,
    output: z.strictObject({ clearsInSeconds: z.number() }),
  },
  /**
   * The app's native file picker, for a CA file (PEM). `path` is absent when the user cancelled;
   * where there is no picker (browser tests without one, the CLI) it is UNSUPPORTED.
   */
  'files:pickCaFile': {
    input: NoInput,
    output: z.strictObject({ path: z.string().min(1).max(4096).optional() }),
  },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>

export type Channels = typeof channels
export type ChannelName = keyof Channels
export { CHANNEL_NAMES, EVENT_CHANNEL } from './channelNames'

// The preload's allow-list (channelNames.ts) must name exactly these channels.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const _channelNamesMatch: SameKeys<ChannelName, (typeof CHANNEL_NAMES_LIST)[number]> = true
void _channelNamesMatch
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>
export type ChannelOutput<C extends ChannelName> = z.output<Channels[C]['output']>

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name)
}

/** Every reply crosses the boundary as data: errors carry a code and words, never a stack. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

/** Events main pushes to the renderer. */
export const events = {
  'session:changed': z.strictObject({
    clusterId: z.string(),
    session: SessionState,
    /** The stored session credential's expiry after this change (the list shows it). */
    storedExpiresAt: z.number().optional(),
  }),
  'clusters:changed': z.strictObject({}),
  /** Main copied something: the toast says when it clears. */
  'clipboard:copied': z.strictObject({ clearsInSeconds: z.number(), what: z.string() }),
  /** A notification was clicked, or the tray asked to open a cluster. */
  'ui:openCluster': z.strictObject({ clusterId: z.string() }),
  /** A cluster's kept S3 keys changed (kept, forgotten, or its token revoked), from any process. */
  's3keys:changed': z.strictObject({ clusterId: z.string() }),
  /** The screen locked or the machine is going to sleep: close anything showing a secret. */
  'ui:screenLocked': z.strictObject({}),
  /** The global shortcut was pressed: open the command palette. */
  'ui:openPalette': z.strictObject({}),
  /** An expiry notification about several tokens was clicked: show the Expiring view. */
  'ui:openExpiring': z.strictObject({}),
} as const satisfies Record<string, z.ZodType>
export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>
export type TokendeckEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName]

/** What `window.tokendeck` is, in the app (preload) and in the browser tests (bridge) alike. */
export interface TokendeckApi {
  invoke<C extends ChannelName>(
    channel: C,
    input: ChannelInput<C>,
  ): Promise<Result<ChannelOutput<C>>>
  /** Subscribe to main's events; returns the unsubscribe function. */
  onEvent(listener: (event: TokendeckEvent) => void): () => void
}
