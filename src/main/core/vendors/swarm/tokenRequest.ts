/**
 * What a "create token" request sends (docs/protocols/swarm.md §2.1): the token's metadata rides
 * in `X-…-Meta` headers, so every value is checked here against what a header may hold before
 * anything is sent. Kept apart from the client because these are Swarm's metadata rules, not
 * the session flow.
 */
import { TokendeckError } from '../../../../shared/errors'
import type { CreateTokenRequest } from '../vendor'
import { generateS3Secret, type RandomBytes } from './s3Secret'
import { S3_MARK_HEADER } from './tokenHandles'

/** Printable 7-bit ASCII: what a metadata header value may safely hold (docs/protocols/swarm.md §2.1 DOC). */
const HEADER_TEXT = /^[\x20-\x7e]+$/

export interface TokenRequest {
  /** The caller's auth headers plus the token's metadata. */
  headers: Record<string, string>
  /** When the token should expire, if a lifetime was asked for. */
  requestedExpiry: number | undefined
  owner: string | undefined
  description: string | undefined
  /** The S3 secret we chose, when an S3 token was asked for: shown once, never kept. */
  secret: string | undefined
}

export interface TokenRequestParts {
  now: () => number
  randomBytes: RandomBytes | undefined
  /** Whether `owner` is the signed-in user (then X-Owner-Meta is not sent). */
  namesCaller: (owner: string) => Promise<boolean>
}

export async function tokenRequest(
  authHeaders: Record<string, string>,
  request: CreateTokenRequest,
  parts: TokenRequestParts,
): Promise<TokenRequest> {
  const headers = { ...authHeaders }
  let requestedExpiry: number | undefined
  if (request.expiresIn === 'never') {
    throw new TokendeckError(
      'UNSUPPORTED',
      'Swarm tokens always expire (their lifepoint deletes them); choose a lifetime.',
    )
  }
  if (request.expiresIn !== undefined) {
    if (!Number.isFinite(request.expiresIn) || request.expiresIn <= 0) {
      throw new TokendeckError(
        'INVALID_INPUT',
        'A token lifetime must be a positive number of seconds.',
      )
    }
    requestedExpiry = parts.now() + Math.round(request.expiresIn * 1000)
    // docs/protocols/swarm.md §2.5 DESIGN: the client always sends ISO 8601 UTC.
    headers['x-user-token-expires-meta'] = isoUtc(requestedExpiry)
  }
  const owner = request.owner?.trim()
  if (owner !== undefined && owner !== '') {
    if (!HEADER_TEXT.test(owner) || owner.length > 256) {
      throw new TokendeckError(
        'INVALID_INPUT',
        'The owner must be a Swarm user name of printable ASCII characters.',
      )
    }
    // docs/protocols/swarm.md §2.1 DOC: only the token administrator may send X-Owner-Meta,
    // and anyone else "gets an error" — even when the name is their own. The default owner is
    // the caller, so the header goes out only when the token is for someone else (a rotation
    // passes the old owner, who is usually the caller). Sent as given: a qualified name
    // (name+tenant, name@domain) is exact; the Gateway resolves the rest.
    if (!(await parts.namesCaller(owner))) headers['x-owner-meta'] = owner
  }
  const description = request.description?.trim()
  if (description !== undefined && description !== '') {
    if (!HEADER_TEXT.test(description) || description.length > 256) {
      throw new TokendeckError(
        'INVALID_INPUT',
        'A Swarm token description must be at most 256 printable ASCII characters (Swarm metadata rules).',
      )
    }
    // docs/protocols/swarm.md §2.1 DOC: X-Custom-Meta-Source is shown as the Description.
    headers['x-custom-meta-source'] = description
  }
  let secret: string | undefined
  if (request.s3Secret) {
    // docs/protocols/swarm.md §2.1 DOC+CODE: the client chooses the S3 secret; 64 alphanumerics.
    secret = generateS3Secret(parts.randomBytes)
    headers['x-user-secret-key-meta'] = secret
    headers[S3_MARK_HEADER] = 'true'
  }
  return { headers, requestedExpiry, owner, description, secret }
}

/** docs/protocols/swarm.md §2.5 DESIGN: ISO 8601 UTC, e.g. 2025-01-01T00:00:00.000Z. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString()
}
