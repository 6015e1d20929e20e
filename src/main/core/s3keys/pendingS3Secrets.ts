/**
 * S3 secrets a create (or rotate) reply just showed, held in main under one-time handles so the
 * shown-once dialog can ask "keep this key" without sending the secret back.
 *
 * Why a handle and not the secret: a compromised renderer that could send a secret to be kept
 * could store any value it likes under a cluster's name, and every AWS tool using that profile
 * would then sign with it. With handles, the only values that can ever be kept are ones this
 * process received from the cluster in a create reply, for the cluster and token they came with.
 * A handle is 144 random bits (unguessable), lives at most `ttlMs` (10 minutes: long enough to
 * read the dialog, short enough that the secret does not linger in memory) and is dropped when
 * the dialog closes (s3keys:discard) or the core closes. It works only in the process that
 * issued it: nothing about it is persisted.
 */
import { randomBytes } from 'node:crypto'
import type { CredentialBinding } from '../secrets'
import type { Clock } from '../time'

export interface PendingS3Secret {
  clusterId: string
  accessKeyId: string
  tokenId: string
  owner?: string
  expiresAt?: number
  secretAccessKey: string
  binding: CredentialBinding
}

export const PENDING_TTL_MS = 10 * 60_000

export class PendingS3Secrets {
  private readonly held = new Map<
    string,
    { secret: PendingS3Secret; until: number; timer: NodeJS.Timeout }
  >()

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = PENDING_TTL_MS,
  ) {}

  /** Holds a secret; returns its handle. */
  offer(secret: PendingS3Secret): string {
    const handle = randomBytes(18).toString('base64url')
    const timer = setTimeout(() => this.held.delete(handle), this.ttlMs)
    timer.unref()
    this.held.set(handle, { secret, until: this.clock.now() + this.ttlMs, timer })
    return handle
  }

  /** The secret under a live handle (it stays held until discarded or timed out). */
  get(handle: string): PendingS3Secret | undefined {
    const entry = this.held.get(handle)
    if (entry === undefined) return undefined
    if (this.clock.now() >= entry.until) {
      this.discard(handle)
      return undefined
    }
    return entry.secret
  }

  discard(handle: string): boolean {
    const entry = this.held.get(handle)
    if (entry === undefined) return false
    clearTimeout(entry.timer)
    return this.held.delete(handle)
  }

  clear(): void {
    for (const handle of [...this.held.keys()]) this.discard(handle)
  }
}
