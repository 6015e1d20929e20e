/**
 * The store the core holds: the OS keychain, or this process's memory ("This session only") when
 * the keychain cannot be used or the user chose so at start (`tokendeck agent --session-only`).
 *
 * Rules (they close the hole where session-only could be switched on at any time and sign-out
 * then left the keychain entry behind):
 * - useSessionOnly('keychain-unavailable') only after the keychain has failed: a check() that
 *   rejected, or any keychain call that rejected KEYCHAIN_UNAVAILABLE (a keychain can pass the
 *   read-only check and still refuse writes, e.g. locked or without a keyring). A later check()
 *   or setCredential() that succeeds counts as "the keychain works" again.
 * - useSessionOnly('chosen-at-start') only before any credential was stored in the keychain
 *   through this store (or after the keychain failed).
 * - Otherwise it throws INVALID_INPUT; there is no way back to the keychain within a process.
 * - In session-only mode get/set use memory only; deleteCredential (sign-out, remove) deletes from
 *   memory AND, best effort, from the keychain, so an entry written before the switch (or by an
 *   earlier run) does not outlive it. A keychain failure there is swallowed and reported through
 *   `onKeychainCleanupFailed`; the cleanup waits at most `keychainCleanupTimeoutMs`.
 * - A store made `forMeasurement` (the bench, never the app or the CLI) switches either way at
 *   any time (useSessionOnly, useKeychain), so one core is measured with each store and the
 *   difference is the keychain's share and nothing else.
 */
import { TokendeckError } from '../../../shared/errors'
import { keychainUnavailable } from './keychainErrors'
import { MemorySecretStore } from './memoryStore'
import {
  assertClusterId,
  hasLegacyCredentials,
  hasProfileSecrets,
  storableCredential,
  type CredentialKind,
  type LegacyCredentials,
  type ProfileSecretName,
  type ProfileSecrets,
  type SecretStore,
  type SecretStoreMode,
  type StoredCredential,
} from './secretStore'
import { withTimeout } from './withTimeout'
import { hasS3KeySecrets, storableS3Key, type S3KeySecrets, type StoredS3Key } from './s3KeyEntry'

export type SessionOnlyReason = 'keychain-unavailable' | 'chosen-at-start'

/** The last thing the keychain told us about itself. */
export type KeychainCheck =
  { state: 'unchecked' } | { state: 'ok' } | { state: 'failed'; error: TokendeckError }

export interface SwitchableStoreOptions {
  /** The session-only store; a new one by default. */
  memory?: MemorySecretStore
  /** Called when the best-effort keychain cleanup of a session-only delete failed. */
  onKeychainCleanupFailed?: (clusterId: string, error: TokendeckError) => void
  /** How long a session-only delete waits for the keychain's cleanup. Default 5 s. */
  keychainCleanupTimeoutMs?: number
  /** Benchmarks only: switch either way at any time, without the rules above. */
  forMeasurement?: boolean
}

export const SESSION_ONLY_REFUSED =
  'The keychain works; "This session only" is only offered when it cannot be used.'

export class SwitchableSecretStore
  implements SecretStore, LegacyCredentials, S3KeySecrets, ProfileSecrets
{
  readonly keychain: SecretStore
  readonly memory: MemorySecretStore
  private active: SecretStoreMode = 'keychain'
  private reason: SessionOnlyReason | undefined
  private lastKeychain: KeychainCheck = { state: 'unchecked' }
  private keychainWritten = false
  private readonly onCleanupFailed: SwitchableStoreOptions['onKeychainCleanupFailed']
  private readonly cleanupTimeoutMs: number
  private readonly forMeasurement: boolean

  constructor(keychain: SecretStore, options: SwitchableStoreOptions = {}) {
    this.keychain = keychain
    this.memory = options.memory ?? new MemorySecretStore()
    this.onCleanupFailed = options.onKeychainCleanupFailed
    this.cleanupTimeoutMs = options.keychainCleanupTimeoutMs ?? 5_000
    this.forMeasurement = options.forMeasurement ?? false
  }

  /** Which store is in force: 'keychain' until useSessionOnly() succeeded. */
  get mode(): SecretStoreMode {
    return this.active
  }

  /** Why session-only is in force; undefined in keychain mode. */
  get sessionOnlyReason(): SessionOnlyReason | undefined {
    return this.reason
  }

  /** The last check result (or keychain failure) this store has seen. */
  get keychainCheck(): KeychainCheck {
    return this.lastKeychain
  }

  /** Whether useSessionOnly(reason) would succeed now (for the UI: offer the choice or not). */
  canUseSessionOnly(reason: SessionOnlyReason): boolean {
    if (this.active === 'session-only' || this.forMeasurement) return true
    if (this.lastKeychain.state === 'failed') return true
    return reason === 'chosen-at-start' && !this.keychainWritten
  }

  /** Switches to memory for the rest of the process; throws INVALID_INPUT when not allowed. */
  useSessionOnly(reason: SessionOnlyReason): void {
    if (!this.canUseSessionOnly(reason))
      throw new TokendeckError('INVALID_INPUT', SESSION_ONLY_REFUSED)
    if (this.active === 'session-only') return
    this.active = 'session-only'
    this.reason = reason
  }

  /** Back to the keychain: only a store made `forMeasurement` has a way back (INVALID_INPUT otherwise). */
  useKeychain(): void {
    if (!this.forMeasurement && this.active === 'session-only')
      throw new TokendeckError(
        'INVALID_INPUT',
        'Secrets stay in memory until Tokendeck quits; restart it to use the keychain.',
      )
    this.active = 'keychain'
    this.reason = undefined
  }

  /** The active store's check; in keychain mode its result is remembered (keychainCheck). */
  async check(): Promise<void> {
    if (this.active === 'session-only') return this.memory.check()
    return this.checkKeychain()
  }

  /** Checks the keychain whatever the mode, and remembers the result. */
  async checkKeychain(): Promise<void> {
    try {
      await this.keychain.check()
      this.lastKeychain = { state: 'ok' }
    } catch (e) {
      const error =
        e instanceof TokendeckError ? e : keychainUnavailable(e, { action: 'look up an entry' })
      this.lastKeychain = { state: 'failed', error }
      throw error
    }
  }

  async getCredential(clusterId: string): Promise<StoredCredential | undefined> {
    if (this.active === 'session-only') return this.memory.getCredential(clusterId)
    return this.viaKeychain(() => this.keychain.getCredential(clusterId))
  }

  async setCredential(clusterId: string, credential: StoredCredential): Promise<void> {
    if (this.active === 'session-only') return this.memory.setCredential(clusterId, credential)
    // Bad input is refused before it counts as "something was stored in the keychain".
    assertClusterId(clusterId)
    storableCredential(credential)
    this.keychainWritten = true
    await this.viaKeychain(() => this.keychain.setCredential(clusterId, credential))
    this.lastKeychain = { state: 'ok' }
  }

  async deleteCredential(clusterId: string): Promise<boolean> {
    if (this.active === 'keychain')
      return this.viaKeychain(() => this.keychain.deleteCredential(clusterId))
    const fromMemory = await this.memory.deleteCredential(clusterId)
    const fromKeychain = await this.cleanUpKeychain(
      clusterId,
      () => this.keychain.deleteCredential(clusterId),
      false,
    )
    return fromMemory || fromKeychain
  }

  /** Kept S3 keys follow the mode like sign-ins: memory in session-only mode, else the keychain. */
  async getS3Key(clusterId: string, tokenId: string): Promise<StoredS3Key | undefined> {
    if (this.active === 'session-only') return this.memory.getS3Key(clusterId, tokenId)
    const keychain = this.s3Keychain()
    return this.viaKeychain(() => keychain.getS3Key(clusterId, tokenId))
  }

  async setS3Key(clusterId: string, key: StoredS3Key): Promise<void> {
    if (this.active === 'session-only') return this.memory.setS3Key(clusterId, key)
    const keychain = this.s3Keychain()
    storableS3Key(key)
    this.keychainWritten = true
    await this.viaKeychain(() => keychain.setS3Key(clusterId, key))
    this.lastKeychain = { state: 'ok' }
  }

  /** Like deleteCredential: in session-only mode the keychain is cleaned up too, best effort. */
  async deleteS3Key(clusterId: string, tokenId: string): Promise<boolean> {
    const keychain = hasS3KeySecrets(this.keychain) ? this.keychain : undefined
    if (this.active === 'keychain') {
      const k = this.s3Keychain()
      return this.viaKeychain(() => k.deleteS3Key(clusterId, tokenId))
    }
    const fromMemory = await this.memory.deleteS3Key(clusterId, tokenId)
    const fromKeychain = keychain
      ? await this.cleanUpKeychain(clusterId, () => keychain.deleteS3Key(clusterId, tokenId), false)
      : false
    return fromMemory || fromKeychain
  }

  /** An earlier version's entry: only the keychain ever held one (session-only: none). */
  async getLegacyS3Key(clusterId: string, accessKeyId: string): Promise<StoredS3Key | undefined> {
    if (this.active === 'session-only') return undefined
    const keychain = this.s3Keychain()
    return this.viaKeychain(() => keychain.getLegacyS3Key(clusterId, accessKeyId))
  }

  async deleteLegacyS3Key(clusterId: string, accessKeyId: string): Promise<boolean> {
    if (this.active === 'session-only') return false
    const keychain = this.s3Keychain()
    return this.viaKeychain(() => keychain.deleteLegacyS3Key(clusterId, accessKeyId))
  }

  private s3Keychain(): SecretStore & S3KeySecrets {
    const keychain = this.keychain
    if (!hasS3KeySecrets(keychain))
      throw new TokendeckError('UNSUPPORTED', 'This secret store cannot keep S3 keys.')
    return keychain
  }

  /** Keychain mode: the keychain's legacy entry. Session-only mode: none (memory has no legacy). */
  async readLegacy(
    clusterId: string,
  ): Promise<{ kind: CredentialKind; value: string } | undefined> {
    assertClusterId(clusterId)
    const keychain = this.keychain
    if (this.active === 'session-only' || !hasLegacyCredentials(keychain)) return undefined
    return this.viaKeychain(() => keychain.readLegacy(clusterId))
  }

  /** Keychain mode: deletes the legacy entries. Session-only mode: best effort, like deleteCredential. */
  async deleteLegacy(clusterId: string): Promise<number> {
    assertClusterId(clusterId)
    const keychain = this.keychain
    if (!hasLegacyCredentials(keychain)) return 0
    if (this.active === 'keychain') return this.viaKeychain(() => keychain.deleteLegacy(clusterId))
    return this.cleanUpKeychain(clusterId, () => keychain.deleteLegacy(clusterId), 0)
  }

  /** The profile's own secrets (the audit key): in memory in session-only mode, like the rest. */
  async getProfileSecret(name: ProfileSecretName): Promise<string | undefined> {
    const keychain = this.keychain
    if (this.active === 'session-only' || !hasProfileSecrets(keychain))
      return this.memory.getProfileSecret(name)
    return this.viaKeychain(() => keychain.getProfileSecret(name))
  }

  async setProfileSecret(name: ProfileSecretName, value: string): Promise<void> {
    const keychain = this.keychain
    if (this.active === 'session-only' || !hasProfileSecrets(keychain))
      return this.memory.setProfileSecret(name, value)
    await this.viaKeychain(() => keychain.setProfileSecret(name, value))
  }

  /** A keychain call; a KEYCHAIN_UNAVAILABLE from it is remembered as a failed keychain. */
  private async viaKeychain<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op()
    } catch (e) {
      if (e instanceof TokendeckError && e.code === 'KEYCHAIN_UNAVAILABLE')
        this.lastKeychain = { state: 'failed', error: e }
      throw e
    }
  }

  /** Best-effort keychain work in session-only mode: never rejects, reports failures. */
  private async cleanUpKeychain<T>(
    clusterId: string,
    op: () => Promise<T>,
    fallback: T,
  ): Promise<T> {
    try {
      return await withTimeout(op, this.cleanupTimeoutMs)
    } catch (e) {
      const error =
        e instanceof TokendeckError
          ? e
          : keychainUnavailable(e, {
              action: 'delete a stored sign-in',
              timeoutMs: this.cleanupTimeoutMs,
            })
      try {
        this.onCleanupFailed?.(clusterId, error)
      } catch {
        // a reporting callback must not turn a finished sign-out into a failure
      }
      return fallback
    }
  }
}
