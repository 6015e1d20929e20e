/**
 * The SecretStore adapter for the OS keychain (macOS Keychain, Windows Credential Manager,
 * Secret Service on Linux) through keytar. The only file that may import keytar (lint-enforced).
 *
 * - Accounts and values: secretStore.ts (`${namespace}/${clusterId}`, a JSON envelope with the
 *   binding), envelope.ts, chunking.ts (values above MAX_PART_BYTES split across entries).
 * - Only getPassword / setPassword / deletePassword on accounts computed from a cluster id. Never
 *   findCredentials: listing while another process deletes an entry crashes the process with
 *   SIGSEGV (node-keytar issue 477). check() reads one account that never exists and writes
 *   nothing, so processes starting side by side do not disturb each other.
 * - Every keytar call has a timeout: a long one until the keychain has answered once (the first
 *   call may sit behind an OS unlock prompt the user has to answer), a short one afterwards.
 *   A timed-out native call cannot be cancelled; it finishes in the background.
 * - Every failure becomes KEYCHAIN_UNAVAILABLE with fix-it words (keychainErrors.ts). A call that
 *   lost a race with another process (the entry vanished between libsecret's search and its next
 *   step) is repeated, not reported as a locked keychain. Never a plaintext fallback.
 * - Calls are serialised per process (one queue per keytar implementation, shared by every store
 *   instance), so a reader never sees a split secret half-written by a writer of this process;
 *   a split value's pieces are named after its digest, so readers in other processes keep finding
 *   the pieces their header points to while it is rewritten (chunking.ts).
 */
import { TokendeckError } from '../../../shared/errors'
import {
  chunkHeader,
  generationPartAccount,
  joinParts,
  needsChunking,
  parseChunkHeader,
  partAccount,
  splitUtf8,
  type ChunkHeader,
} from './chunking'
import { decodeEnvelope, encodeEnvelope } from './envelope'
import { classifyKeychainFailure, keychainUnavailable } from './keychainErrors'
import {
  decodeS3Key,
  describeLegacyS3Key,
  describeS3Key,
  encodeS3Key,
  legacyS3KeyAccount,
  s3KeyAccount,
  storableS3Key,
  type S3KeySecrets,
  type StoredS3Key,
} from './s3KeyEntry'
import {
  CREDENTIAL_KINDS,
  assertClusterId,
  assertNamespace,
  checkAccount,
  credentialAccount,
  describeCredential,
  legacyAccount,
  profileSecretAccount,
  assertStorableSecret,
  storableCredential,
  type CredentialKind,
  type LegacyCredentials,
  type ProfileSecretName,
  type ProfileSecrets,
  type SecretStore,
  type StoredCredential,
} from './secretStore'
import { TimeoutError, withTimeout } from './withTimeout'

/**
 * The part of keytar we use; tests may pass their own (e.g. one that never answers, or one that
 * records calls). findCredentials is deliberately not part of it (see the header).
 */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

export interface KeytarStoreOptions {
  /** Keychain service name: KEYCHAIN_SERVICE, DEMO_KEYCHAIN_SERVICE, or a test's own. */
  service: string
  /** The data directory's profile id (a UUID): `[A-Za-z0-9-]{1,64}`. */
  namespace: string
  /** Until the keychain has answered once (room for an unlock prompt). Default 60 s. */
  firstCallTimeoutMs?: number
  /** Every later call. Default 10 s. */
  callTimeoutMs?: number
  /** Defaults to the real keytar, loaded on first use. */
  keytar?: KeytarApi
}

/**
 * keytar is loaded lazily: if its native part cannot load (libsecret missing) the app still
 * starts and the user gets KEYCHAIN_UNAVAILABLE with the package to install, not a crash.
 */
let realKeytar: Promise<KeytarApi> | undefined
function loadKeytar(): Promise<KeytarApi> {
  realKeytar ??= import('keytar').then((m: KeytarApi & { default?: KeytarApi }) => m.default ?? m)
  return realKeytar
}

/** The tail of each keytar implementation's call queue (the real one under REAL_KEYTAR). */
const queues = new WeakMap<object, Promise<unknown>>()
const REAL_KEYTAR = {}

/** How often a call that lost a race with another process is made in all. */
const CONCURRENT_CHANGE_ATTEMPTS = 4
/** How often a split entry that changed while it was being read is read in all. */
const READ_ATTEMPTS = 3

type PartNamer = (header: ChunkHeader, part: number) => string

export class KeytarSecretStore
  implements SecretStore, LegacyCredentials, S3KeySecrets, ProfileSecrets
{
  readonly mode = 'keychain' as const
  readonly service: string
  readonly namespace: string
  private readonly firstCallTimeoutMs: number
  private readonly callTimeoutMs: number
  private readonly injected: KeytarApi | undefined
  private answered = false

  constructor(options: KeytarStoreOptions) {
    if (typeof options.service !== 'string' || options.service.trim().length === 0)
      throw new TypeError('a keychain service name is required')
    assertNamespace(options.namespace)
    this.service = options.service
    this.namespace = options.namespace
    this.firstCallTimeoutMs = options.firstCallTimeoutMs ?? 60_000
    this.callTimeoutMs = options.callTimeoutMs ?? 10_000
    this.injected = options.keytar
  }

  async check(): Promise<void> {
    const account = checkAccount(this.namespace)
    await this.exclusive(() => this.read(account, 'look up an entry'))
  }

  async getCredential(clusterId: string): Promise<StoredCredential | undefined> {
    const account = credentialAccount(this.namespace, clusterId)
    const what = describeCredential(clusterId)
    return this.exclusive(async () => {
      const stored = await this.readValue(account, what, (h, n) =>
        generationPartAccount(account, h, n),
      )
      return stored === undefined ? undefined : decodeEnvelope(stored, what)
    })
  }

  async setCredential(clusterId: string, credential: StoredCredential): Promise<void> {
    const account = credentialAccount(this.namespace, clusterId)
    const clean = storableCredential(credential)
    return this.exclusive(() => this.writeValue(account, encodeEnvelope(clean), clean.value))
  }

  async deleteCredential(clusterId: string): Promise<boolean> {
    const account = credentialAccount(this.namespace, clusterId)
    return this.exclusive(() =>
      this.removeValue(account, (h, n) => generationPartAccount(account, h, n)),
    )
  }

  async getS3Key(clusterId: string, tokenId: string): Promise<StoredS3Key | undefined> {
    const account = s3KeyAccount(this.namespace, clusterId, tokenId)
    return this.readS3Key(account, { tokenId }, describeS3Key(clusterId, tokenId))
  }

  async setS3Key(clusterId: string, key: StoredS3Key): Promise<void> {
    const clean = storableS3Key(key)
    const account = s3KeyAccount(this.namespace, clusterId, clean.tokenId)
    return this.exclusive(() => this.writeValue(account, encodeS3Key(clean), clean.secretAccessKey))
  }

  async deleteS3Key(clusterId: string, tokenId: string): Promise<boolean> {
    return this.removeS3Key(s3KeyAccount(this.namespace, clusterId, tokenId))
  }

  async getLegacyS3Key(clusterId: string, accessKeyId: string): Promise<StoredS3Key | undefined> {
    const account = legacyS3KeyAccount(this.namespace, clusterId, accessKeyId)
    return this.readS3Key(account, { accessKeyId }, describeLegacyS3Key(clusterId))
  }

  async deleteLegacyS3Key(clusterId: string, accessKeyId: string): Promise<boolean> {
    return this.removeS3Key(legacyS3KeyAccount(this.namespace, clusterId, accessKeyId))
  }

  private readS3Key(
    account: string,
    expected: { tokenId: string } | { accessKeyId: string },
    what: string,
  ): Promise<StoredS3Key | undefined> {
    return this.exclusive(async () => {
      const stored = await this.readValue(account, what, (h, n) =>
        generationPartAccount(account, h, n),
      )
      return stored === undefined ? undefined : decodeS3Key(stored, expected, what)
    })
  }

  private removeS3Key(account: string): Promise<boolean> {
    return this.exclusive(() =>
      this.removeValue(account, (h, n) => generationPartAccount(account, h, n)),
    )
  }

  async readLegacy(
    clusterId: string,
  ): Promise<{ kind: CredentialKind; value: string } | undefined> {
    assertClusterId(clusterId)
    return this.exclusive(async () => {
      for (const kind of CREDENTIAL_KINDS) {
        const account = legacyAccount(clusterId, kind)
        const what = `the ${kind} of cluster "${clusterId}" saved by an earlier version`
        const value = await this.readValue(account, what, (_h, n) => partAccount(account, n))
        if (value !== undefined) return { kind, value }
      }
      return undefined
    })
  }

  async deleteLegacy(clusterId: string): Promise<number> {
    assertClusterId(clusterId)
    return this.exclusive(async () => {
      let deleted = 0
      for (const kind of CREDENTIAL_KINDS) {
        const account = legacyAccount(clusterId, kind)
        if (await this.removeValue(account, (_h, n) => partAccount(account, n))) deleted++
      }
      return deleted
    })
  }

  /** Writes an envelope to its account, split if large (call inside exclusive()). */
  private async writeValue(account: string, envelope: string, value: string): Promise<void> {
    // Everything a quoted OS message could echo back, scrubbed before it is shown.
    const secrets = [value, JSON.stringify(value).slice(1, -1), envelope]
    const previous = await this.read(account)
    const before = previous === null ? undefined : parseChunkHeader(previous)
    let after: ChunkHeader | undefined
    if (!needsChunking(envelope)) {
      await this.write(account, envelope, secrets)
    } else {
      const pieces = splitUtf8(envelope)
      const header = chunkHeader(pieces.length, envelope)
      after = { parts: pieces.length, digest: header.slice(-16) }
      // Pieces first, header last: until the header is written every reader sees the old
      // value, whose pieces (named after its digest) are still there.
      for (const [i, piece] of pieces.entries())
        await this.write(generationPartAccount(account, after, i + 1), piece, [...secrets, piece])
      await this.write(account, header, secrets)
    }
    // The previous value's pieces, unless this value is the same one (same names).
    if (before !== undefined && before !== 'malformed' && before.digest !== after?.digest) {
      for (let i = 1; i <= before.parts; i++)
        await this.remove(generationPartAccount(account, before, i))
    }
  }

  async getProfileSecret(name: ProfileSecretName): Promise<string | undefined> {
    const account = profileSecretAccount(this.namespace, name)
    return this.exclusive(async () => (await this.read(account)) ?? undefined)
  }

  async setProfileSecret(name: ProfileSecretName, value: string): Promise<void> {
    const account = profileSecretAccount(this.namespace, name)
    assertStorableSecret(value)
    return this.exclusive(() => this.write(account, value, [value]))
  }

  /** A whole value, reassembled if split; undefined when the account has none. */
  private async readValue(
    account: string,
    what: string,
    partName: PartNamer,
  ): Promise<string | undefined> {
    let stored = await this.read(account)
    for (let attempt = 1; ; attempt++) {
      if (stored === null) return undefined
      const header = parseChunkHeader(stored)
      if (header === undefined) return stored
      const parts: Array<string | undefined> = []
      for (let i = 1; header !== 'malformed' && i <= header.parts; i++) {
        const part = await this.read(partName(header, i))
        parts.push(part ?? undefined)
        if (part === null) break // joinParts names the first missing piece
      }
      try {
        return joinParts(header, parts, what)
      } catch (e) {
        if (header === 'malformed' || attempt >= READ_ATTEMPTS) throw e
        // Another process may have replaced the value (and removed these pieces) meanwhile: if
        // the header changed, read the new one; if not, the entry really is damaged.
        const again = await this.read(account)
        if (again === stored) throw e
        stored = again
      }
    }
  }

  /** Deletes a value and its pieces: header first, so no reader is pointed at missing pieces. */
  private async removeValue(account: string, partName: PartNamer): Promise<boolean> {
    const previous = await this.read(account)
    const header = previous === null ? undefined : parseChunkHeader(previous)
    const existed = await this.remove(account)
    if (header !== undefined && header !== 'malformed') {
      for (let i = 1; i <= header.parts; i++) await this.remove(partName(header, i))
    }
    return existed
  }

  private read(account: string, action = 'read a stored sign-in'): Promise<string | null> {
    return this.call(action, (k) => k.getPassword(this.service, account))
  }

  private write(account: string, password: string, secrets: readonly string[]): Promise<void> {
    return this.call('store a sign-in', (k) => k.setPassword(this.service, account, password), [
      ...secrets,
      password,
    ])
  }

  private remove(account: string): Promise<boolean> {
    return this.call('delete a stored sign-in', (k) => k.deletePassword(this.service, account))
  }

  /** One keytar call with its timeout, its retry after a lost race, and error mapping. */
  private async call<T>(
    action: string,
    op: (k: KeytarApi) => Promise<T>,
    secrets: readonly string[] = [],
  ): Promise<T> {
    let api: KeytarApi
    try {
      api = this.injected ?? (await loadKeytar())
    } catch (e) {
      realKeytar = undefined // let a later attempt retry, e.g. after the user installed libsecret
      throw keychainUnavailable(e, { action })
    }
    for (let attempt = 1; ; attempt++) {
      const timeoutMs = this.answered ? this.callTimeoutMs : this.firstCallTimeoutMs
      try {
        const result = await withTimeout(() => op(api), timeoutMs)
        this.answered = true
        return result
      } catch (e) {
        const lostRace =
          !(e instanceof TimeoutError) &&
          !(e instanceof TokendeckError) &&
          classifyKeychainFailure(e) === 'changed-concurrently'
        if (lostRace && attempt < CONCURRENT_CHANGE_ATTEMPTS) continue
        throw keychainUnavailable(e, { action, timeoutMs, secrets })
      }
    }
  }

  /** Runs `work` after every keytar call queued before it in this process, whatever that ended in. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const key = this.injected ?? REAL_KEYTAR
    const run = (queues.get(key) ?? Promise.resolve()).then(work, work)
    queues.set(
      key,
      run.catch(() => undefined),
    )
    return run
  }
}
