import { randomBytes } from 'node:crypto'
import { apiIdentity } from './identities'
import { formatRfc3339, formatRfc3339Nanos } from './time'
import type { AccessTokenRecord, QumuloPrincipal } from './types'

/** Access tokens: minting ids and bearer strings (docs/protocols/qumulo.md §3.5), metadata, paging (docs/protocols/qumulo.md §3.3). */

const TWO_64 = 1n << 64n
/** The high half of the one public example id (docs/protocols/qumulo.md §3.5 INF), used when the creator's auth_id does not fit. */
const SAMPLE_HIGH = 1031n

/**
 * docs/protocols/qumulo.md §3.5 INF: id = high·2^64 + low64, the high half seemingly the creator's auth_id.
 * The id must stay a 22–23 digit decimal (docs/protocols/qumulo.md §3.2 DOC), i.e. high in 55..5420; otherwise use the
 * sample's high half.
 */
function highHalf(creatorAuthId: string): bigint {
  const n = /^\d+$/.test(creatorAuthId) ? BigInt(creatorAuthId) : 0n
  return n >= 55n && n <= 5420n ? n : SAMPLE_HIGH
}

export interface MintInput {
  userAuthId: string
  creatorAuthId: string
  now: number
  expiresAt: number | null
  enabled?: boolean
}

/** A new token; `taken` is consulted so ids never collide. */
export function mintAccessToken(
  input: MintInput,
  taken: (id: string) => boolean,
): AccessTokenRecord {
  const high = highHalf(input.creatorAuthId)
  let low: bigint
  let id: string
  do {
    low = randomBytes(8).readBigUInt64LE()
    id = (high * TWO_64 + low).toString()
  } while (taken(id))
  const createdNanos = randomBytes(4).readUInt32LE() % 1_000_000
  // docs/protocols/qumulo.md §3.5 INF layout: 32 B secret | u32 version=1 | u64 high | u64 low | i64 unix s | u32 ns.
  const raw = Buffer.alloc(64)
  randomBytes(32).copy(raw, 0)
  raw.writeUInt32LE(1, 32)
  raw.writeBigUInt64LE(high, 36)
  raw.writeBigUInt64LE(low, 44)
  raw.writeBigInt64LE(BigInt(Math.floor(input.now / 1000)), 52)
  raw.writeUInt32LE((((input.now % 1000) + 1000) % 1000) * 1_000_000 + createdNanos, 60)
  return {
    id,
    userAuthId: input.userAuthId,
    creatorAuthId: input.creatorAuthId,
    createdAt: input.now,
    createdNanos,
    expiresAt: input.expiresAt,
    enabled: input.enabled ?? true,
    bearerToken: `access-v1:${raw.toString('base64')}`,
  }
}

/** Does the token authenticate at `now`? docs/protocols/qumulo.md §3.4 DOC: not when expired, disabled or deleted. */
export function tokenUsable(t: AccessTokenRecord, now: number): boolean {
  return t.enabled && (t.expiresAt === null || now < t.expiresAt)
}

/** `api_access_token_metadata`, docs/protocols/qumulo.md §3.2 DOC; never carries the bearer token. */
export function tokenMetadata(
  t: AccessTokenRecord,
  principal: (authId: string) => QumuloPrincipal | undefined,
) {
  return {
    id: t.id,
    user: identityOrStub(t.userAuthId, principal),
    creator: identityOrStub(t.creatorAuthId, principal),
    creation_time: formatRfc3339Nanos(t.createdAt, t.createdNanos),
    // docs/protocols/qumulo.md §3.2 INF: "never" is sent as null (key present).
    expiration_time: t.expiresAt === null ? null : formatRfc3339(t.expiresAt),
    enabled: t.enabled,
  }
}

/** A principal a test removed still shows up by auth_id, as a cluster shows an unresolvable id. */
function identityOrStub(
  authId: string,
  principal: (authId: string) => QumuloPrincipal | undefined,
) {
  const p = principal(authId)
  return p
    ? apiIdentity(p)
    : { domain: 'API_INVALID_DOMAIN', auth_id: authId, uid: null, gid: null, sid: '', name: '' }
}

/** Sort key: ids are numbers too large for a double (docs/protocols/qumulo.md §3.2), so compare as BigInt. */
const byId = (a: AccessTokenRecord, b: AccessTokenRecord) => {
  const x = BigInt(a.id)
  const y = BigInt(b.id)
  return x < y ? -1 : x > y ? 1 : 0
}

/** One page of tokens in id order, after the `after` key (docs/protocols/qumulo.md §3.3 DOC). */
export function pageOfTokens(
  tokens: Iterable<AccessTokenRecord>,
  opts: { userAuthId?: string; after?: string; limit: number },
): { entries: AccessTokenRecord[]; more: boolean } {
  const after = opts.after !== undefined ? BigInt(opts.after) : undefined
  const all = [...tokens]
    .filter((t) => opts.userAuthId === undefined || t.userAuthId === opts.userAuthId)
    .filter((t) => after === undefined || BigInt(t.id) > after)
    .sort(byId)
  return { entries: all.slice(0, opts.limit), more: all.length > opts.limit }
}
