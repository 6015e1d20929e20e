/**
 * The fake fourth vendor's client: a trivial VendorClient that answers from memory and records
 * the region each client was built for, registered through `registerVendorClient` — the one
 * main-side step a vendor's own folder takes.
 */
import type { Cluster } from '../../../src/shared/model'
import { TokendeckError } from '../../../src/shared/errors'
import { fieldValue } from '../../../src/shared/vendors'
import { registerVendorClient } from '../../../src/main/core/vendors/createVendorClient'
import type { VendorClient } from '../../../src/main/core/vendors/vendor'
import { ACME, ACME_DESCRIPTOR, registerAcmeVendor } from './descriptor'

/** The region of every Acme client built, in order (a new entry = a new client). */
export const acmeClientsBuilt: (string | undefined)[] = []

function acmeClient(cluster: Cluster): VendorClient {
  const region = fieldValue(cluster, 'region')
  acmeClientsBuilt.push(region)
  const identity = {
    username: cluster.username,
    isAdmin: false,
    ...(region ? { scope: region } : {}),
  }
  const unsupported = async (): Promise<never> => {
    throw new TokendeckError('UNSUPPORTED', 'Acme does not do that.')
  }
  return {
    vendor: ACME as Cluster['vendor'],
    capabilities: ACME_DESCRIPTOR.capabilities,
    signIn: async () => ({
      access: { token: `acme-access-${region ?? 'none'}` },
      stored: { kind: 'session-token', value: `acme-session-${region ?? 'none'}` },
      identity,
    }),
    resume: async (stored) => ({
      access: { token: `acme-access-${region ?? 'none'}` },
      stored: { kind: 'session-token', value: stored },
    }),
    whoami: async () => identity,
    clusterInfo: async () => ({ clusterName: `acme ${region ?? ''}`.trim() }),
    listTokens: unsupported,
    createWarnings: async () => [],
    createToken: unsupported,
    modifyToken: unsupported,
    revoke: unsupported,
    proveToken: async () => identity,
    close: async () => undefined,
  }
}

let clientRegistered = false

/** Adds Acme to the vendor table and its client to the core (once per process). */
export function registerAcme(): void {
  registerAcmeVendor()
  if (!clientRegistered) registerVendorClient(ACME, (cluster) => acmeClient(cluster))
  clientRegistered = true
}
