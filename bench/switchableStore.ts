/**
 * Secret stores for the benchmarks.
 *
 * SwitchableSecretStore is the core's own store (src/main/core/secrets/switchableStore.ts),
 * re-exported so a benchmark measures what the app runs. Its switch is one-way and guarded
 * (session-only only when the keychain cannot be used or when chosen at start), which is right for
 * the app and too strict for a benchmark that measures the same core twice.
 *
 * SwitchableStore is the benchmark's free switch: it forwards to whichever store `target` is,
 * so the same core (same agents, same sessions) is measured once with its secrets in the OS
 * keychain and once in memory, and the difference is the keychain's share and nothing else.
 */
import type { SecretStore, StoredCredential } from '../src/main/core/secrets'

export { SwitchableSecretStore } from '../src/main/core/secrets'

export class SwitchableStore implements SecretStore {
  constructor(public target: SecretStore) {}
  get mode() {
    return this.target.mode
  }
  check(): Promise<void> {
    return this.target.check()
  }
  getCredential(clusterId: string): Promise<StoredCredential | undefined> {
    return this.target.getCredential(clusterId)
  }
  setCredential(clusterId: string, credential: StoredCredential): Promise<void> {
    return this.target.setCredential(clusterId, credential)
  }
  deleteCredential(clusterId: string): Promise<boolean> {
    return this.target.deleteCredential(clusterId)
  }
}
