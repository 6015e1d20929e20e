/**
 * The one-time move of kept S3 keys written by earlier versions, which named each key by its
 * access key id — in s3-keys.json (version 1) and in the keychain account
 * (`…/${clusterId}/s3/${accessKeyId}`). On Swarm that id is the token itself
 * (docs/protocols/swarm.md §2.1), so both are moved to the key's handle: each keychain entry is
 * copied to its new account, then the list is rewritten without the ids (under its lock, by
 * keptKeyIndex.ts), then the old entries are deleted.
 *
 * Why the keychain work is outside the list's lock: a keychain call can wait on an unlock prompt
 * far longer than another process waits for the lock (keptS3Keys.ts). Every step is idempotent,
 * so processes that migrate at the same time just repeat each other's work, and a crash at any
 * point leaves either the old entry or the new one for the next attempt to find.
 *
 * Nothing is lost: a key whose old entry is missing or damaged stays listed under its handle
 * (exactly as unusable as before, and `credential` says so), and its old entry, if damaged, is
 * left in the keychain for the user to inspect.
 */
import { TokendeckError } from '../../../shared/errors'
import type { S3KeySecrets, SecretStore } from '../secrets'
import type { KeptKeyIndex, LegacyKeptS3Key } from './keptKeyIndex'

/** How often the list is re-read when an earlier version added a key meanwhile. */
const ATTEMPTS = 3

export async function migrateLegacyKeys(
  index: KeptKeyIndex,
  secrets: SecretStore & S3KeySecrets,
): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const legacy = await index.legacy()
    if (legacy === undefined) return
    const moved: LegacyKeptS3Key[] = []
    for (const k of legacy) if (await moveEntry(secrets, k)) moved.push(k)
    if (await index.finishMigration(legacy)) {
      // The list no longer names them: the old accounts (which did) can go, best effort.
      for (const k of moved)
        await secrets.deleteLegacyS3Key(k.clusterId, k.accessKeyId).catch(() => false)
      return
    }
  }
  throw new TokendeckError(
    'BUSY',
    `The list of kept S3 keys ${index.file} keeps changing under an earlier version of Tokendeck; ` +
      'quit the other Tokendeck processes and try again.',
  )
}

/**
 * Copies one key's entry to its handle's account. True when the old entry may be deleted (the
 * new one holds the same key); false when there was nothing usable to move.
 */
async function moveEntry(secrets: S3KeySecrets, k: LegacyKeptS3Key): Promise<boolean> {
  const present = await secrets.getS3Key(k.clusterId, k.tokenId).catch(damagedIsAbsent)
  if (present !== undefined) return present.accessKeyId === k.accessKeyId
  const old = await secrets.getLegacyS3Key(k.clusterId, k.accessKeyId).catch(damagedIsAbsent)
  if (old === undefined || old.tokenId !== k.tokenId) return false
  await secrets.setS3Key(k.clusterId, old)
  return true
}

/** A damaged entry was unusable before the move too; any other failure (locked…) stops it. */
function damagedIsAbsent(e: unknown): undefined {
  if (e instanceof TokendeckError && e.code === 'CONFIG_CORRUPT') return undefined
  throw e
}
