/**
 * Qumulo wire shapes (zod) and the small pure helpers around them: lossless JSON for 23-digit
 * token ids, RFC 3339 in and out, and qq's identity-string grammar. Section numbers (§) refer to
 * docs/protocols/qumulo.md.
 */
import { z } from 'zod'
import { parseJson, type HttpResponse } from '../../http'
import { QumuloBearerToken } from '../tokenText'

// ---------------------------------------------------------------------------------------------
// Lossless JSON

/**
 * docs/protocols/qumulo.md §3.2 DOC: token ids are 22–23 digit decimals, larger than 2^64, and JSON.parse would round a
 * bare number (Node 20 has no JSON.parse source-text access). The documented wire form is a
 * string, but a cluster (or proxy) that sends a bare number must not silently give us a wrong
 * id, so before parsing every bare integer literal too long to be exact as a double is wrapped
 * in quotes. Strings are skipped (with their escapes); decimals and exponents are left alone.
 */
export function quoteUnsafeIntegers(text: string): string {
  let out = ''
  let last = 0
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 0x22 /* " */) {
      i++
      while (i < n) {
        const d = text.charCodeAt(i)
        if (d === 0x5c /* \ */) i += 2
        else if (d === 0x22) {
          i++
          break
        } else i++
      }
      continue
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i
      if (c === 0x2d) i++
      while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++
      const digitsEnd = i
      while (i < n && /[0-9.eE+-]/.test(text[i]!)) i++
      const isInteger = i === digitsEnd
      const literal = text.slice(start, i)
      const digits = literal.replace('-', '')
      // 15 digits are always exact in a double; longer integers may not be.
      if (isInteger && digits.length > 15) {
        out += text.slice(last, start) + `"${literal}"`
        last = i
      }
      continue
    }
    i++
  }
  return last === 0 ? text : out + text.slice(last)
}

/** ClusterHttp's parseJson (BAD_RESPONSE naming the endpoint), after the lossless pre-pass. */
export function parseQumuloJson<S extends z.ZodType>(res: HttpResponse, schema: S): z.output<S> {
  const text = res.body.toString('utf8')
  const safe = quoteUnsafeIntegers(text)
  return parseJson(safe === text ? res : { ...res, body: Buffer.from(safe, 'utf8') }, schema)
}

/** A decimal id (token id, auth_id) as a string, whether the wire sent a string or a number. */
const IdString = z
  .union([z.string().min(1).max(64), z.number().int().nonnegative()])
  .transform((v) => (typeof v === 'string' ? v : String(v)))

/** An identity's auth_id: like IdString, but "" where the cluster could not resolve it. */
const AuthId = z
  .union([z.string().max(64), z.number().int().nonnegative()])
  .transform((v) => (typeof v === 'string' ? v : String(v)))

// ---------------------------------------------------------------------------------------------
// Time (docs/protocols/qumulo.md §3.2)

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/

/**
 * docs/protocols/qumulo.md §3.2 DOC: `creation_time` is RFC 3339 UTC with up to 9 fractional digits
 * ("2022-12-06T01:14:39.56621474Z"), which Date.parse does not promise to read. Epoch ms
 * (sub-millisecond digits dropped), or undefined.
 */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text.trim())
  if (!m) return undefined
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))
  const check = new Date(base)
  if (
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 60
  ) {
    return undefined
  }
  const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0
  const offset = sign ? (Number(oh) * 60 + Number(om)) * (sign === '-' ? -1 : 1) : 0
  return base + ms - offset * 60_000
}

/**
 * docs/protocols/qumulo.md §3.2 SDK: requests carry a tz-aware UTC time the way Python's isoformat() writes it,
 * `2024-01-20T12:00:00+00:00` (milliseconds only when there are any).
 */
export function formatRequestTime(ms: number): string {
  const iso = new Date(ms).toISOString() // YYYY-MM-DDTHH:MM:SS.mmmZ
  const whole = iso.slice(0, 19)
  const millis = iso.slice(20, 23)
  return `${whole}${millis === '000' ? '' : `.${millis}`}+00:00`
}

const Rfc3339 = z.string().transform((s, ctx) => {
  const ms = parseRfc3339(s)
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'not an RFC 3339 time' })
    return z.NEVER
  }
  return ms
})

// ---------------------------------------------------------------------------------------------
// Shapes

/** docs/protocols/qumulo.md §3.2 DOC `api_identity`: all keys on responses; uid/gid numbers, strings (Terraform) or null. */
export const ApiIdentity = z.looseObject({
  domain: z.string().nullish(),
  auth_id: AuthId.nullish(),
  uid: z.union([z.number(), z.string()]).nullish(),
  gid: z.union([z.number(), z.string()]).nullish(),
  sid: z.string().nullish(),
  name: z.string().nullish(),
})
export type ApiIdentity = z.infer<typeof ApiIdentity>

/** docs/protocols/qumulo.md §2.1 DOC: login answer. */
export const LoginResponse = z.looseObject({ bearer_token: QumuloBearerToken })

/** docs/protocols/qumulo.md §2.2 DOC: who-am-i. `access_token_id` only when the caller used an access token. */
export const WhoAmI = z.looseObject({
  id: IdString,
  name: z.string(),
  sid: z.string().nullish(),
  privileges: z.array(z.string()).default([]),
  access_token_id: IdString.nullish(),
})
export type WhoAmI = z.infer<typeof WhoAmI>

/** docs/protocols/qumulo.md §2.2 DOC: `GET /v1/session/roles` → role names. */
export const SessionRoles = z.array(z.string())

/** docs/protocols/qumulo.md §1 DOC: `GET /v1/version`. */
export const Version = z.looseObject({
  revision_id: z.string(),
  build_id: z.string().nullish(),
  flavor: z.string().nullish(),
})

/** docs/protocols/qumulo.md §1 DOC: `GET /v1/cluster/settings` → `{cluster_name}`. */
export const ClusterSettings = z.looseObject({ cluster_name: z.string().min(1).max(256) })

/** docs/protocols/qumulo.md §3.2 DOC `api_access_token_metadata`. `enabled` is absent before 5.3.3 (SDK: treat as true). */
export const TokenMetadata = z.looseObject({
  id: IdString,
  user: ApiIdentity,
  creator: ApiIdentity.nullish(),
  creation_time: Rfc3339.nullish(),
  // docs/protocols/qumulo.md §3.2 SDK Optional[str]; docs/protocols/qumulo.md §10 Q3: "never" may be null or missing.
  expiration_time: z.union([Rfc3339, z.literal('')]).nullish(),
  enabled: z.boolean().nullish(),
})
export type TokenMetadata = z.infer<typeof TokenMetadata>

/** docs/protocols/qumulo.md §3.3 SDK: `{entries, paging: {next}}`; the doc generator drops `paging`, so it is optional. */
export const TokenList = z.looseObject({
  entries: z.array(TokenMetadata),
  paging: z.looseObject({ next: z.string().nullish() }).nullish(),
})

/** docs/protocols/qumulo.md §3.1 DOC: the create answer holds only `id` and `bearer_token` (shown once). */
export const CreatedTokenResponse = z.looseObject({ id: IdString, bearer_token: QumuloBearerToken })

/** docs/protocols/qumulo.md §5 DOC `POST /v1/identity/expand`. */
export const ExpandedIdentity = z.looseObject({
  id: ApiIdentity,
  type: z.string(),
  group_ids: z.array(ApiIdentity).default([]),
})

/** docs/protocols/qumulo.md §7 DOC roles: list shape not shown — accept an array of roles or a map name → role. */
const Role = z.looseObject({
  name: z.string().optional(),
  privileges: z.array(z.string()).default([]),
})
export const RoleList = z.union([
  z.array(Role),
  z.looseObject({ entries: z.array(Role) }).transform((v) => v.entries),
  z
    .record(z.string(), Role)
    .transform((m) => Object.entries(m).map(([name, r]) => ({ ...r, name: r.name ?? name }))),
])

/** docs/protocols/qumulo.md §7 DOC role members: GET paged with after/limit; accept a bare array or `{members|entries, paging}`. */
export const RoleMembers = z.union([
  z
    .array(ApiIdentity)
    .transform((members) => ({ members, next: undefined as string | undefined | null })),
  z
    .looseObject({
      members: z.array(ApiIdentity).optional(),
      entries: z.array(ApiIdentity).optional(),
      paging: z.looseObject({ next: z.string().nullish() }).nullish(),
    })
    .transform((v) => ({ members: v.members ?? v.entries ?? [], next: v.paging?.next })),
])

/** docs/protocols/qumulo.md §4: the error envelope; read only to classify, never echoed. */
export const ErrorEnvelope = z.looseObject({
  error_class: z.string().optional(),
  description: z.string().optional(),
})

// ---------------------------------------------------------------------------------------------
// Identity strings (docs/protocols/qumulo.md §5)

/** What a request may carry as `user` (docs/protocols/qumulo.md §3.2: "any subset may be sent"). */
export interface PartialIdentity {
  domain?: string
  auth_id?: string
  uid?: number
  gid?: number
  sid?: string
  name?: string
}

export type ParsedIdentity =
  { ok: true; identity: PartialIdentity; group: boolean } | { ok: false; why: string }

const SID_PATTERN = /^S-[0-9]+-[0-9]+(-[0-9]+)+$/i

/**
 * qq's grammar (docs/protocols/qumulo.md §5 SDK-2019): `jane`, `AD\jane`, `jane@corp.example.com`, `ad:jane`,
 * `local:jane`, `ldap_user:x`, `ldap_group:g`, `world:Everyone`, `auth_id:1234` (base 0),
 * `sid:S-…` / bare `S-1-…`, `uid:1001`, `gid:2001`, `name:x`. `group` is set for the forms that
 * can only name a group (ldap_group, gid, world), which tokens never accept (docs/protocols/qumulo.md §3.4 DOC).
 */
export function parseIdentityString(raw: string): ParsedIdentity {
  const input = raw.trim()
  if (input.length === 0) return { ok: false, why: 'the user name is empty' }
  const parts = input.split(':')
  if (parts.length > 2)
    return { ok: false, why: 'a user name may hold at most one ":" (as in "local:jane")' }
  const user = (identity: PartialIdentity, group = false): ParsedIdentity => ({
    ok: true,
    identity,
    group,
  })
  if (parts.length === 1) return user(SID_PATTERN.test(input) ? { sid: input } : { name: input })
  const prefix = parts[0]!.trim().toLowerCase()
  const value = parts[1]!.trim()
  if (value.length === 0) return { ok: false, why: `nothing follows "${prefix}:"` }
  switch (prefix) {
    case 'name':
      return user({ name: value })
    case 'ad':
      return user({ domain: 'ACTIVE_DIRECTORY', name: value })
    case 'local':
      return user({ domain: 'LOCAL', name: value })
    case 'ldap_user':
      return user({ domain: 'POSIX_USER', name: value })
    case 'ldap_group':
      return user({ domain: 'POSIX_GROUP', name: value }, true)
    case 'world':
      return user({ domain: 'WORLD', name: value }, true)
    case 'sid':
      return user({ sid: value })
    case 'auth_id': {
      // docs/protocols/qumulo.md §5: parsed "with base 0, so 0x… allowed"; the wire form is a decimal string.
      if (!/^(0x[0-9a-f]+|0o[0-7]+|0b[01]+|\d+)$/i.test(value))
        return { ok: false, why: 'auth_id must be an integer' }
      return user({ auth_id: BigInt(value).toString() })
    }
    case 'uid':
    case 'gid': {
      if (!/^\d{1,15}$/.test(value)) return { ok: false, why: `${prefix} must be an integer` }
      return prefix === 'uid' ? user({ uid: Number(value) }) : user({ gid: Number(value) }, true)
    }
    default:
      return {
        ok: false,
        why: `"${prefix}:" is not a known prefix (use a plain name, DOMAIN\\name, name@domain, local:, ad:, ldap_user:, auth_id:, sid: or uid:)`,
      }
  }
}

/** How a user is shown: the cluster's name for it, else `auth_id:N`, else its SID. */
export function displayName(id: ApiIdentity | null | undefined): string {
  if (!id) return ''
  if (id.name) return id.name
  if (id.auth_id) return `auth_id:${id.auth_id}`
  return id.sid ?? ''
}
