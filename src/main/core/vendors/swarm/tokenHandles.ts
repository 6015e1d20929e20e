/**
 * How a Swarm token maps to what Tokendeck shows. The token id is the bearer secret itself
 * (docs/protocols/swarm.md §2.1), so it never leaves main as an id: lists carry a handle, and a
 * listing entry becomes a TokenSummary under that handle. Kept apart from the client so the one
 * rule "no token as an id" lives in one place (the CLI, the kept S3 keys and their tests use it).
 */
import { createHash } from 'node:crypto'
import type { TokenSummary } from '../../../../shared/model'
import { lifepointExpiry, parseTimestamp, type ListedToken } from './schemas'

/**
 * Custom metadata Tokendeck adds to the S3 tokens it mints. Listings do not say whether a token
 * has an S3 secret (docs/protocols/swarm.md §2.3, docs/protocols/swarm.md §9.4), but
 * `X-Custom-Meta-*` is stored and listed as `x_custom_meta_*` (docs/protocols/swarm.md §2.1 DOC,
 * docs/protocols/swarm.md §2.3 CODE), so our own S3 tokens are recognisable later.
 */
export const S3_MARK_HEADER = 'x-custom-meta-tokendeck-s3'
const S3_MARK_FIELD = 'x_custom_meta_tokendeck_s3'

/**
 * A token's handle: the first six characters, for recognition, and a hash that tells tokens
 * apart. Revoking by handle finds the token again in a fresh listing.
 */
export function tokenHandle(token: string): string {
  return `${token.slice(0, 6)}..${createHash('sha256').update(token).digest('hex').slice(0, 10)}`
}

const HANDLE = /^[^.]{1,6}\.\.[0-9a-f]{10}$/

/** Whether an id is a handle (to look up in a listing) rather than a token. */
export function isTokenHandle(id: string): boolean {
  return HANDLE.test(id)
}

/** The expiry a listing entry's lifepoint gives, if any (docs/protocols/swarm.md §2.3). */
export function ownExpiry(own: ListedToken | undefined): number | undefined {
  return lifepointExpiry(own?.lifepoint) ?? undefined
}

/** One listing entry as the model shows it, under its handle. */
export function summaryOf(r: ListedToken, isCurrentSession = false): TokenSummary {
  const createdAt = parseTimestamp(r.last_modified)
  const expiresAt = lifepointExpiry(r.lifepoint) ?? undefined
  const mark = r[S3_MARK_FIELD]
  const hasS3Secret =
    r.x_user_secret_key_meta !== undefined || r.s3 === true || mark === 'true'
      ? true
      : r.s3 === false
        ? false
        : undefined
  return {
    id: tokenHandle(r.name),
    owner: r.x_owner_meta ?? '',
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    ...(r.x_custom_meta_source !== undefined ? { description: r.x_custom_meta_source } : {}),
    ...(hasS3Secret !== undefined ? { hasS3Secret } : {}),
    ...(isCurrentSession ? { isCurrentSession: true } : {}),
  }
}
