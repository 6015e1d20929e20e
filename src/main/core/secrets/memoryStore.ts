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
import { assertS3KeyHandle, storableS3Key, type S3KeySecrets, type StoredS3Key } from './s3KeyEntry'

export class MemorySecretStore implements SecretStore, S3KeySecrets, ProfileSecrets {
  readonly mode = 'session-only' as const
  private readonly credentials = new Map<string, StoredCredential>()
  /** Kept S3 keys by `${clusterId}/${tokenId}` (the key's handle). */
  private readonly s3Keys = new Map<string, StoredS3Key>()
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

  async getS3Key(clusterId: string, tokenId: string): Promise<StoredS3Key | undefined> {
    const found = this.s3Keys.get(s3KeyName(clusterId, tokenId))
    return found === undefined ? undefined : { ...found, binding: { ...found.binding } }
  }

  async setS3Key(clusterId: string, key: StoredS3Key): Promise<void> {
    const clean = storableS3Key(key)
    this.s3Keys.set(s3KeyName(clusterId, clean.tokenId), clean)
  }

  async deleteS3Key(clusterId: string, tokenId: string): Promise<boolean> {
    return this.s3Keys.delete(s3KeyName(clusterId, tokenId))
  }

  /** Memory never held an earlier version's entries. */
  async getLegacyS3Key(): Promise<StoredS3Key | undefined> {
    return undefined
  }

  async deleteLegacyS3Key(): Promise<boolean> {
    return false
  }

  /** How many clusters have a credential here. */
  get size(): number {
    return this.credentials.size
  }

  /** Forgets everything now (sign out of all, or quit). */
  clear(): void {
    this.credentials.clear()
    this.s3Keys.clear()
  }
}

function s3KeyName(clusterId: string, tokenId: string): string {
  assertClusterId(clusterId)
  assertS3KeyHandle(tokenId)
  return `${clusterId}/${tokenId}`
}
