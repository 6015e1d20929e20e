/**
 * The audit log: what Tokendeck did with credentials, recorded by the core services where it
 * happens, so the app, the tray, the CLI and the agent's clients are each recorded exactly once
 * (a command served by the running owner is recorded by the owner only):
 *
 *   sessions/sessionManager.ts   session:sign-in, session:sign-out, session:ended
 *   tokens/tokenOperations.ts    token:create, token:rotate, token:revoke, token:expiry,
 *                                token:enable, token:disable
 *   clipboard/clipboardService   copy (to the clipboard)
 *   cli (recordFromCli)          copy (to a terminal: `tokendeck token`), exec:start, exec:end,
 *                                credential-process:served, import
 *
 * Services hold the AuditPort only: `record` never throws and never waits; a failure to write
 * is reported to `onProblem` (the log file), never to the user's action. Token ids are hashed
 * here (auditKey.ts) and no field ever takes a secret: the entry has no place for one.
 */
import type { AuditActor, AuditEventName, AuditRecord } from '../../../shared/audit'
import type { ErrorCode, Vendor } from '../../../shared/model'
import { isTokendeckError } from '../../../shared/errors'
import type { ProfileSecrets } from '../secrets'
import { AuditKey, hashWith, keyId } from './auditKey'
import {
  DEFAULT_MAX_BYTES,
  appendAuditLine,
  auditFilePath,
  readAuditFiles,
  type AuditReadResult,
} from './auditFile'
import { currentCaller } from './caller'

export interface AuditEntry {
  event: AuditEventName
  /** Default "ok". */
  /** "partial": a rotation that reports failed steps (listed in `what`). */
  outcome?: 'ok' | 'partial' | ErrorCode
  clusterId?: string
  /** Raw ids: hashed before they are written. */
  tokenId?: string
  newTokenId?: string
  user?: string
  what?: string
  to?: string
  expiresAt?: number | null
  command?: string
  exitCode?: number
  signal?: string
  source?: string
}

/** What the services hold. */
export interface AuditPort {
  record(entry: AuditEntry): void
}

/** The outcome of a failed action, as a record keeps it. */
export function outcomeOf(error: unknown): ErrorCode {
  return isTokendeckError(error) ? error.code : 'INTERNAL'
}

export interface AuditClusterInfo {
  name: string
  vendor: Vendor
}

export interface AuditLogOptions {
  dataDir: string
  /** This process's own actor: what a record says when no request set another (caller.ts). */
  actor: AuditActor
  /** Where the HMAC key lives; without one, token ids are recorded as "unavailable". */
  secrets?: ProfileSecrets
  /** Name and vendor of a cluster, for the record (undefined: unknown now). */
  cluster?: (clusterId: string) => AuditClusterInfo | undefined
  now?: () => number
  maxBytes?: number
  onProblem?: (error: unknown) => void
}

export interface AuditFilter {
  /** Only records at or after this time (epoch ms). */
  since?: number
  /** Only records of this cluster (by id). */
  clusterId?: string
  /** The last `limit` records. */
  limit?: number
}

export class AuditLog implements AuditPort {
  readonly file: string
  private readonly key: AuditKey | undefined
  private tail: Promise<void> = Promise.resolve()

  constructor(private readonly opts: AuditLogOptions) {
    this.file = auditFilePath(opts.dataDir)
    this.key = opts.secrets ? new AuditKey(opts.secrets, opts.dataDir) : undefined
  }

  record(entry: AuditEntry): void {
    // The caller and the time are taken now, not when the write gets its turn.
    const caller = currentCaller() ?? { actor: this.opts.actor }
    const time = new Date((this.opts.now ?? Date.now)()).toISOString()
    const cluster = entry.clusterId ? this.opts.cluster?.(entry.clusterId) : undefined
    this.tail = this.tail.then(async () => {
      try {
        const record: AuditRecord = {
          v: 1,
          time,
          event: entry.event,
          actor: caller.actor,
          outcome: entry.outcome ?? 'ok',
          pid: process.pid,
          ...(caller.clientPid !== undefined ? { clientPid: caller.clientPid } : {}),
          ...(entry.clusterId ? { clusterId: entry.clusterId } : {}),
          ...(cluster ? { clusterName: short(cluster.name), vendor: cluster.vendor } : {}),
          ...(await this.hashed(entry)),
          ...(entry.user !== undefined ? { user: short(entry.user) } : {}),
          ...(entry.what !== undefined ? { what: short(entry.what) } : {}),
          ...(entry.to !== undefined ? { to: short(entry.to) } : {}),
          ...(entry.expiresAt !== undefined ? { expiresAt: entry.expiresAt } : {}),
          ...(entry.command !== undefined ? { command: short(entry.command) } : {}),
          ...(entry.exitCode !== undefined ? { exitCode: entry.exitCode } : {}),
          ...(entry.signal !== undefined ? { signal: short(entry.signal) } : {}),
          ...(entry.source !== undefined ? { source: short(entry.source) } : {}),
        }
        await appendAuditLine(
          this.file,
          JSON.stringify(record),
          this.opts.maxBytes ?? DEFAULT_MAX_BYTES,
        )
      } catch (e) {
        this.opts.onProblem?.(e)
      }
    })
  }

  /** Resolves when every record asked for so far is written (or reported as failed). */
  flush(): Promise<void> {
    return this.tail
  }

  /** `hmac-sha256:<hex>` of an id under this profile's key (`tokendeck audit --token`). */
  async hash(id: string): Promise<string | undefined> {
    return this.key?.hash(id)
  }

  async read(filter: AuditFilter = {}): Promise<AuditReadResult & { file: string }> {
    // Read your own writes: records are hashed and appended behind the caller, and a reader told
    // of an action (the Activity view reloads on the copy event) must find its line. Under load
    // the read used to overtake the append and the view missed the row until Refresh.
    await this.flush()
    const { records, notes } = await readAuditFiles(this.file)
    let kept = records.filter(
      (r) =>
        (filter.since === undefined || Date.parse(r.time) >= filter.since) &&
        (filter.clusterId === undefined || r.clusterId === filter.clusterId),
    )
    if (filter.limit !== undefined) kept = kept.slice(-filter.limit)
    return { records: kept, notes, file: this.file }
  }

  private async hashed(entry: AuditEntry): Promise<Partial<AuditRecord>> {
    if (entry.tokenId === undefined && entry.newTokenId === undefined) return {}
    let key: Buffer | undefined
    try {
      key = await this.key?.get()
    } catch (e) {
      this.opts.onProblem?.(e)
    }
    const hash = (id: string | undefined) =>
      id === undefined ? undefined : key ? hashWith(key, id) : 'unavailable'
    const token = hash(entry.tokenId)
    const newToken = hash(entry.newTokenId)
    return {
      ...(token !== undefined ? { token } : {}),
      ...(newToken !== undefined ? { newToken } : {}),
      ...(key ? { key: keyId(key) } : {}),
    }
  }
}

/** Names and users as the record keeps them: short enough that a line stays one write. */
function short(text: string): string {
  return text.length > 256 ? `${text.slice(0, 255)}…` : text
}
