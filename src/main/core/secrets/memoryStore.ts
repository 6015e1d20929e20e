/**
 * The visible "This session only" mode: the same SecretStore, kept in this process's memory and
 * gone when Tokendeck quits. Offered after KEYCHAIN_UNAVAILABLE or chosen at start
 * (`tokendeck agent --session-only`), never silently; `mode` lets the UI say which one is in
 * force. The core holds it through SwitchableSecretStore (switchableStore.ts).
 */
import {
  assertClusterId,
  assertStorableSecret,
  copyCredential,
  storableCredential,
  type ProfileSecretName,
  type ProfileSecrets,
  type SecretStore,
  type StoredCredential,
} from './secretStore'

export class MemorySecretStore implements SecretStore, ProfileSecrets {
  readonly mode = 'session-only' as const
  private readonly credentials = new Map<string, StoredCredential>()
  private readonly profileSecrets = new Map<ProfileSecretName, string>()

  async getProfileSecret(name: ProfileSecretName): Promise<string | undefined> {
    return this.profileSecrets.get(name)
  }

  async setProfileSecret(name: ProfileSecretName, value: string): Promise<void> {
    assertStorableSecret(value)
    this.profileSecrets.set(name, value)
  }

  async check(): Promise<void> {
    // Memory always answers; async so callers treat every store alike.
  }

  async getCredential(clusterId: string): Promise<StoredCredential | undefined> {
    assertClusterId(clusterId)
    const found = this.credentials.get(clusterId)
    return found === undefined ? undefined : copyCredential(found)
  }

  async setCredential(clusterId: string, credential: StoredCredential): Promise<void> {
    assertClusterId(clusterId)
    this.credentials.set(clusterId, storableCredential(credential))
  }

  async deleteCredential(clusterId: string): Promise<boolean> {
    assertClusterId(clusterId)
    return this.credentials.delete(clusterId)
  }

  /** How many clusters have a credential here. */
  get size(): number {
    return this.credentials.size
  }

  /** Forgets everything now (sign out of all, or quit). */
  clear(): void {
    this.credentials.clear()
  }
}
