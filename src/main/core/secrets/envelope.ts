/**
 * What a keychain entry holds: one JSON envelope per cluster,
 *   {"v":1,"kind":"refresh-token","for":{"vendor":"weka","origin":"https://weka01:14000","username":"admin"},"secret":"…"}
 * so the credential travels with what it was issued for. Read strictly (zod): an unknown field,
 * a missing one, an origin that is not normalised or another version is CONFIG_CORRUPT with a
 * message naming the cluster and the field, never the value.
 */
import { z } from 'zod'
import { TokendeckError } from '../../../shared/errors'
import { describeIssues } from '../../../shared/validation/describeIssues'
import {
  CredentialBindingSchema,
  CredentialKindSchema,
  type CredentialBinding,
  type StoredCredential,
} from './secretStore'

export const ENVELOPE_VERSION = 1

const EnvelopeV1 = z.strictObject({
  v: z.literal(ENVELOPE_VERSION),
  kind: CredentialKindSchema,
  for: CredentialBindingSchema,
  secret: z.string().min(1),
})

/** The envelope of a credential that storableCredential() has already checked. */
export function encodeEnvelope(credential: StoredCredential): string {
  const b = credential.binding
  // Fields in a fixed order, optional ones only when present.
  const binding: CredentialBinding = {
    vendor: b.vendor,
    origin: b.origin,
    username: b.username,
    ...(b.org !== undefined ? { org: b.org } : {}),
    ...(b.tenant !== undefined ? { tenant: b.tenant } : {}),
    ...(b.domain !== undefined ? { domain: b.domain } : {}),
  }
  return JSON.stringify({
    v: ENVELOPE_VERSION,
    kind: credential.kind,
    for: binding,
    secret: credential.value,
  })
}

const AGAIN = 'Sign in to the cluster again to replace it.'

/**
 * Reads an envelope. `what` names the entry for the user (e.g. 'the stored sign-in of cluster
 * "prod"'). Throws CONFIG_CORRUPT without quoting the stored text: it holds the secret.
 */
export function decodeEnvelope(stored: string, what: string): StoredCredential {
  let json: unknown
  try {
    json = JSON.parse(stored)
  } catch {
    // JSON.parse's message quotes the input: never pass it on.
    throw new TokendeckError(
      'CONFIG_CORRUPT',
      `The keychain entry for ${what} is not a Tokendeck credential (it is not JSON). ${AGAIN}`,
    )
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new TokendeckError(
      'CONFIG_CORRUPT',
      `The keychain entry for ${what} is not a Tokendeck credential (not a JSON object). ${AGAIN}`,
    )
  }
  const version = (json as { v?: unknown }).v
  if (version !== ENVELOPE_VERSION) {
    const which =
      typeof version === 'number' && Number.isSafeInteger(version)
        ? `format version ${version}, probably written by a newer Tokendeck`
        : 'no format version'
    throw new TokendeckError(
      'CONFIG_CORRUPT',
      `The keychain entry for ${what} has ${which}; this version reads only version ${ENVELOPE_VERSION}. Update Tokendeck, or sign in to the cluster again to replace it.`,
    )
  }
  const parsed = EnvelopeV1.safeParse(json)
  if (!parsed.success) {
    // Paths only (field names of our own schema); an unknown key's name is not repeated.
    const fields = describeIssues(parsed.error.issues, 'keychain-entry')
    throw new TokendeckError(
      'CONFIG_CORRUPT',
      `The keychain entry for ${what} is damaged (${fields}). ${AGAIN}`,
    )
  }
  const e = parsed.data
  const binding: CredentialBinding = {
    vendor: e.for.vendor,
    origin: e.for.origin,
    username: e.for.username,
  }
  if (e.for.org !== undefined) binding.org = e.for.org
  if (e.for.tenant !== undefined) binding.tenant = e.for.tenant
  if (e.for.domain !== undefined) binding.domain = e.for.domain
  return { kind: e.kind, value: e.secret, binding }
}
