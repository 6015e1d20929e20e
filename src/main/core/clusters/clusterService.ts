/**
 * Cluster lifecycle across the registry, the keychain and the sessions, so that removing a
 * cluster removes its secrets and a changed trust setting takes effect on the next request.
 */
import type { ClusterDraft, ClusterDetail } from '../../../shared/contract'
import type { Cluster, ClusterView } from '../../../shared/model'
import { CAPABILITIES } from '../../../shared/capabilities'
import type { SecretStore } from '../secrets'
import type { SessionManager } from '../sessions/sessionManager'
import type { ClusterRegistry, ClusterPatch } from './registry'
import type { VendorClientProvider } from '../vendors/clientProvider'

export class ClusterService {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly secrets: SecretStore,
    private readonly sessions: SessionManager,
    private readonly clients: VendorClientProvider,
  ) {}

  list(): ClusterView[] {
    return this.registry.list().map((c) => this.view(c))
  }

  view(cluster: Cluster): ClusterView {
    return {
      cluster,
      capabilities: CAPABILITIES[cluster.vendor],
      session: this.sessions.state(cluster.id),
    }
  }

  detail(clusterId: string): ClusterDetail {
    const view = this.view(this.registry.get(clusterId))
    const identity = this.sessions.identity(clusterId)
    const storedExpiresAt = this.sessions.storedExpiresAt(clusterId)
    return {
      view,
      ...(identity
        ? {
            identity: {
              username: identity.username,
              ...(identity.role ? { role: identity.role } : {}),
              isAdmin: identity.isAdmin,
            },
          }
        : {}),
      ...(storedExpiresAt !== undefined ? { storedExpiresAt } : {}),
    }
  }

  async add(draft: ClusterDraft): Promise<ClusterView> {
    return this.view(await this.registry.add(draft))
  }

  async update(clusterId: string, patch: ClusterPatch): Promise<ClusterView> {
    const before = this.registry.get(clusterId)
    const after = await this.registry.update(clusterId, patch)
    const connectionChanged =
      before.url !== after.url || JSON.stringify(before.trust) !== JSON.stringify(after.trust)
    const identityChanged =
      before.username !== after.username ||
      before.org !== after.org ||
      before.tenant !== after.tenant ||
      before.domain !== after.domain
    if (connectionChanged || identityChanged) await this.clients.evict(clusterId)
    // Another user or another server: the stored credential belongs to neither.
    if (identityChanged || before.url !== after.url) await this.sessions.signOut(clusterId)
    else if (connectionChanged) await this.sessions.afterRetrust(clusterId)
    return this.view(this.registry.get(clusterId))
  }

  /** The user reviewed the certificate now presented and trusts it. */
  async retrust(clusterId: string, sha256: string): Promise<ClusterView> {
    await this.registry.update(clusterId, { trust: { sha256 } })
    await this.clients.evict(clusterId)
    await this.sessions.afterRetrust(clusterId)
    return this.view(this.registry.get(clusterId))
  }

  /** Removes the cluster, its session and every secret kept for it. */
  async remove(clusterId: string): Promise<void> {
    this.registry.get(clusterId)
    await this.secrets.deleteCredential(clusterId)
    this.sessions.forget(clusterId)
    await this.clients.evict(clusterId)
    await this.registry.remove(clusterId)
  }

  /** Record what the server said about itself (cluster name, id, version) after sign-in. */
  async recordSeen(clusterId: string): Promise<void> {
    const cluster = this.registry.get(clusterId)
    const client = this.clients.get(cluster)
    const seen = await client.clusterInfo(await this.sessions.getAccessToken(clusterId))
    if (JSON.stringify(seen) !== JSON.stringify(cluster.seen))
      await this.registry.update(clusterId, { seen })
  }
}
