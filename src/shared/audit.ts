/**
 * The audit log's record, shared by the core (which writes and reads it), the CLI (`tokendeck
 * audit`) and the renderer (the Activity view). A record says what Tokendeck did with a
 * credential, for whom and how it ended; it never holds a secret, and token ids only as an
 * HMAC-SHA256 under the profile's own key (`hmac-sha256:<hex>`), as Vault's audit devices do:
 * the same id always gives the same hash within a profile, yet the log alone reveals no id.
 * See src/main/core/audit/auditLog.ts for where each event is recorded.
 */
import { z } from 'zod'
import { Vendor } from './model'

/**
 * Who asked: the app's window, its tray menu, a `tokendeck` command that ran in its own process,
 * `tokendeck agent`'s own background work, or a `tokendeck` command (exec, credential_process…)
 * served by the running owner over the agent socket (`clientPid` says which process).
 */
export const AuditActor = z.enum(['app', 'tray', 'cli', 'agent', 'agent-client'])
export type AuditActor = z.infer<typeof AuditActor>

export const AUDIT_EVENTS = [
  'session:sign-in',
  'session:sign-out',
  /** The server no longer accepted the stored credential: the session was signed out. */
  'session:ended',
  /** The account's password was changed because the server required it (never the passwords). */
  'session:password-change',
  'token:create',
  'token:rotate',
  'token:revoke',
  'token:expiry',
  'token:enable',
  'token:disable',
  /** A credential left Tokendeck for the user: the clipboard, or a terminal (`tokendeck token`). */
  'copy',
  'exec:start',
  'exec:end',
  'credential-process:served',
  /** A plaintext credential file of a vendor CLI was moved into the keychain. */
  'import',
] as const
export type AuditEventName = (typeof AUDIT_EVENTS)[number]

const text = z.string().max(512)

/**
 * One line of the log. Read leniently (a newer Tokendeck may add fields or events: unknown fields
 * are dropped, an unknown event name is kept as text) but never more than this shape.
 */
export const AuditRecord = z.object({
  v: z.literal(1),
  /** ISO 8601, UTC. */
  time: z.string().max(40),
  event: z.string().max(64),
  actor: z.string().max(32),
  /** "ok", or the error code the action ended in. */
  outcome: z.string().max(64),
  pid: z.number().int().optional(),
  /** actor "agent-client": the process the owner served. */
  clientPid: z.number().int().optional(),
  clusterId: text.optional(),
  clusterName: text.optional(),
  vendor: Vendor.optional(),
  /** hmac-sha256:<hex> of the token (or S3 key) id acted on. */
  token: text.optional(),
  /** token:rotate: the replacement's id, hashed likewise. */
  newToken: text.optional(),
  /** Which key hashed the ids (a short fingerprint of it, not the key). */
  key: text.optional(),
  /** token:revoke of every token of a user. */
  user: text.optional(),
  /** copy: what was copied (access-token, shown-secret…) and where to (clipboard, terminal). */
  what: text.optional(),
  to: text.optional(),
  /** token:expiry: the new expiry (epoch ms; null = never). */
  expiresAt: z.number().nullable().optional(),
  /** exec: the program's name only (its arguments may hold secrets). */
  command: text.optional(),
  exitCode: z.number().int().optional(),
  signal: text.optional(),
  /** import: where the credential came from (a path, not its content). */
  source: text.optional(),
})
export type AuditRecord = z.infer<typeof AuditRecord>
