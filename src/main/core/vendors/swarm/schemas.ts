/**
 * Wire shapes of the Swarm Content Gateway token path, and the small parsers around them.
 * Everything here is pure (no I/O) so it can be checked in isolation.
 */
import { z } from 'zod'

/**
 * One entry of `GET {tokenPath}?format=json` (docs/protocols/swarm.md §2.3 CODE): a Swarm object listing,
 * metadata header names lowercased with `-` → `_`. Unknown fields pass through (`looseObject`)
 * so custom metadata does not break the parse; we only ever read the fields named here.
 */
export const ListedToken = z.looseObject({
  name: z.string().min(1),
  last_modified: z.string().optional(),
  lifepoint: z.string().optional(),
  x_owner_meta: z.string().optional(),
  x_custom_meta_source: z.string().optional(),
  /**
   * docs/protocols/swarm.md §2.3, docs/protocols/swarm.md §9.4: whether a listing shows the S3 secret is unknown. If a Gateway does,
   * only its presence is read (→ hasS3Secret); the value is never copied anywhere.
   */
  x_user_secret_key_meta: z.unknown().optional(),
  /** A boolean S3 flag, as the Management API listing carries it (docs/protocols/swarm.md §3 DESIGN). */
  s3: z.boolean().optional(),
})
export type ListedToken = z.infer<typeof ListedToken>

export const TokenListing = z.array(ListedToken)

/**
 * The expiry of a lifepoint: `[<RFC 1123 date>] reps=2, [] delete` → epoch ms (docs/protocols/swarm.md §2.3:
 * the first bracket is the expiry; JASMIN parses only that). `[]` (no date) → `null`, i.e. the
 * first lifepoint never ends; anything unreadable → `undefined`.
 */
export function lifepointExpiry(lifepoint: string | undefined): number | null | undefined {
  if (lifepoint === undefined) return undefined
  const m = /^\s*\[([^\]]*)\]/.exec(lifepoint)
  if (!m) return undefined
  const inside = (m[1] ?? '').trim()
  if (inside === '') return null
  const at = Date.parse(inside)
  return Number.isNaN(at) ? undefined : at
}

/** `last_modified` (ISO 8601, docs/protocols/swarm.md §2.3) → epoch ms, or undefined. */
export function parseTimestamp(s: string | undefined): number | undefined {
  if (s === undefined) return undefined
  const at = Date.parse(s)
  return Number.isNaN(at) ? undefined : at
}

/**
 * The token a `POST {tokenPath}` issued: the `Gateway-Token` header with `setcookie=false`
 * (docs/protocols/swarm.md §2.1 DOC), else the second whitespace-separated word of the 201 plain-text body
 * (docs/protocols/swarm.md §2.1 CODE: four independent clients parse it so).
 */
export function issuedToken(
  gatewayToken: string | string[] | undefined,
  body: string,
): string | undefined {
  const fromHeader = (Array.isArray(gatewayToken) ? gatewayToken[0] : gatewayToken)?.trim()
  const candidate =
    fromHeader !== undefined && fromHeader !== '' ? fromHeader : body.trim().split(/\s+/)[1]
  return candidate !== undefined && isTokenValue(candidate) ? candidate : undefined
}

/**
 * A value we are willing to put in a `Cookie: token=…` header: RFC 6265 cookie-octets only, of a
 * sane length. Observed ids are 32 lowercase hex (docs/protocols/swarm.md §2.1 CODE); we do not insist on that,
 * but nothing that could split or inject a header gets through.
 */
export function isTokenValue(s: string): boolean {
  return s.length >= 8 && s.length <= 512 && /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/.test(s)
}

/**
 * Whether a reply's Set-Cookie deletes the named cookie (empty value, Max-Age=0 or an Expires in
 * the past): what Gateway sends when an expired token made the request anonymous (docs/protocols/swarm.md §2.2
 * DOC).
 */
export function clearsCookie(
  setCookie: string | string[] | undefined,
  name: string,
  now: number,
): boolean {
  const all = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]
  return all.some((c) => {
    const [pair = '', ...attrs] = c.split(';')
    const eq = pair.indexOf('=')
    if (eq < 0 || pair.slice(0, eq).trim() !== name) return false
    if (pair.slice(eq + 1).trim() === '') return true
    return attrs.some((a) => {
      const [k = '', v = ''] = a.split('=').map((x) => x.trim())
      if (k.toLowerCase() === 'max-age') return Number(v) <= 0
      if (k.toLowerCase() === 'expires') {
        const at = Date.parse(a.slice(a.indexOf('=') + 1).trim())
        return !Number.isNaN(at) && at <= now
      }
      return false
    })
  })
}
