/**
 * One vendor client per cluster, rebuilt when the cluster's URL, trust or identity changes
 * (createVendorClient.ts picks the class for each vendor). Clients of one server with one trust
 * share an undici Agent, so its connections are reused.
 */
import type { Cluster } from '../../../shared/model'
import { fieldValue, vendorFields } from '../../../shared/vendors'
import { SharedAgents } from '../http'
import { VendorHttp } from './vendorHttp'
import type { Clock } from '../time'
import type { VendorClient } from './vendor'
import { createVendorClient } from './createVendorClient'

export interface VendorClientProviderOptions {
  clock: Clock
  /** Timeouts, for tests of slow servers. */
  http?: {
    connectTimeoutMs?: number
    headersTimeoutMs?: number
    bodyTimeoutMs?: number
    /** Overall deadline per request (connect + headers + whole body), ms; see ClusterHttp. */
    deadlineMs?: number | (() => number)
  }
  /**
   * The overall per-request deadline, ms, read at the start of every request (so a settings
   * change applies to existing clients), when `http.deadlineMs` is not given. Without either,
   * ClusterHttp's DEFAULT_REQUEST_DEADLINE_MS applies.
   */
  requestDeadlineMs?: () => number
}

export class VendorClientProvider {
  private readonly cache = new Map<string, { key: string; client: VendorClient }>()
  private readonly keys = new WeakMap<Cluster, string>()
  /** Entries for one server with one trust share connections (see http/sharedAgents.ts). */
  readonly agents = new SharedAgents()

  constructor(private readonly opts: VendorClientProviderOptions) {}

  get(cluster: Cluster): VendorClient {
    // The registry hands out one frozen object per cluster until it changes, so its key is
    // computed once, not on each of a refresh storm's thousand calls.
    let key = this.keys.get(cluster)
    if (key === undefined) {
      key = clientKey(cluster)
      if (Object.isFrozen(cluster)) this.keys.set(cluster, key)
    }
    const hit = this.cache.get(cluster.id)
    if (hit && hit.key === key) return hit.client
    if (hit) void hit.client.close()
    const deadlineMs = this.opts.http?.deadlineMs ?? this.opts.requestDeadlineMs
    const http = new VendorHttp({
      url: cluster.url,
      trust: cluster.trust,
      now: () => this.opts.clock.now(),
      ...this.opts.http,
      ...(deadlineMs !== undefined ? { deadlineMs } : {}),
      sharedAgents: this.agents,
    })
    const client = createVendorClient(cluster, http, this.opts.clock)
    this.cache.set(cluster.id, { key, client })
    return client
  }

  async evict(clusterId: string): Promise<void> {
    const hit = this.cache.get(clusterId)
    this.cache.delete(clusterId)
    await hit?.client.close()
  }

  async close(): Promise<void> {
    const all = [...this.cache.values()]
    this.cache.clear()
    await Promise.all(all.map((h) => h.client.close()))
  }
}

/** What the client is built from: the vendor table says which connection fields (vendors.ts). */
function clientKey(cluster: Cluster): string {
  return JSON.stringify([
    cluster.vendor,
    cluster.url,
    cluster.trust,
    cluster.username,
    ...vendorFields(cluster.vendor)
      .filter((f) => f.changesClient)
      .map((f) => fieldValue(cluster, f.key) ?? ''),
  ])
}
