/**
 * S3 secrets for Swarm tokens. The client chooses the secret, the Gateway only stores it
 * (docs/protocols/swarm.md §2.1 DOC "X-User-Secret-Key-Meta"); every public client uses 64 random characters
 * and JASMIN dropped punctuation, so: 64 alphanumerics (docs/protocols/swarm.md §2.1 CODE).
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto'

export const S3_SECRET_LENGTH = 64
export const S3_SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export type RandomBytes = (size: number) => Uint8Array

/**
 * `length` characters drawn uniformly from the 62 alphanumerics. Rejection sampling: bytes at or
 * above 248 (= 4 × 62) are thrown away, so `byte % 62` is unbiased.
 */
export function generateS3Secret(
  randomBytes: RandomBytes = nodeRandomBytes,
  length = S3_SECRET_LENGTH,
): string {
  const n = S3_SECRET_ALPHABET.length
  const limit = 256 - (256 % n)
  let out = ''
  // Each byte is kept with probability 248/256; ask for a little more than needed each round.
  for (let rounds = 0; out.length < length; rounds++) {
    if (rounds > 1000) throw new Error('The random source returns no usable bytes.')
    const bytes = randomBytes(Math.ceil((length - out.length) * 1.1) + 4)
    for (const b of bytes) {
      if (b >= limit) continue
      out += S3_SECRET_ALPHABET[b % n]
      if (out.length === length) break
    }
  }
  return out
}
