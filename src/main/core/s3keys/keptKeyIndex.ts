/**
 * The non-secret half of the kept S3 keys: `s3-keys.json` in the data directory, beside
 * clusters.json, listing which keys are kept (cluster, handle, owner, expiry). Listing the keys,
 * or finding one for `tokendeck s3 credential-process`, reads this file and never a secret; the
 * secrets themselves are in the keychain (secrets/s3KeyEntry.ts).
 *
 *   { "version": 2, "keys": [KeptS3Key, …] }
 *
 * A key is named by its handle (its token's listed id), never by its access key id: on Swarm the
 * access key id is the token itself (docs/protocols/swarm.md §2.1), so it lives only in the
 * keychain entry. Version 1 (earlier versions) also listed each key's access key id; such a file
 * is read as it is (list() leaves the ids out) until legacyKeys.ts has moved its keychain entries
 * and rewritten it (`finishMigration`). `update` refuses a version-1 file: a change must never
 * write the ids back, nor drop a key whose entry has not been moved.
 *
 * Several processes write it (the app, terminals, scripts), so every change is the registry's
 * discipline (clusters/registry.ts): a read-modify-write under a cross-process lock file
 * (`s3-keys.json.lock`, clusters/fileLock.ts) and an atomic replace (clusters/atomicFile.ts).
 * A reader never needs the lock: the file is only ever replaced whole.
 */
import path from 'node:path'
import { z } from 'zod'
import { TokendeckError } from '../../../shared/errors'
import { AccessKeyId, KeptS3Key } from '../../../shared/model'
import { errnoCode, readTextIfExists, writeFileAtomic } from '../clusters/atomicFile'
import { describeIssues } from '../../../shared/validation/describeIssues'
import { withFileLock, type LockOptions } from '../clusters/fileLock'

export const KEPT_KEYS_FILE = 's3-keys.json'
const VERSION = 2

/** A key as version 1 listed it: with its access key id. */
export const LegacyKeptS3Key = KeptS3Key.extend({ accessKeyId: AccessKeyId }).strict()
export type LegacyKeptS3Key = z.infer<typeof LegacyKeptS3Key>

const IndexFile = z.discriminatedUnion('version', [
  z.strictObject({ version: z.literal(VERSION), keys: z.array(KeptS3Key) }),
  z.strictObject({ version: z.literal(1), keys: z.array(LegacyKeptS3Key) }),
])

/** The file as read: the keys (never an access key id), and version 1's own entries if it is one. */
interface Contents {
  keys: KeptS3Key[]
  legacy?: LegacyKeptS3Key[]
}

const sameKey = (a: { clusterId: string; tokenId: string }, b: typeof a) =>
  a.clusterId === b.clusterId && a.tokenId === b.tokenId

export class KeptKeyIndex {
  readonly file: string
  private readonly lockFile: string

  constructor(
    dir: string,
    private readonly lockOptions: LockOptions = {},
  ) {
    this.file = path.join(dir, KEPT_KEYS_FILE)
    this.lockFile = `${this.file}.lock`
  }

  /** Every kept key, as the file says now (a version-1 file too, without its access key ids). */
  async list(): Promise<KeptS3Key[]> {
    return (await this.read()).keys
  }

  /** A version-1 file's entries (with their access key ids); undefined once it is version 2. */
  async legacy(): Promise<LegacyKeptS3Key[] | undefined> {
    return (await this.read()).legacy
  }

  /**
   * Changes the list under the lock, from the file as it is on disk now (so nothing another
   * process saved is lost). Returns the new list. Nothing is written when `change` returns the
   * same array.
   */
  update(change: (keys: KeptS3Key[]) => KeptS3Key[]): Promise<KeptS3Key[]> {
    return withFileLock(
      this.lockFile,
      async () => {
        const { keys, legacy } = await this.read()
        if (legacy !== undefined)
          // A retry, not a fault: another process of an earlier version wrote it just now.
          throw new TokendeckError(
            'BUSY',
            `The list of kept S3 keys ${this.file} was just written by an earlier version of Tokendeck; nothing was changed. Try again.`,
          )
        const next = change(keys)
        if (next === keys) return keys
        await this.write(next)
        return next
      },
      this.lockOptions,
    )
  }

  /**
   * Rewrites a version-1 file as version 2 once every one of its keys was moved in the keychain
   * (`moved`, as legacy() returned them). Under the lock, from the file as it is now: false (and
   * nothing written) when it lists a key that was not moved, which another process running an
   * earlier version added meanwhile; the caller moves again. True when the file is version 2.
   */
  finishMigration(moved: LegacyKeptS3Key[]): Promise<boolean> {
    return withFileLock(
      this.lockFile,
      async () => {
        const { keys, legacy } = await this.read()
        if (legacy === undefined) return true
        const unmoved = legacy.some(
          (k) => !moved.some((m) => sameKey(m, k) && m.accessKeyId === k.accessKeyId),
        )
        if (unmoved) return false
        await this.write(keys)
        return true
      },
      this.lockOptions,
    )
  }

  private async write(keys: KeptS3Key[]): Promise<void> {
    const text = `${JSON.stringify({ version: VERSION, keys }, null, 2)}\n`
    try {
      await writeFileAtomic(this.file, text)
    } catch (e) {
      throw new TokendeckError(
        'INTERNAL',
        `Could not save the list of kept S3 keys to ${this.file} (${errnoCode(e) ?? String(e)}); nothing was changed.`,
        { cause: e },
      )
    }
  }

  private async read(): Promise<Contents> {
    let text: string | undefined
    try {
      text = await readTextIfExists(this.file)
    } catch (e) {
      throw this.corrupt(`it cannot be read (${errnoCode(e) ?? String(e)})`)
    }
    if (text === undefined) return { keys: [] }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw this.corrupt('it is not valid JSON')
    }
    const parsed = IndexFile.safeParse(json)
    if (!parsed.success) throw this.corrupt(describeIssues(parsed.error.issues, 'config-file'))
    if (parsed.data.version === VERSION) return { keys: parsed.data.keys }
    const legacy = parsed.data.keys
    return { keys: legacy.map(({ accessKeyId: _inKeychainOnly, ...key }) => key), legacy }
  }

  /** Never rewritten over: the user decides (the secrets stay in the keychain either way). */
  private corrupt(problem: string): TokendeckError {
    return new TokendeckError(
      'CONFIG_CORRUPT',
      `The list of kept S3 keys ${this.file} cannot be used: ${problem}. Tokendeck did not change it; ` +
        'fix it, or move it aside and keep the keys again.',
    )
  }
}
