/** Which class serves which vendor: the one switch on vendor names in the core. */
import type { Cluster } from '../../../shared/model'
import { TokendeckError } from '../../../shared/errors'
import type { ClusterHttp } from '../http'
import type { Clock } from '../time'
import type { VendorClient } from './vendor'
import { VendorHttp } from './vendorHttp'
import { WekaClient } from './weka/client'
import { QumuloClient } from './qumulo/client'
import { SwarmClient } from './swarm/client'

/** Builds the client of a vendor added to the vendor table (shared/vendors.ts `registerVendor`). */
export type VendorClientFactory = (
  cluster: Cluster,
  http: ClusterHttp,
  clock: Clock,
) => VendorClient

const registered = new Map<string, VendorClientFactory>()

/**
 * The client of a further vendor, registered from its own folder beside `registerVendor` (the
 * fake fourth vendor test does this). The shipped vendors are the switch below.
 */
export function registerVendorClient(vendor: string, factory: VendorClientFactory): void {
  if (registered.has(vendor))
    throw new TokendeckError('INTERNAL', `The vendor "${vendor}" already has a client.`)
  registered.set(vendor, factory)
}

export function createVendorClient(
  cluster: Cluster,
  http: ClusterHttp,
  clock: Clock,
): VendorClient {
  const now = () => clock.now()
  switch (cluster.vendor) {
    case 'weka':
      return new WekaClient({
        http,
        now,
        ...(cluster.org ? { org: cluster.org } : {}),
      })
    case 'qumulo':
      return new QumuloClient({ http, now })
    case 'swarm':
      return new SwarmClient({
        http,
        now,
        ...(cluster.s3Url
          ? { s3: { http: new VendorHttp({ url: cluster.s3Url, trust: cluster.trust, now }) } }
          : {}),
        ...(cluster.tenant ? { tenant: cluster.tenant } : {}),
        ...(cluster.domain ? { domain: cluster.domain } : {}),
      })
    default: {
      const factory = registered.get(cluster.vendor)
      if (factory === undefined)
        throw new TokendeckError(
          'UNSUPPORTED',
          `Tokendeck has no client for the vendor "${String(cluster.vendor)}".`,
        )
      return factory(cluster, http, clock)
    }
  }
}
