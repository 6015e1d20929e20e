/**
 * The SecretStore port: the only way the core keeps a secret (refresh, session and long-lived
 * tokens, opt-in S3 secrets). Two adapters implement it: keytarStore.ts (the OS keychain) and
 * memoryStore.ts (the visible "this session only" mode). Nothing else persists a secret, and
 * there is no plaintext fallback anywhere.
 *
 * Account naming (one keychain entry per cluster and kind, under one service name):
 *   `${clusterId}:${kind}`               e.g. `prod-weka:refresh-token`
 *   `${clusterId}:${kind}:${qualifier}`  when a cluster can hold several of a kind,
 *                                        e.g. `lab-swarm:s3-secret:AKIAEXAMPLE`
 *   `${account}#${n}`                    part n of a secret split across entries (chunking.ts)
 * Cluster ids are `[a-z0-9-]` (model.ts), so `${clusterId}:` is an unambiguous prefix for
 * "everything of this cluster", and accounts that start with anything else (the probe's `.probe:`)
 * can never be mistaken for a cluster's.
 */
import { ClusterId } from '../../../shared/model'
import { TokendeckError } from '../../../shared/errors'

/** The keychain service of the real profile; the demo profile keeps its own. */
export const KEYCHAIN_SERVICE = 'Tokendeck'
export const DEMO_KEYCHAIN_SERVICE = 'Tokendeck Demo'

export const SECRET_KINDS = [
  'refresh-token',
  'session-token',
  'access-token',
  'long-lived-token',
  's3-secret',
] as const
export type SecretKind = (typeof SECRET_KINDS)[number]

/** Which secret: a cluster, a kind and, for kinds a cluster can hold several of, a qualifier. */
export interface SecretRef {
  clusterId: string
  kind: SecretKind
  /** e.g. an S3 access key id or a token id; `[A-Za-z0-9._@-]`, at most 200 characters. */
  qualifier?: string
}

export type SecretStoreMode = 'keychain' | 'session-only'

/**
 * A store the user can see the nature of (`mode`). All methods reject with TokendeckError:
 * KEYCHAIN_UNAVAILABLE when the keychain cannot be used, INVALID_INPUT for a malformed ref or
 * value, CONFIG_CORRUPT when a split secret cannot be reassembled. No message holds a secret.
 */
export interface SecretStore {
  readonly mode: SecretStoreMode
  /** Proves the store works end to end (keychain: canary write, read, delete). */
  probe(): Promise<void>
  /**
   * Every secret of this store, keyed by `secretAccount(ref)` (use `parseSecretAccount` to walk
   * it). The keychain reads them in one call, so startup asks the OS (and the user) once.
   * A split secret that cannot be reassembled is left out; `get` reports why.
   */
  loadAll(): Promise<Map<string, string>>
  get(ref: SecretRef): Promise<string | undefined>
  set(ref: SecretRef, value: string): Promise<void>
  /** Resolves true when something was deleted. */
  delete(ref: SecretRef): Promise<boolean>
  /** Removes every secret of the cluster (all kinds, qualifiers and parts); resolves how many. */
  deleteCluster(clusterId: string): Promise<number>
}

/**
 * Upper bound for one secret. Tokens are a few KB at most; the cap keeps a bug (or a hostile
 * server response someone decided to store) from writing megabytes into the keychain.
 */
export const MAX_SECRET_BYTES = 64 * 1024

const QUALIFIER = /^[A-Za-z0-9._@-]{1,200}$/

function assertClusterId(clusterId: string): void {
  if (!ClusterId.safeParse(clusterId).success) {
    throw new TokendeckError('INVALID_INPUT', 'A cluster id is 1–64 of a–z, 0–9 and "-".')
  }
}

/** The keychain account of a secret. Throws INVALID_INPUT for a malformed ref. */
export function secretAccount(ref: SecretRef): string {
  assertClusterId(ref.clusterId)
  if (!(SECRET_KINDS as readonly string[]).includes(ref.kind)) {
    throw new TokendeckError('INVALID_INPUT', `Unknown secret kind "${String(ref.kind)}".`)
  }
  if (ref.qualifier === undefined) return `${ref.clusterId}:${ref.kind}`
  if (!QUALIFIER.test(ref.qualifier)) {
    throw new TokendeckError(
      'INVALID_INPUT',
      'A secret qualifier is 1–200 of A–Z, a–z, 0–9 and "._@-".',
    )
  }
  return `${ref.clusterId}:${ref.kind}:${ref.qualifier}`
}

/** The ref an account names, or undefined for anything that is not a whole secret of ours. */
export function parseSecretAccount(account: string): SecretRef | undefined {
  const [clusterId, kind, qualifier, ...rest] = account.split(':')
  if (clusterId === undefined || kind === undefined || rest.length > 0) return undefined
  if (!(SECRET_KINDS as readonly string[]).includes(kind)) return undefined
  const ref: SecretRef = {
    clusterId,
    kind: kind as SecretKind,
    ...(qualifier !== undefined ? { qualifier } : {}),
  }
  try {
    // Round-trip so a part (`…#2`) or a foreign entry never passes as a secret.
    return secretAccount(ref) === account ? ref : undefined
  } catch {
    return undefined
  }
}

/** The accounts (secrets and their parts) among `accounts` that belong to the cluster. */
export function accountsOfCluster(accounts: Iterable<string>, clusterId: string): string[] {
  assertClusterId(clusterId)
  const prefix = `${clusterId}:`
  return [...accounts].filter((a) => a.startsWith(prefix))
}

/** Rejects what no store should hold: empty values (keytar refuses them) and oversized ones. */
export function assertStorableSecret(value: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TokendeckError(
      'INVALID_INPUT',
      'Refusing to store an empty secret; delete it instead.',
    )
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES) {
    throw new TokendeckError('INVALID_INPUT', `A secret may be at most ${MAX_SECRET_BYTES} bytes.`)
  }
}

/** Words for a secret in a user-facing message: which one, never its value. */
export function describeSecret(ref: SecretRef): string {
  return `the ${ref.kind}${ref.qualifier !== undefined ? ` "${ref.qualifier}"` : ''} of cluster "${ref.clusterId}"`
}
