/**
 * A SecretStore that forwards to one of two stores, switchable between benchmark series: the
 * same core (same agents, same sessions) measured once with its secrets in the OS keychain and
 * once in memory, so the difference is the keychain's share and nothing else.
 */
import type { SecretRef, SecretStore } from '../src/main/core/secrets'

export class SwitchableStore implements SecretStore {
  constructor(public target: SecretStore) {}
  get mode() {
    return this.target.mode
  }
  probe(): Promise<void> {
    return this.target.probe()
  }
  loadAll(): Promise<Map<string, string>> {
    return this.target.loadAll()
  }
  get(ref: SecretRef): Promise<string | undefined> {
    return this.target.get(ref)
  }
  set(ref: SecretRef, value: string): Promise<void> {
    return this.target.set(ref, value)
  }
  delete(ref: SecretRef): Promise<boolean> {
    return this.target.delete(ref)
  }
  deleteCluster(clusterId: string): Promise<number> {
    return this.target.deleteCluster(clusterId)
  }
}
