/**
 * The visible "this session only" mode: the same SecretStore, kept in this process's memory and
 * gone when Tokendeck quits. Offered to the user after KEYCHAIN_UNAVAILABLE, never chosen
 * silently; `mode` lets the UI say which one is in force.
 */
import {
  accountsOfCluster,
  assertStorableSecret,
  secretAccount,
  type SecretRef,
  type SecretStore,
} from './secretStore'

export class MemorySecretStore implements SecretStore {
  readonly mode = 'session-only' as const
  private readonly secrets = new Map<string, string>()

  async probe(): Promise<void> {
    // Memory always works; async so callers treat every store alike.
  }

  async loadAll(): Promise<Map<string, string>> {
    return new Map(this.secrets)
  }

  async get(ref: SecretRef): Promise<string | undefined> {
    return this.secrets.get(secretAccount(ref))
  }

  async set(ref: SecretRef, value: string): Promise<void> {
    const account = secretAccount(ref)
    assertStorableSecret(value)
    this.secrets.set(account, value)
  }

  async delete(ref: SecretRef): Promise<boolean> {
    return this.secrets.delete(secretAccount(ref))
  }

  async deleteCluster(clusterId: string): Promise<number> {
    const accounts = accountsOfCluster(this.secrets.keys(), clusterId)
    for (const a of accounts) this.secrets.delete(a)
    return accounts.length
  }

  /** Forgets everything now (sign out of all, or quit). */
  clear(): void {
    this.secrets.clear()
  }
}
