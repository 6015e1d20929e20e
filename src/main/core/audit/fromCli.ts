/**
 * Recording from a `tokendeck` command's own process, for what happens there and nowhere else:
 * a token printed to the terminal, an `exec` child started and ended, a credential_process
 * answer, an import. (What the command asks the owner to do is recorded by the owner.)
 *
 *   await recordFromCli(profile, { event: 'credential-process:served', tokenId: handle }, cluster)
 *
 * Never throws and never prints: a log that cannot be written must not break the command.
 */
import type { Cluster } from '../../../shared/model'
import { dataDir, keychainService, readOrCreateProfileId, type Profile } from '../clusters'
import { KeytarSecretStore } from '../secrets'
import { AuditLog, type AuditEntry } from './auditLog'

export async function recordFromCli(
  profile: Profile,
  entry: Omit<AuditEntry, 'clusterId'>,
  cluster?: Pick<Cluster, 'id' | 'name' | 'vendor'>,
): Promise<void> {
  try {
    const dir = dataDir(profile)
    const needsKey = entry.tokenId !== undefined || entry.newTokenId !== undefined
    const secrets = needsKey
      ? new KeytarSecretStore({
          service: keychainService(profile),
          namespace: (await readOrCreateProfileId(dir)).id,
        })
      : undefined
    const log = new AuditLog({
      dataDir: dir,
      actor: 'cli',
      ...(secrets ? { secrets } : {}),
      cluster: () => (cluster ? { name: cluster.name, vendor: cluster.vendor } : undefined),
    })
    log.record({ ...entry, ...(cluster ? { clusterId: cluster.id } : {}) })
    await log.flush()
  } catch {
    // The command's work is done or underway; a log that cannot be written does not change it.
  }
}
