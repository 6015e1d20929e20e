/**
 * The keychain side of sessions: a cluster's stored credential is read once (and used only if it
 * was issued for this cluster), written at once after a sign-in, written behind after a rotation
 * (credentialWriter.ts), and deleted only when it is the one the server rejected — never a newer
 * one another process stored meanwhile. The state machine lives in sessionManager.ts.
 */
import { isTokendeckError, type TokendeckError } from '../../../shared/errors'
import type { ClusterRegistry } from '../clusters'
import { bindingFor, bindingMismatch, type SecretStore } from '../secrets'
import type { SessionGrant, VendorClient } from '../vendors/vendor'
import { CredentialWriter } from './credentialWriter'
import type { SessionData } from './session'

export type Stored = NonNullable<SessionData['stored']>

export interface StoredCredentialsOptions {
  registry: ClusterRegistry
  secrets: SecretStore
  now: () => number
  /** Refreshes are running or waiting: rotated credentials step aside (credentialWriter.ts). */
  busy: () => boolean
  /** A write-behind failed (error) or, after failing, succeeded (undefined). */
  onWriteResult: (clusterId: string, error: TokendeckError | undefined) => void
  /** Whether the session already holds a credential (signed in meanwhile): nothing to load. */
  held: (clusterId: string) => boolean
  /** What load() found in the keychain (not called when nothing was there or one is held). */
  loaded: (clusterId: string, read: Exclude<ReadCredential, { found: 'none' }>) => void
}

/** What the keychain holds for a cluster: a usable credential, or why the saved one is not used. */
export type ReadCredential =
  { found: 'none' } | { found: 'usable'; stored: Stored } | { found: 'mismatch'; why: string }

export class StoredCredentials {
  /** Rotated credentials on their way to the keychain (write-behind). */
  readonly writer: CredentialWriter
  /** Clusters whose stored credential has been read from the keychain (or is being read). */
  private readonly loading = new Map<string, Promise<void>>()

  constructor(private readonly opts: StoredCredentialsOptions) {
    this.writer = new CredentialWriter({
      store: opts.secrets,
      now: opts.now,
      busy: opts.busy,
      onResult: opts.onWriteResult,
    })
  }

  /** Reads the cluster's credential once per process and hands it to `loaded` (single flight). */
  load(clusterId: string): Promise<void> {
    let p = this.loading.get(clusterId)
    if (!p) {
      p = this.doLoad(clusterId)
      this.loading.set(clusterId, p)
      // A keychain that failed may work next time.
      p.catch(() => this.loading.delete(clusterId))
    }
    return p
  }

  private async doLoad(clusterId: string): Promise<void> {
    this.cluster(clusterId) // an unknown cluster is NOT_FOUND before any keychain call
    if (this.opts.held(clusterId)) return
    const read = await this.read(clusterId)
    if (read.found === 'none' || this.opts.held(clusterId)) return // signed in meanwhile
    this.opts.loaded(clusterId, read)
  }

  /**
   * One getPassword (no listing, which races other processes in libsecret). A credential issued
   * for another server, user or org is never handed out.
   */
  async read(clusterId: string): Promise<ReadCredential> {
    const credential = await this.opts.secrets.getCredential(clusterId)
    if (!credential) return { found: 'none' }
    const mismatch = bindingMismatch(credential.binding, bindingFor(this.cluster(clusterId)))
    if (mismatch !== undefined) return { found: 'mismatch', why: mismatch }
    return { found: 'usable', stored: { kind: credential.kind, value: credential.value } }
  }

  /** Writes now (sign-in, adoption): an older rotated value still waiting must not land after it. */
  async save(clusterId: string, stored: Stored): Promise<void> {
    await this.writer.cancel(clusterId)
    await this.opts.secrets.setCredential(clusterId, this.entry(clusterId, stored))
  }

  /** Writes behind: the session goes on at once, the keychain follows (credentialWriter.ts). */
  saveBehind(clusterId: string, stored: Stored): void {
    this.writer.enqueue(clusterId, this.entry(clusterId, stored))
  }

  /** Sign-out: a pending write must not bring the credential back. */
  async delete(clusterId: string): Promise<void> {
    await this.writer.cancel(clusterId)
    await this.opts.secrets.deleteCredential(clusterId)
  }

  /** A removed cluster: drop what is waiting (its secrets are removed by the caller). */
  forget(clusterId: string): void {
    void this.writer.cancel(clusterId)
    this.loading.delete(clusterId)
  }

  /**
   * The server's answer to `stored`. When it rejects it and the keychain holds a newer one, that
   * is tried once: another process may have refreshed since we loaded ours (a Tokendeck that
   * predates the agent, or an owner that handed over), spending it where refresh tokens are
   * single-use. `tried` is every value sent, for dropRejected.
   */
  async resume(
    clusterId: string,
    stored: Stored,
    client: VendorClient,
    tried: Set<string>,
  ): Promise<{ grant: SessionGrant; used: string }> {
    tried.add(stored.value)
    try {
      return { grant: await client.resume(stored.value), used: stored.value }
    } catch (e) {
      const newer = await this.newerThan(clusterId, stored, e)
      if (newer === undefined) throw e
      tried.add(newer)
      return { grant: await client.resume(newer), used: newer }
    }
  }

  /**
   * After a rejected credential: the keychain's value, when it differs from the one rejected and
   * was issued for this cluster (another process may have refreshed since we loaded ours, spending
   * it where refresh tokens are single-use).
   */
  private async newerThan(
    clusterId: string,
    rejected: Stored,
    error: unknown,
  ): Promise<string | undefined> {
    if (!isTokendeckError(error) || error.code !== 'REFRESH_EXPIRED') return undefined
    const current = await this.opts.secrets.getCredential(clusterId).catch(() => undefined)
    if (current === undefined || current.value === rejected.value) return undefined
    return bindingMismatch(current.binding, bindingFor(this.cluster(clusterId))) === undefined
      ? current.value
      : undefined
  }

  /** The server rejected `tried`: delete the keychain's entry only if it is one of them. */
  async dropRejected(clusterId: string, tried: ReadonlySet<string>): Promise<void> {
    await this.writer.cancel(clusterId)
    const current = await this.opts.secrets.getCredential(clusterId).catch(() => undefined)
    if (current !== undefined && tried.has(current.value))
      await this.opts.secrets.deleteCredential(clusterId).catch(() => false)
  }

  private entry(clusterId: string, stored: Stored) {
    return { kind: stored.kind, value: stored.value, binding: bindingFor(this.cluster(clusterId)) }
  }

  private cluster(clusterId: string) {
    return this.opts.registry.get(clusterId)
  }
}
