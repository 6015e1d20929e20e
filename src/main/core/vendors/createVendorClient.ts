/** Which class serves which vendor: the one switch on vendor names in the core. */
import type { Cluster } from '../../../shared/model'
import type { ClusterHttp } from '../http'
import type { Clock } from '../time'
import type { VendorClient } from './vendor'
import { VendorHttp } from './vendorHttp'
import { WekaClient } from './weka/client'
import { QumuloClient } from './qumulo/client'
import { SwarmClient } from './swarm/client'

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
  }
}
