/**
 * Kept S3 keys (opt-in, Swarm): the one kind of secret Tokendeck keeps besides a cluster's
 * sign-in, so `tokendeck s3 credential-process` can hand it to the AWS CLI and SDKs.
 *
 * One keychain entry per key, beside the cluster's sign-in and under the same namespace:
 *   account  `${namespace}/${clusterId}/s3key/${tokenId}`  (the key's handle: its token's listed
 *            id; cluster ids and handles never hold "/" or "#", so no account of one kind can
 *            name an entry of another)
 *   value    `{"v":1,"kind":"s3-secret-key","for":{binding…,"accessKeyId","tokenId"},"secret":"…"}`
 * The account is named by the handle, never the access key id: on Swarm the access key id is the
 * token itself (docs/protocols/swarm.md §2.1), and account names are not secret (any keychain
 * browser lists them). The access key id lives only inside the envelope, beside the secret.
 * The envelope is bound like a sign-in (vendor, origin, user, tenant/domain) AND to the key it is
 * (access key id, token id): an entry found under an account that names another key, or bound
 * to another cluster, is never handed out.
 *
 * Earlier versions named the account by the access key id (`…/${clusterId}/s3/${accessKeyId}`);
 * those entries are read and deleted only to move them (core/s3keys/legacyKeys.ts).
 *
 * The non-secret facts (which keys exist, expiry) live in
 * the data directory (core/s3keys/keptKeyIndex.ts), so listing never reads a secret — and never
 * needs keytar's listing call (findCredentials; secretStore.ts says why that is banned).
 */
import { z } from 'zod'
import { TokendeckError } from '../../../shared/errors'
import { describeIssues } from '../../../shared/validation/describeIssues'
import { AccessKeyId, S3KeyHandle } from '../../../shared/model'
import {
  assertStorableSecret,
  CredentialBindingSchema,
  credentialAccount,
  normalizeOrigin,
  storableBinding,
  type CredentialBinding,
} from './secretStore'

export const S3_KEY_KIND = 's3-secret-key'

/** A kept S3 key as the stores hold it. */
export interface StoredS3Key {
  accessKeyId: string
  /** The token the key belongs to (on Swarm the same string as the access key id). */
  tokenId: string
  secretAccessKey: string
  binding: CredentialBinding
}

/**
 * What a store that can keep S3 keys offers (the keychain, memory, the switchable store). A key
 * is named by its handle (`tokenId`); the legacy pair reads and deletes entries an earlier
 * version named by access key id, for the one-time move (core/s3keys/legacyKeys.ts).
 */
export interface S3KeySecrets {
  getS3Key(clusterId: string, tokenId: string): Promise<StoredS3Key | undefined>
  setS3Key(clusterId: string, key: StoredS3Key): Promise<void>
  deleteS3Key(clusterId: string, tokenId: string): Promise<boolean>
  getLegacyS3Key(clusterId: string, accessKeyId: string): Promise<StoredS3Key | undefined>
  deleteLegacyS3Key(clusterId: string, accessKeyId: string): Promise<boolean>
}

export function hasS3KeySecrets<S extends object>(store: S): store is S & S3KeySecrets {
  const s = store as Partial<S3KeySecrets>
  return (
    typeof s.getS3Key === 'function' &&
    typeof s.setS3Key === 'function' &&
    typeof s.deleteS3Key === 'function' &&
    typeof s.getLegacyS3Key === 'function' &&
    typeof s.deleteLegacyS3Key === 'function'
  )
}

const TokenId = S3KeyHandle

export function assertS3KeyHandle(tokenId: string): void {
  if (!S3KeyHandle.safeParse(tokenId).success)
    throw new TokendeckError(
      'INVALID_INPUT',
      'A kept S3 key is named by its token’s listed id: 1–128 of A–Z, a–z, 0–9, ".", "_" and "-".',
    )
}

export function assertAccessKeyId(accessKeyId: string): void {
  if (!AccessKeyId.safeParse(accessKeyId).success)
    throw new TokendeckError(
      'INVALID_INPUT',
      'An S3 access key id is 1–128 of A–Z, a–z, 0–9, ".", "_" and "-".',
    )
}

/** The keychain account of a kept key, by its handle. Throws INVALID_INPUT for a malformed one. */
export function s3KeyAccount(namespace: string, clusterId: string, tokenId: string): string {
  assertS3KeyHandle(tokenId)
  return `${credentialAccount(namespace, clusterId)}/s3key/${tokenId}`
}

/** The account an earlier version used, named by the access key id (read only to move it). */
export function legacyS3KeyAccount(
  namespace: string,
  clusterId: string,
  accessKeyId: string,
): string {
  assertAccessKeyId(accessKeyId)
  return `${credentialAccount(namespace, clusterId)}/s3/${accessKeyId}`
}

/** Words for a kept key in a message: its handle, never its access key id or value. */
export function describeS3Key(clusterId: string, tokenId: string): string {
  return `the kept S3 key ${tokenId} of cluster "${clusterId}"`
}

/** Words for an entry an earlier version wrote: no id at all (it was the access key id). */
export function describeLegacyS3Key(clusterId: string): string {
  return `a kept S3 key of cluster "${clusterId}" saved by an earlier version`
}

/** Validates a key before it is stored; returns a clean copy (binding normalised). */
export function storableS3Key(key: StoredS3Key): StoredS3Key {
  assertAccessKeyId(key.accessKeyId)
  if (!TokenId.safeParse(key.tokenId).success)
    throw new TokendeckError('INVALID_INPUT', 'A kept S3 key needs the listed id of its token.')
  assertStorableSecret(key.secretAccessKey)
  // The binding rules of a sign-in apply as they are.
  return { ...key, binding: storableBinding(key.binding) }
}

const S3KeyEnvelope = z.strictObject({
  v: z.literal(1),
  kind: z.literal(S3_KEY_KIND),
  for: CredentialBindingSchema.extend({ accessKeyId: AccessKeyId, tokenId: TokenId }).strict(),
  secret: z.string().min(1),
})

export function encodeS3Key(key: StoredS3Key): string {
  const b = key.binding
  return JSON.stringify({
    v: 1,
    kind: S3_KEY_KIND,
    for: {
      vendor: b.vendor,
      origin: normalizeOrigin(b.origin),
      username: b.username,
      ...(b.org !== undefined ? { org: b.org } : {}),
      ...(b.tenant !== undefined ? { tenant: b.tenant } : {}),
      ...(b.domain !== undefined ? { domain: b.domain } : {}),
      accessKeyId: key.accessKeyId,
      tokenId: key.tokenId,
    },
    secret: key.secretAccessKey,
  })
}

/**
 * Reads a kept key's envelope. Throws CONFIG_CORRUPT (never quoting the stored text: it holds
 * the secret) when it is not one, or when it names another key than the account it sits under
 * (`expected`: the handle of the account, or the access key id of an earlier version's account).
 */
export function decodeS3Key(
  stored: string,
  expected: { tokenId: string } | { accessKeyId: string },
  what: string,
): StoredS3Key {
  const again = 'Forget it (tokendeck s3 forget) and keep a new key.'
  let json: unknown
  try {
    json = JSON.parse(stored)
  } catch {
    throw new TokendeckError(
      'CONFIG_CORRUPT',
      `The keychain entry for ${what} is not JSON. ${again}`,
    )
  }
  const parsed = S3KeyEnvelope.safeParse(json)
  if (!parsed.success) {
    const fields = describeIssues(parsed.error.issues, 'keychain-entry')
    throw new TokendeckError(
      'CONFIG_CORRUPT',
      `The keychain entry for ${what} is damaged (${fields}). ${again}`,
    )
  }
  const { accessKeyId, tokenId, ...rest } = parsed.data.for
  const named =
    'tokenId' in expected ? tokenId === expected.tokenId : accessKeyId === expected.accessKeyId
  if (!named)
    throw new TokendeckError(
      'CONFIG_CORRUPT',
      `The keychain entry for ${what} holds another key. ${again}`,
    )
  const binding: CredentialBinding = {
    vendor: rest.vendor,
    origin: rest.origin,
    username: rest.username,
  }
  if (rest.org !== undefined) binding.org = rest.org
  if (rest.tenant !== undefined) binding.tenant = rest.tenant
  if (rest.domain !== undefined) binding.domain = rest.domain
  return { accessKeyId, tokenId, secretAccessKey: parsed.data.secret, binding }
}
