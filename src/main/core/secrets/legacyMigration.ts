/**
 * Installs from before profiles kept one entry per cluster as `<cluster id>:<kind>`, with no
 * namespace and no record of what it was issued for. On the first start of a profile that owns
 * them (startCore decides which), each one whose cluster is still listed moves to the cluster's
 * namespaced, bound entry, so a signed-in session survives the upgrade; the old entry is then
 * deleted. Entries of clusters no longer listed are left alone: nothing proves whose they are,
 * so they are never sent anywhere.
 */
import type { Cluster, ErrorInfo } from '../../../shared/model'
import { isTokendeckError } from '../../../shared/errors'
import { bindingFor, type LegacyCredentials, type SecretStore } from './secretStore'

export async function migrateLegacyCredentials(
  store: SecretStore & Partial<LegacyCredentials>,
  clusters: readonly Cluster[],
): Promise<ErrorInfo | undefined> {
  if (typeof store.readLegacy !== 'function' || typeof store.deleteLegacy !== 'function')
    return undefined
  const failed: string[] = []
  for (const cluster of clusters) {
    try {
      const legacy = await store.readLegacy(cluster.id)
      if (!legacy) continue
      if ((await store.getCredential(cluster.id)) === undefined) {
        await store.setCredential(cluster.id, { ...legacy, binding: bindingFor(cluster) })
      }
      await store.deleteLegacy(cluster.id)
    } catch (e) {
      if (!isTokendeckError(e)) throw e
      failed.push(cluster.name)
    }
  }
  if (!failed.length) return undefined
  return {
    code: 'KEYCHAIN_UNAVAILABLE',
    message: `Tokendeck could not move the saved sessions of ${failed.join(', ')} to this version's keychain entries; sign in to ${failed.length === 1 ? 'it' : 'them'} again if asked.`,
  }
}
