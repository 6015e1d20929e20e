/**
 * The non-secret half of the kept S3 keys: `s3-keys.json` in the data directory, beside
 * clusters.json, listing which keys are kept (cluster, access key id, token id, owner, expiry).
 * Listing the keys, or finding one for `tokendeck s3 credential-process`, reads this file and
 * never a secret; the secrets themselves are in the keychain (secrets/s3KeyEntry.ts).
 *
 *   { "version": 1, "keys": [KeptS3Key, …] }
 *
 * Several processes write it (the app, terminals, scripts), so every change is the registry's
 * discipline (clusters/registry.ts): a read-modify-write under a cross-process lock file
 * (`s3-keys.json.lock`, clusters/fileLock.ts) and an atomic replace (clusters/atomicFile.ts).
 * A reader never needs the lock: the file is only ever replaced whole.
 */
import path from 'node:path'
import { z } from 'zod'
import { TokendeckError } from '../../../shared/errors'
import { KeptS3Key } from '../../../shared/model'
import { errnoCode, readTextIfExists, writeFileAtomic } from '../clusters/atomicFile'
import { describeIssues } from '../../../shared/validation/describeIssues'
import { withFileLock, type LockOptions } from '../clusters/fileLock'

export const KEPT_KEYS_FILE = 's3-keys.json'
const VERSION = 1

const IndexFile = z.strictObject({ version: z.literal(VERSION), keys: z.array(KeptS3Key) })

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

  /** Every kept key, as the file says now. */
  async list(): Promise<KeptS3Key[]> {
    return this.read()
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
        const keys = await this.read()
        const next = change(keys)
        if (next === keys) return keys
        const text = `${JSON.stringify({ version: VERSION, keys: next }, null, 2)}\n`
        try {
          await writeFileAtomic(this.file, text)
        } catch (e) {
          throw new TokendeckError(
            'INTERNAL',
            `Could not save the list of kept S3 keys to ${this.file} (${errnoCode(e) ?? String(e)}); nothing was changed.`,
            { cause: e },
          )
        }
        return next
      },
      this.lockOptions,
    )
  }

  private async read(): Promise<KeptS3Key[]> {
    let text: string | undefined
    try {
      text = await readTextIfExists(this.file)
    } catch (e) {
      throw this.corrupt(`it cannot be read (${errnoCode(e) ?? String(e)})`)
    }
    if (text === undefined) return []
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw this.corrupt('it is not valid JSON')
    }
    const parsed = IndexFile.safeParse(json)
    if (!parsed.success) throw this.corrupt(describeIssues(parsed.error.issues, 'config-file'))
    return parsed.data.keys
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
