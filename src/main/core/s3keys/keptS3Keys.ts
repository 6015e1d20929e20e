/**
 * Kept S3 keys (opt-in, vendors with `issuesS3Secrets`): the user asked Tokendeck to keep an S3
 * key it just created, so `tokendeck s3 credential-process` can hand it to the AWS CLI and SDKs
 * and `tokendeck exec` can put it in a command's environment.
 *
 * The secret is in the keychain, bound to the cluster's vendor, origin and user and to its access
 * key id and token id (secrets/s3KeyEntry.ts); what is kept is listed in s3-keys.json
 * (keptKeyIndex.ts), never in clusters.json. Keeping takes a handle from a create reply
 * (pendingS3Secrets.ts), never a secret from the caller.
 *
 * A kept key is named by its token's listed id (`tokenId`, on Swarm the handle) in the list, the
 * keychain account, every channel and every message. Its access key id is on Swarm the token
 * itself (docs/protocols/swarm.md §2.1): it lives only in the keychain entry, beside the secret,
 * and leaves it only in `credential`'s answer, to the one tool that asked for the key. Keys kept
 * by earlier versions (named by access key id) are moved first (legacyKeys.ts).
 *
 * Order of writes, so a crash or a keychain failure never leaves a key that is listed but
 * unusable without the user seeing it: keep = keychain first, then the list; forget = keychain
 * first, then the list (a failure leaves the key listed, and forgetting again finishes the job).
 * The keychain is never called while holding the list's lock: a keychain call can wait on an
 * unlock prompt far longer than another process would wait for the lock.
 */
import { TokendeckError } from '../../../shared/errors'
import {
  AccessKeyId,
  type Cluster,
  type KeptS3Key,
  type OneTimeSecret,
  type TokenSummary,
} from '../../../shared/model'
import type { ClusterRegistry } from '../clusters'
import { bindingFor, bindingMismatch, type SecretStore, type S3KeySecrets } from '../secrets'
import type { Clock } from '../time'
import type { KeptKeyIndex } from './keptKeyIndex'
import { migrateLegacyKeys } from './legacyKeys'
import { PendingS3Secrets, PENDING_TTL_MS } from './pendingS3Secrets'

/** What `credential_process` prints (docs: AWS "Sourcing credentials with an external process"). */
export interface S3Credential {
  accessKeyId: string
  secretAccessKey: string
  expiresAt?: number
}

export class KeptS3Keys {
  private readonly pending: PendingS3Secrets
  /** The move of an earlier version's keys while one is under way. */
  private migration: Promise<void> | undefined

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly secrets: SecretStore & S3KeySecrets,
    private readonly index: KeptKeyIndex,
    private readonly clock: Clock,
    /** Told after a cluster's kept keys changed (the window's list reloads). */
    private readonly onChange: (clusterId: string) => void = () => undefined,
    ttlMs = PENDING_TTL_MS,
  ) {
    this.pending = new PendingS3Secrets(clock, ttlMs)
  }

  /**
   * The secrets of a create or rotate reply, each S3 secret with a handle to keep it by. Only
   * for clusters whose vendor issues S3 secrets, and only secrets that name their access key.
   */
  offer(cluster: Cluster, token: TokenSummary, secrets: OneTimeSecret[]): OneTimeSecret[] {
    return secrets.map((s) => {
      if (s.kind !== 's3-secret' || s.accessKeyId === undefined) return s
      const keepHandle = this.pending.offer({
        clusterId: cluster.id,
        accessKeyId: s.accessKeyId,
        tokenId: token.id,
        owner: token.owner,
        ...(token.expiresAt !== undefined ? { expiresAt: token.expiresAt } : {}),
        secretAccessKey: s.value,
        binding: bindingFor(cluster),
      })
      return { ...s, keepHandle }
    })
  }

  discard(handle: string): boolean {
    return this.pending.discard(handle)
  }

  /** Keeps the key a handle stands for. Idempotent while the handle lives. */
  async keep(handle: string): Promise<KeptS3Key> {
    const p = this.pending.get(handle)
    if (p === undefined)
      throw new TokendeckError(
        'NOT_FOUND',
        'This S3 key can no longer be kept: Tokendeck holds a new secret only while its dialog is open ' +
          `(at most ${Math.round(PENDING_TTL_MS / 60_000)} minutes). Store the secret yourself, or create a new token and keep its key.`,
      )
    if (this.secrets.mode === 'session-only')
      throw new TokendeckError(
        'UNSUPPORTED',
        'Tokendeck keeps secrets in memory only until it quits ("This session only"), so it cannot keep an S3 key in the keychain now.',
      )
    const cluster = this.registry.get(p.clusterId)
    if (bindingMismatch(p.binding, bindingFor(cluster)) !== undefined)
      throw new TokendeckError(
        'INVALID_INPUT',
        `${cluster.name} was changed (address or user) since this key was created; Tokendeck will not keep it for the cluster as it is now.`,
      )
    await this.migrated()
    await this.secrets.setS3Key(cluster.id, {
      accessKeyId: p.accessKeyId,
      tokenId: p.tokenId,
      secretAccessKey: p.secretAccessKey,
      binding: p.binding,
    })
    const record: KeptS3Key = {
      clusterId: cluster.id,
      tokenId: p.tokenId,
      ...(p.owner !== undefined ? { owner: p.owner } : {}),
      ...(p.expiresAt !== undefined ? { expiresAt: p.expiresAt } : {}),
      keptAt: this.clock.now(),
    }
    try {
      await this.index.update((keys) => [
        ...keys.filter((k) => !(k.clusterId === cluster.id && k.tokenId === p.tokenId)),
        record,
      ])
    } catch (e) {
      // Not listed means not kept: take the secret back out rather than leave it unseen.
      await this.secrets.deleteS3Key(cluster.id, p.tokenId).catch(() => false)
      throw e
    }
    this.onChange(cluster.id)
    return record
  }

  /** Kept keys, of one cluster or all, newest first. */
  async list(clusterId?: string): Promise<KeptS3Key[]> {
    const keys = await this.index.list()
    return keys
      .filter((k) => clusterId === undefined || k.clusterId === clusterId)
      .sort((a, b) => b.keptAt - a.keptAt)
  }

  /**
   * The key named by its handle, for a tool (credential_process, exec): the one answer that
   * carries the access key id. Refused when it is not kept (never kept, forgotten, or its token
   * revoked through Tokendeck), expired, or no longer bound to the cluster as configured now.
   */
  async credential(clusterId: string, tokenId: string): Promise<S3Credential> {
    const cluster = this.registry.get(clusterId)
    await this.migrated()
    const record = (await this.index.list()).find(
      (k) => k.clusterId === clusterId && k.tokenId === tokenId,
    )
    if (record === undefined)
      throw new TokendeckError(
        'NOT_FOUND',
        `No kept S3 key of ${cluster.name} has that id (never kept, forgotten, or its token revoked). ` +
          '"tokendeck s3 list" shows the kept keys.',
      )
    if (record.expiresAt !== undefined && record.expiresAt <= this.clock.now())
      throw new TokendeckError(
        'REFRESH_EXPIRED',
        `The S3 key ${tokenId} of ${cluster.name} expired at ${new Date(record.expiresAt).toISOString()}. ` +
          'Create a new token with an S3 key and keep it (and forget this one).',
      )
    const stored = await this.secrets.getS3Key(clusterId, tokenId)
    if (stored === undefined)
      throw new TokendeckError(
        'CONFIG_CORRUPT',
        `The keychain no longer holds the secret of the kept S3 key ${tokenId} of ${cluster.name}. ` +
          `Forget it (tokendeck s3 forget ${cluster.id} ${tokenId}) and keep a new key.`,
      )
    if (bindingMismatch(stored.binding, bindingFor(cluster)) !== undefined)
      throw new TokendeckError(
        'FORBIDDEN',
        `The kept S3 key ${tokenId} was issued for ${cluster.name} as it was set up before (another address or user), ` +
          'so Tokendeck will not hand it out. Forget it and keep a new key.',
      )
    return {
      accessKeyId: stored.accessKeyId,
      secretAccessKey: stored.secretAccessKey,
      ...(record.expiresAt !== undefined ? { expiresAt: record.expiresAt } : {}),
    }
  }

  /** Forgets one key (keychain first: a failure leaves it listed, to forget again). */
  async forget(clusterId: string, tokenId: string): Promise<boolean> {
    await this.migrated()
    const fromKeychain = await this.secrets.deleteS3Key(clusterId, tokenId)
    let listed = false
    await this.index.update((keys) => {
      const next = keys.filter((k) => !(k.clusterId === clusterId && k.tokenId === tokenId))
      listed = next.length !== keys.length
      return listed ? next : keys
    })
    if (fromKeychain || listed) this.onChange(clusterId)
    return fromKeychain || listed
  }

  /**
   * After a token was revoked: its key is useless now. Unlisted first (so no tool is handed a
   * revoked key even if the keychain is unavailable right now), then deleted from the keychain,
   * best effort: the revocation itself already succeeded.
   */
  async forgetRevoked(clusterId: string, match: { tokenId: string } | { owner: string }) {
    await this.migrated()
    const current = (await this.index.list()).filter((k) => k.clusterId === clusterId)
    let names = (k: KeptS3Key) =>
      'tokenId' in match ? k.tokenId === match.tokenId : k.owner === match.owner
    if ('tokenId' in match && !current.some(names)) {
      // `tokens revoke --id` also takes the token itself, which on Swarm is the access key id
      // (docs/protocols/swarm.md §2.2): only the keychain entries know which key that is.
      const handle = await this.handleOfAccessKey(current, match.tokenId)
      if (handle === undefined) return
      names = (k) => k.tokenId === handle
    }
    if (!current.some(names)) return
    const gone: KeptS3Key[] = []
    await this.index.update((keys) => {
      const hits = (k: KeptS3Key) => k.clusterId === clusterId && names(k)
      gone.push(...keys.filter(hits))
      return gone.length ? keys.filter((k) => !hits(k)) : keys
    })
    if (gone.length) this.onChange(clusterId)
    for (const k of gone) await this.secrets.deleteS3Key(clusterId, k.tokenId).catch(() => false)
  }

  /** Every key of a cluster that is being removed. */
  async forgetCluster(clusterId: string): Promise<void> {
    for (const k of await this.list(clusterId)) await this.forget(clusterId, k.tokenId)
  }

  close(): void {
    this.pending.clear()
  }

  /** The handle of the kept key (among `keys`) whose entry holds this access key id. */
  private async handleOfAccessKey(keys: KeptS3Key[], accessKeyId: string) {
    if (!AccessKeyId.safeParse(accessKeyId).success) return undefined
    for (const k of keys) {
      const stored = await this.secrets.getS3Key(k.clusterId, k.tokenId).catch(() => undefined)
      if (stored?.accessKeyId === accessKeyId) return k.tokenId
    }
    return undefined
  }

  /**
   * Keys of an earlier version moved to their handles first (legacyKeys.ts), before anything
   * reads or changes a keychain entry. Checked at every such call (one read of the list; an
   * earlier version still running may write the old format again), one move at a time. Not in
   * session-only mode: that store holds no keychain entry to move (the move happens once the
   * keychain is in use again).
   */
  private migrated(): Promise<void> {
    if (this.secrets.mode === 'session-only') return Promise.resolve()
    this.migration ??= migrateLegacyKeys(this.index, this.secrets).finally(() => {
      this.migration = undefined
    })
    return this.migration
  }
}
