/**
 * The profile's audit key: 32 random bytes in the keychain (through the secret store, account
 * `<profile id>/.audit-key`), created once. Token ids in the log are HMAC-SHA256 under it, so an
 * admin can tell records about the same token apart from others (and compute the hash of an id
 * they know with `tokendeck audit --token <id>`), while the log alone reveals no id.
 *
 * Several processes may need the key first at the same moment; the keychain has no
 * create-if-absent, so the read-or-create runs under the data directory's file lock and exactly
 * one key is ever made. Where the store keeps secrets in memory (session-only), the key lives and
 * dies with the process: its hashes then match only each other (`key` in a record says which key
 * hashed it).
 */
import { createHmac, randomBytes } from 'node:crypto'
import path from 'node:path'
import { withFileLock } from '../clusters/fileLock'
import type { ProfileSecrets } from '../secrets'

const KEY_BYTES = 32

export class AuditKey {
  private loading: Promise<Buffer> | undefined

  constructor(
    private readonly store: ProfileSecrets,
    private readonly dataDir: string,
  ) {}

  /** The key, read (or created) once per process; a failure is not remembered. */
  get(): Promise<Buffer> {
    if (!this.loading) {
      this.loading = this.load()
      this.loading.catch(() => (this.loading = undefined))
    }
    return this.loading
  }

  /** `hmac-sha256:<hex>` of an id under this profile's key. */
  async hash(id: string): Promise<string> {
    return hashWith(await this.get(), id)
  }

  /** A short, public fingerprint of the key: which records can be correlated. */
  async id(): Promise<string> {
    return keyId(await this.get())
  }

  private async load(): Promise<Buffer> {
    const existing = await this.store.getProfileSecret('audit-key')
    if (existing !== undefined) return decode(existing)
    return withFileLock(path.join(this.dataDir, 'audit-key.lock'), async () => {
      const again = await this.store.getProfileSecret('audit-key')
      if (again !== undefined) return decode(again)
      const key = randomBytes(KEY_BYTES)
      await this.store.setProfileSecret('audit-key', key.toString('base64'))
      return key
    })
  }
}

export function hashWith(key: Buffer, id: string): string {
  return `hmac-sha256:${createHmac('sha256', key).update(id, 'utf8').digest('hex')}`
}

export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('tokendeck audit key id').digest('hex').slice(0, 8)
}

function decode(text: string): Buffer {
  const key = Buffer.from(text, 'base64')
  if (key.length < 16) throw new Error('the stored audit key is too short')
  return key
}
