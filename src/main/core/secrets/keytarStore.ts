/**
 * The SecretStore adapter for the OS keychain (macOS Keychain, Windows Credential Manager,
 * Secret Service on Linux) through keytar. The only file that may import keytar (lint-enforced).
 *
 * - Every keytar call has a timeout: a long one until the keychain has answered once (the first
 *   call may sit behind an OS unlock prompt the user has to answer), a short one afterwards.
 *   A timed-out native call cannot be cancelled; it finishes in the background.
 * - Every failure becomes KEYCHAIN_UNAVAILABLE with fix-it words (keychainErrors.ts). Never a
 *   plaintext fallback.
 * - Secrets above MAX_PART_BYTES are split across entries (chunking.ts).
 * - Calls are serialised, so a reader never sees a split secret half-written by a writer.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { TokendeckError } from '../../../shared/errors'
import {
  chunkHeader,
  joinParts,
  needsChunking,
  parseChunkHeader,
  partAccount,
  splitUtf8,
} from './chunking'
import { keychainUnavailable } from './keychainErrors'
import {
  accountsOfCluster,
  assertStorableSecret,
  describeSecret,
  parseSecretAccount,
  secretAccount,
  type SecretRef,
  type SecretStore,
} from './secretStore'
import { withTimeout } from './withTimeout'

/** The part of keytar we use; tests may pass their own (e.g. one that never answers). */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>
}

export interface KeytarStoreOptions {
  /** Keychain service name: KEYCHAIN_SERVICE, DEMO_KEYCHAIN_SERVICE, or a test's own. */
  service: string
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

/** The probe's accounts start with "." so they can never be a cluster's (ids are [a-z0-9-]). */
const PROBE_PREFIX = '.probe:'

export class KeytarSecretStore implements SecretStore {
  readonly mode = 'keychain' as const
  readonly service: string
  private readonly firstCallTimeoutMs: number
  private readonly callTimeoutMs: number
  private readonly injected: KeytarApi | undefined
  private answered = false
  private queue: Promise<unknown> = Promise.resolve()

  constructor(options: KeytarStoreOptions) {
    if (options.service.trim().length === 0)
      throw new TypeError('a keychain service name is required')
    this.service = options.service
    this.firstCallTimeoutMs = options.firstCallTimeoutMs ?? 60_000
    this.callTimeoutMs = options.callTimeoutMs ?? 10_000
    this.injected = options.keytar
  }

  async probe(): Promise<void> {
    return this.exclusive(async () => {
      const account = `${PROBE_PREFIX}${randomUUID()}`
      const canary = randomBytes(16).toString('hex')
      try {
        await this.call('store a test entry', (k) => k.setPassword(this.service, account, canary), [
          canary,
        ])
        const back = await this.call(
          'read a test entry',
          (k) => k.getPassword(this.service, account),
          [canary],
        )
        if (back !== canary) {
          throw new TokendeckError(
            'KEYCHAIN_UNAVAILABLE',
            'The system keychain did not give back what Tokendeck wrote to it. Check that it is running and unlocked, then try again. Or choose "This session only" to keep secrets in memory until Tokendeck quits (nothing is written to disk).',
          )
        }
      } finally {
        // Best effort: a probe entry left behind is harmless (loadAll ignores it).
        await this.call('remove a test entry', (k) =>
          k.deletePassword(this.service, account),
        ).catch(() => undefined)
      }
    })
  }

  async loadAll(): Promise<Map<string, string>> {
    return this.exclusive(async () => {
      const found = await this.call('list secrets', (k) => k.findCredentials(this.service))
      const stored = new Map(found.map((c) => [c.account, c.password]))
      const out = new Map<string, string>()
      for (const [account, value] of stored) {
        const ref = parseSecretAccount(account)
        if (ref === undefined) continue // a part, a probe, or not ours
        const header = parseChunkHeader(value)
        if (header === undefined) {
          out.set(account, value)
          continue
        }
        const count = header === 'malformed' ? 0 : header.parts
        const parts = Array.from({ length: count }, (_, i) =>
          stored.get(partAccount(account, i + 1)),
        )
        try {
          out.set(account, joinParts(header, parts, describeSecret(ref)))
        } catch {
          // Left out on purpose: one damaged secret must not block the rest; `get` says why.
        }
      }
      return out
    })
  }

  async get(ref: SecretRef): Promise<string | undefined> {
    const account = secretAccount(ref)
    return this.exclusive(async () => {
      const value = await this.read(account)
      if (value === null) return undefined
      const header = parseChunkHeader(value)
      if (header === undefined) return value
      const parts: Array<string | undefined> = []
      for (let i = 1; header !== 'malformed' && i <= header.parts; i++) {
        const part = await this.read(partAccount(account, i))
        parts.push(part ?? undefined)
        if (part === null) break // joinParts names the first missing piece
      }
      return joinParts(header, parts, describeSecret(ref))
    })
  }

  async set(ref: SecretRef, value: string): Promise<void> {
    const account = secretAccount(ref)
    assertStorableSecret(value)
    return this.exclusive(async () => {
      const previous = await this.read(account)
      const before = previous === null ? undefined : parseChunkHeader(previous)
      const oldParts = before === undefined || before === 'malformed' ? 0 : before.parts
      let newParts = 0
      if (!needsChunking(value)) {
        await this.write(account, value, [value])
      } else {
        const parts = splitUtf8(value)
        // Pieces first, header last: until the header is written a reader sees the old secret
        // (or, if pieces were overwritten, a digest mismatch), never a wrong value.
        for (const [i, part] of parts.entries())
          await this.write(partAccount(account, i + 1), part, [value, part])
        await this.write(account, chunkHeader(parts.length, value), [value])
        newParts = parts.length
      }
      // Pieces the previous, longer value used and this one does not.
      for (let i = newParts + 1; i <= oldParts; i++) await this.remove(partAccount(account, i))
    })
  }

  async delete(ref: SecretRef): Promise<boolean> {
    const account = secretAccount(ref)
    return this.exclusive(async () => {
      const previous = await this.read(account)
      const header = previous === null ? undefined : parseChunkHeader(previous)
      const existed = await this.remove(account)
      // Header gone first, so no reader is ever pointed at missing pieces.
      const parts = header === undefined || header === 'malformed' ? 0 : header.parts
      for (let i = 1; i <= parts; i++) await this.remove(partAccount(account, i))
      return existed
    })
  }

  async deleteCluster(clusterId: string): Promise<number> {
    accountsOfCluster([], clusterId) // validates the id before touching the keychain
    return this.exclusive(async () => {
      const found = await this.call('list secrets', (k) => k.findCredentials(this.service))
      const accounts = accountsOfCluster(
        found.map((c) => c.account),
        clusterId,
      )
      // Whole secrets (headers) before their pieces, for the same reason as in delete().
      const secrets = accounts.filter((a) => parseSecretAccount(a) !== undefined)
      const rest = accounts.filter((a) => parseSecretAccount(a) === undefined)
      for (const a of [...secrets, ...rest]) await this.remove(a)
      return secrets.length
    })
  }

  private read(account: string): Promise<string | null> {
    return this.call('read a secret', (k) => k.getPassword(this.service, account))
  }

  private write(account: string, password: string, secrets: readonly string[]): Promise<void> {
    return this.call(
      'store a secret',
      (k) => k.setPassword(this.service, account, password),
      secrets,
    )
  }

  private remove(account: string): Promise<boolean> {
    return this.call('delete a secret', (k) => k.deletePassword(this.service, account))
  }

  /** One keytar call with its timeout and error mapping. */
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
    const timeoutMs = this.answered ? this.callTimeoutMs : this.firstCallTimeoutMs
    try {
      const result = await withTimeout(() => op(api), timeoutMs)
      this.answered = true
      return result
    } catch (e) {
      throw keychainUnavailable(e, { action, timeoutMs, secrets })
    }
  }

  /** Runs `work` after everything queued before it, whatever that ended in. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work)
    this.queue = run.catch(() => undefined)
    return run
  }
}
