/**
 * The SecretStore port: the only way the core keeps a cluster's credential (a WEKA refresh token,
 * a Qumulo or Swarm session token). Adapters: keytarStore.ts (the OS keychain), memoryStore.ts
 * (the visible "This session only" mode) and switchableStore.ts (what the core holds: the
 * keychain, or memory when the keychain cannot be used or the user chose so at start). Nothing
 * else persists a secret, and there is no plaintext fallback anywhere.
 *
 * One keychain entry per cluster, under one service (`Tokendeck`, `Tokendeck Demo`, a test's own):
 *   account  `${namespace}/${clusterId}`   namespace = the data directory's profile id (a UUID),
 *                                          so two data directories never share an entry, and a
 *                                          cluster id reused in another directory finds nothing
 *   value    `{"v":1,"kind":"refresh-token","for":{binding},"secret":"…"}` (envelope.ts),
 *            split across `${account}#<digest>.<n>` entries when large (chunking.ts)
 * The binding says what the credential was issued for (vendor, origin, user, org/tenant/domain);
 * the core compares it with the cluster it is about to talk to (bindingMismatch) and never sends
 * a credential that does not match.
 *
 * Kept S3 keys (opt-in) have entries of their own, `${account}/s3key/${handle}`: s3KeyEntry.ts.
 *
 * Entries written before profiles (legacy): `${clusterId}:refresh-token` and
 * `${clusterId}:session-token` (+ `#n` parts), no namespace, no binding; readable and deletable
 * through LegacyCredentials so the core can migrate them once.
 *
 * Why only get/set/delete of known accounts, never keytar's findCredentials: listing a service
 * while another process deletes one of its entries crashes the process with SIGSEGV (node-keytar
 * issue 477: the listing dereferences the secret of an item that is gone), and without the crash
 * it fails with an "Object does not exist at path …" error that used to read as "the keychain is
 * locked". Every account we touch is computed from a cluster id, so nothing needs listing; and
 * check() reads one account that never exists instead of writing and deleting a canary.
 */
import { z } from 'zod'
import { TokendeckError } from '../../../shared/errors'
import { describeIssues } from '../../../shared/validation/describeIssues'
import { ClusterId, Vendor, type Cluster } from '../../../shared/model'

/** The keychain service of the real profile; the demo profile keeps its own. */
export const KEYCHAIN_SERVICE = 'Tokendeck'
export const DEMO_KEYCHAIN_SERVICE = 'Tokendeck Demo'

export const CREDENTIAL_KINDS = ['refresh-token', 'session-token'] as const
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number]
export const CredentialKindSchema = z.enum(CREDENTIAL_KINDS)

/** What a credential was issued for; it is only ever sent to a cluster that matches. */
export interface CredentialBinding {
  vendor: Vendor
  /** URL origin, e.g. https://weka01:14000 (lower-case host, explicit port only if non-default). */
  origin: string
  username: string
  org?: string
  tenant?: string
  domain?: string
}

export interface StoredCredential {
  kind: CredentialKind
  value: string
  binding: CredentialBinding
}

export type SecretStoreMode = 'keychain' | 'session-only'

/**
 * A store the user can see the nature of (`mode`). Every method rejects with TokendeckError only:
 * KEYCHAIN_UNAVAILABLE when the keychain cannot be used (with what to do), INVALID_INPUT for a
 * malformed cluster id or credential (before anything is touched), CONFIG_CORRUPT when a stored
 * entry cannot be read. No message ever holds a secret.
 */
export interface SecretStore {
  readonly mode: SecretStoreMode
  /** Proves the store answers WITHOUT writing anything: keychain = one getPassword of an account that never exists. Rejects KEYCHAIN_UNAVAILABLE. */
  check(): Promise<void>
  /** The cluster's stored credential; undefined when none. Rejects CONFIG_CORRUPT (naming the cluster, no secret) when the entry exists but is not a valid envelope or a split secret cannot be reassembled. */
  getCredential(clusterId: string): Promise<StoredCredential | undefined>
  setCredential(clusterId: string, credential: StoredCredential): Promise<void>
  /** true when something was deleted (all chunk parts too). */
  deleteCredential(clusterId: string): Promise<boolean>
}

/** Legacy (before profiles) entries: `${clusterId}:refresh-token` / `${clusterId}:session-token` (+ `#n` parts) under the same service, no namespace, no binding. Only the keychain store has them. */
export interface LegacyCredentials {
  /** The refresh token if there is one, else the session token; undefined when neither. */
  readLegacy(clusterId: string): Promise<{ kind: CredentialKind; value: string } | undefined>
  /** Deletes both legacy kinds (and their parts); resolves how many secrets were deleted. */
  deleteLegacy(clusterId: string): Promise<number>
}

/** Whether a store can read legacy entries (the keychain store, and the switchable one). */
export function hasLegacyCredentials<S extends SecretStore>(
  store: S,
): store is S & LegacyCredentials {
  const s = store as Partial<LegacyCredentials>
  return typeof s.readLegacy === 'function' && typeof s.deleteLegacy === 'function'
}

/**
 * Upper bound for one secret. Tokens are a few KB at most; the cap keeps a bug (or a hostile
 * server response someone decided to store) from writing megabytes into the keychain.
 */
export const MAX_SECRET_BYTES = 64 * 1024

// ---------------------------------------------------------------------------------------------
// Accounts

/** A keychain namespace: the data directory's profile id (a UUID). */
export const SecretNamespace = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'a keychain namespace is 1–64 of A–Z, a–z, 0–9 and "-"')

export function assertNamespace(namespace: string): void {
  if (!SecretNamespace.safeParse(namespace).success) {
    throw new TokendeckError(
      'INVALID_INPUT',
      'A keychain namespace (the profile id) is 1–64 of A–Z, a–z, 0–9 and "-".',
    )
  }
}

export function assertClusterId(clusterId: string): void {
  if (!ClusterId.safeParse(clusterId).success) {
    throw new TokendeckError('INVALID_INPUT', 'A cluster id is 1–64 of a–z, 0–9 and "-".')
  }
}

/** The keychain account of a cluster's credential. Throws INVALID_INPUT for a malformed id. */
export function credentialAccount(namespace: string, clusterId: string): string {
  assertNamespace(namespace)
  assertClusterId(clusterId)
  return `${namespace}/${clusterId}`
}

/**
 * An account of the namespace that no cluster can ever have (cluster ids never start with "."),
 * read by check() to prove the keychain answers.
 */
export function checkAccount(namespace: string): string {
  assertNamespace(namespace)
  return `${namespace}/.check`
}

/** The account a version before profiles used for a cluster's secret of one kind. */
export function legacyAccount(clusterId: string, kind: CredentialKind): string {
  assertClusterId(clusterId)
  return `${clusterId}:${kind}`
}

/** Words for a credential in a user-facing message: which one, never its value. */
export function describeCredential(clusterId: string): string {
  return `the stored sign-in of cluster "${clusterId}"`
}

// ---------------------------------------------------------------------------------------------
// Bindings

/**
 * The origin of a URL as the binding keeps it: scheme, lower-case host, and the port only when it
 * is not the scheme's default (`https://WEKA01:443/api` → `https://weka01`). Throws INVALID_INPUT
 * for something that is not an http(s) URL.
 */
export function normalizeOrigin(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new TokendeckError('INVALID_INPUT', 'A cluster address must be an https:// URL.')
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TokendeckError('INVALID_INPUT', 'A cluster address must be an https:// URL.')
  }
  return parsed.origin
}

function isNormalOrigin(origin: string): boolean {
  try {
    return normalizeOrigin(origin) === origin
  } catch {
    return false
  }
}

const bindingText = z.string().min(1).max(256)

/** The binding as stored (envelope.ts): strict, origin already normalised. */
export const CredentialBindingSchema = z.strictObject({
  vendor: Vendor,
  origin: z.string().max(2048).refine(isNormalOrigin, 'not a normalised URL origin'),
  username: bindingText,
  org: bindingText.optional(),
  tenant: bindingText.optional(),
  domain: bindingText.optional(),
})

/** What setCredential accepts: like the stored form, but the origin may be any URL of the cluster. */
const BindingInput = z.strictObject({
  vendor: Vendor,
  origin: z.string().max(2048),
  username: bindingText,
  org: z.string().max(256).optional(),
  tenant: z.string().max(256).optional(),
  domain: z.string().max(256).optional(),
})

/** Optional text: trimmed, and absent when empty (a WEKA org that is empty means Root). */
function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed.length === 0 ? undefined : trimmed
}

/** Builds a binding with only the fields that are there, in a stable order. */
function makeBinding(
  vendor: Vendor,
  origin: string,
  username: string,
  optional: Pick<CredentialBinding, 'org' | 'tenant' | 'domain'>,
): CredentialBinding {
  const binding: CredentialBinding = { vendor, origin, username }
  const org = present(optional.org)
  const tenant = present(optional.tenant)
  const domain = present(optional.domain)
  if (org !== undefined) binding.org = org
  if (tenant !== undefined) binding.tenant = tenant
  if (domain !== undefined) binding.domain = domain
  return binding
}

/** What a credential issued for this cluster, as it is configured now, is bound to. */
export function bindingFor(cluster: Cluster): CredentialBinding {
  return makeBinding(cluster.vendor, normalizeOrigin(cluster.url), cluster.username, cluster)
}

/** A binding in the form it is compared and stored in; never throws (a bad origin stays as is). */
function normalizeBinding(binding: CredentialBinding): CredentialBinding {
  let origin = binding.origin
  try {
    origin = normalizeOrigin(binding.origin)
  } catch {
    // compared verbatim: it will simply not match a real cluster's origin
  }
  return makeBinding(binding.vendor, origin, binding.username, binding)
}

const quoted = (v: string | undefined, none: string): string => (v === undefined ? none : `"${v}"`)

/** undefined when the same; else a sentence for the user naming what differs (origin, user, org…), never a secret. */
export function bindingMismatch(
  stored: CredentialBinding,
  expected: CredentialBinding,
): string | undefined {
  const was = normalizeBinding(stored)
  const now = normalizeBinding(expected)
  const diffs: string[] = []
  if (was.vendor !== now.vendor) diffs.push(`vendor ${was.vendor}, the cluster is ${now.vendor}`)
  if (was.origin !== now.origin)
    diffs.push(`address ${was.origin}, the cluster is at ${now.origin}`)
  if (was.username !== now.username)
    diffs.push(`user "${was.username}", the cluster is set up for "${now.username}"`)
  if (was.org !== now.org)
    diffs.push(`organization ${quoted(was.org, 'Root')}, now ${quoted(now.org, 'Root')}`)
  if (was.tenant !== now.tenant)
    diffs.push(`tenant ${quoted(was.tenant, '(none)')}, now ${quoted(now.tenant, '(none)')}`)
  if (was.domain !== now.domain)
    diffs.push(`domain ${quoted(was.domain, '(none)')}, now ${quoted(now.domain, '(none)')}`)
  if (diffs.length === 0) return undefined
  return `The stored sign-in was issued for something else (${diffs.join('; ')}), so Tokendeck will not send it. Sign in again.`
}

// ---------------------------------------------------------------------------------------------
// Validation shared by every store

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

/**
 * Validates a credential before it is stored and returns a clean copy: the kind checked, the
 * binding normalised (origin, empty optional fields dropped) and checked strictly. Throws
 * INVALID_INPUT naming the bad field, never a value.
 */
export function storableCredential(credential: StoredCredential): StoredCredential {
  const c = credential as Partial<StoredCredential> | null | undefined
  if (c === null || typeof c !== 'object') {
    throw new TokendeckError('INVALID_INPUT', 'A credential to store is missing.')
  }
  if (!CredentialKindSchema.safeParse(c.kind).success) {
    throw new TokendeckError(
      'INVALID_INPUT',
      `A stored credential is a ${CREDENTIAL_KINDS.join(' or a ')}.`,
    )
  }
  assertStorableSecret(c.value as string)
  return {
    kind: c.kind as CredentialKind,
    value: c.value as string,
    binding: storableBinding(c.binding),
  }
}

/**
 * Validates what a secret was issued for (a credential's or a kept S3 key's) and returns it
 * normalised: origin, empty optional fields dropped, checked strictly. Throws INVALID_INPUT
 * naming the bad field, never a value.
 */
export function storableBinding(binding: CredentialBinding | undefined): CredentialBinding {
  const input = BindingInput.safeParse(binding)
  if (!input.success) {
    const fields = describeIssues(input.error.issues, 'keychain-entry', { whole: 'binding' })
    throw new TokendeckError(
      'INVALID_INPUT',
      `A credential's binding is not valid (${fields}); build it with bindingFor(cluster).`,
    )
  }
  const b = input.data
  return makeBinding(b.vendor, normalizeOrigin(b.origin), b.username, b)
}

/** A deep copy, so no caller holds a reference into a store. */
export function copyCredential(credential: StoredCredential): StoredCredential {
  return { ...credential, binding: { ...credential.binding } }
}

// ---------------------------------------------------------------------------------------------
// Profile secrets (audit)

/**
 * Secrets of the profile itself rather than of a cluster: the audit log's HMAC key. Account
 * `${namespace}/.${name}`, which no cluster can ever have (cluster ids never start with ".").
 */
export const PROFILE_SECRET_NAMES = ['audit-key'] as const
export type ProfileSecretName = (typeof PROFILE_SECRET_NAMES)[number]

export interface ProfileSecrets {
  getProfileSecret(name: ProfileSecretName): Promise<string | undefined>
  setProfileSecret(name: ProfileSecretName, value: string): Promise<void>
}

export function hasProfileSecrets<S extends SecretStore>(store: S): store is S & ProfileSecrets {
  const s = store as Partial<ProfileSecrets>
  return typeof s.getProfileSecret === 'function' && typeof s.setProfileSecret === 'function'
}

export function profileSecretAccount(namespace: string, name: ProfileSecretName): string {
  assertNamespace(namespace)
  if (!PROFILE_SECRET_NAMES.includes(name))
    throw new TokendeckError('INVALID_INPUT', 'Unknown profile secret.')
  return `${namespace}/.${name}`
}
