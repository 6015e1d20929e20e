/**
 * Cluster ids: a readable slug of the name the user gave plus a random suffix, e.g.
 * "Prod WEKA" → "prod-weka-7k2m9q4x".
 *
 * Ids key the keychain entries and sessions, so an id must never be handed out twice: if ids
 * came from names alone, removing "prod-weka" and adding another cluster called "Prod WEKA"
 * (perhaps from another process, perhaps for another server) would inherit whatever was still
 * stored under the old id. The random suffix (8 characters of [a-z0-9], about 41 bits from the
 * OS's CSPRNG) makes a repeat practically impossible, across processes and over time, without
 * any shared counter. The slug keeps ids recognisable in the config file, keychain account names
 * and logs. Ids never change after creation, even when the cluster is renamed.
 *
 * Ids written by earlier versions (plain slugs such as "prod-weka") stay valid and keep working.
 */
import { randomBytes } from 'node:crypto'
import { ClusterId } from '../../../shared/model'

const MAX_ID_LENGTH = 64
const SUFFIX_LENGTH = 8
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** Lower-case ASCII slug of a name: accents dropped, every other run of non-alphanumerics → '-'. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** `length` characters of [a-z0-9], uniformly distributed (no modulo bias), from crypto. */
export function randomSuffix(length = SUFFIX_LENGTH): string {
  // 252 = 7 × 36: bytes at or above it are dropped so every character is equally likely.
  const limit = 252
  let out = ''
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += ALPHABET[byte % ALPHABET.length]
      if (out.length === length) break
    }
  }
  return out
}

/**
 * A new id for a cluster called `name`: `<slug>-<random>`. `fallback` (the vendor) is the stem
 * when the name has no ASCII letters or digits at all (e.g. "生产"), so every name yields a valid
 * id. `taken` (the ids in the file now) is checked anyway, so even a once-in-2^41 collision
 * cannot give two clusters one id.
 */
export function newClusterId(
  name: string,
  fallback: string,
  taken: ReadonlySet<string> = new Set(),
  random: () => string = randomSuffix,
): string {
  for (;;) {
    const suffix = `-${random()}`
    const base = slugify(name) || slugify(fallback) || 'cluster'
    // Trim the stem, not the suffix, so long names still get ids within 64 characters.
    const stem = base.slice(0, MAX_ID_LENGTH - suffix.length).replace(/-+$/, '')
    const id = `${stem}${suffix}`
    if (!taken.has(id) && ClusterId.safeParse(id).success) return id
  }
}
