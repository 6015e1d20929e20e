/**
 * Splitting secrets across several keychain entries. Windows Credential Manager caps an entry's
 * blob at 2,560 bytes (CRED_MAX_CREDENTIAL_BLOB_SIZE) and some tokens (JWTs with many claims)
 * are larger. We split on every platform so the same code path is exercised by the Linux tests.
 *
 * Layout: the secret's own account holds a short header
 *   `tokendeck-chunked:v1:<parts>:<first 16 hex of sha256(value)>`
 * and `${account}#<digest>.1` … `${account}#<digest>.<parts>` hold the pieces in order
 * (generationPartAccount); entries written before profiles used `${account}#1` … (partAccount).
 */
import { createHash } from 'node:crypto'
import { TokendeckError } from '../../../shared/errors'

export const CHUNK_HEADER_PREFIX = 'tokendeck-chunked:'
/** Windows Credential Manager's limit for one entry's blob. */
export const MAX_ENTRY_BYTES = 2560
/**
 * Largest piece, in UTF-8 bytes. keytar writes UTF-8 verbatim (keytar_win.cc), so 2,560 would
 * do today; half of it stays under the limit even for an adapter that stores UTF-16 (as
 * keyring-rs / @napi-rs/keyring do), since UTF-16 never takes more than twice the UTF-8 bytes.
 */
export const MAX_PART_BYTES = MAX_ENTRY_BYTES / 2

const HEADER = /^tokendeck-chunked:v1:([1-9][0-9]{0,3}):([0-9a-f]{16})$/

export interface ChunkHeader {
  parts: number
  digest: string
}

function digestOf(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16)
}

/**
 * Whether a value must be split. A value that itself looks like a header is split too, so what
 * sits in the main account is never ambiguous.
 */
export function needsChunking(value: string): boolean {
  return Buffer.byteLength(value, 'utf8') > MAX_PART_BYTES || value.startsWith(CHUNK_HEADER_PREFIX)
}

/** Splits into pieces of at most `maxBytes` UTF-8 bytes without cutting a character in two. */
export function splitUtf8(value: string, maxBytes: number = MAX_PART_BYTES): string[] {
  if (maxBytes < 4) throw new RangeError('maxBytes must fit any UTF-8 character (4 bytes)')
  const bytes = Buffer.from(value, 'utf8')
  const parts: string[] = []
  let start = 0
  while (start < bytes.length) {
    let end = Math.min(start + maxBytes, bytes.length)
    // Back up over continuation bytes (10xxxxxx) so the cut falls before a character's lead byte.
    while (end < bytes.length && (bytes.readUInt8(end) & 0xc0) === 0x80) end--
    parts.push(bytes.subarray(start, end).toString('utf8'))
    start = end
  }
  return parts
}

export function chunkHeader(parts: number, value: string): string {
  return `${CHUNK_HEADER_PREFIX}v1:${parts}:${digestOf(value)}`
}

/**
 * The header in a stored value: undefined for a plain secret, 'malformed' for something that
 * claims to be a header but is not one this version can read.
 */
export function parseChunkHeader(stored: string): ChunkHeader | 'malformed' | undefined {
  if (!stored.startsWith(CHUNK_HEADER_PREFIX)) return undefined
  const m = HEADER.exec(stored)
  if (m?.[1] === undefined || m[2] === undefined) return 'malformed'
  return { parts: Number(m[1]), digest: m[2] }
}

/** Where piece `part` of a split secret lives in the legacy layout (before profiles). */
export function partAccount(account: string, part: number): string {
  return `${account}#${part}`
}

/**
 * Where piece `part` of a split credential lives (namespaced layout): the pieces are named after
 * the value's digest, so rewriting an entry never overwrites the pieces its current header points
 * to. A reader in another process that read the old header still finds the old pieces; the writer
 * deletes them only after the new header is in place, and a reader that then misses one reads the
 * header again (keytarStore.ts).
 */
export function generationPartAccount(account: string, header: ChunkHeader, part: number): string {
  return `${account}#${header.digest}.${part}`
}

/**
 * Reassembles and verifies a split secret. `what` names it for the user (never its value).
 * Throws CONFIG_CORRUPT: the fix is to sign in (or store the secret) again, which overwrites it.
 */
export function joinParts(
  header: ChunkHeader | 'malformed',
  parts: ReadonlyArray<string | undefined>,
  what: string,
): string {
  const again = 'Sign in again (or store it again) to replace it.'
  if (header === 'malformed') {
    throw new TokendeckError(
      'CONFIG_CORRUPT',
      `The keychain entry for ${what} is in a format this version cannot read. ${again}`,
    )
  }
  const missing = parts.findIndex((p) => p === undefined)
  if (missing >= 0 || parts.length < header.parts) {
    const n = missing >= 0 ? missing + 1 : parts.length + 1
    throw new TokendeckError(
      'CONFIG_CORRUPT',
      `The keychain holds ${what} only in part: piece ${n} of ${header.parts} is missing. ${again}`,
    )
  }
  const value = parts.slice(0, header.parts).join('')
  if (digestOf(value) !== header.digest) {
    throw new TokendeckError(
      'CONFIG_CORRUPT',
      `The pieces of ${what} in the keychain do not fit together. ${again}`,
    )
  }
  return value
}
