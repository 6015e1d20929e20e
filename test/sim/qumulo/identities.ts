import { QumuloHttpError } from './errors'
import {
  IDENTITY_DOMAINS,
  type ApiIdentity,
  type IdentityDomain,
  type QumuloPrincipal,
} from './types'

/**
 * Identities: how the cluster names users and groups (docs/protocols/qumulo.md §3.2 `api_identity`) and how it
 * resolves a partial identity or a qq identity string (docs/protocols/qumulo.md §5) to one principal.
 */

/** What a request may carry: any subset of the six keys (docs/protocols/qumulo.md §3.2 DOC "any subset may be sent"). */
export interface PartialIdentity {
  domain?: IdentityDomain
  auth_id?: string
  uid?: number
  gid?: number
  sid?: string
  name?: string
}

const IDENTITY_KEYS = new Set(['domain', 'auth_id', 'uid', 'gid', 'sid', 'name'])

export function apiIdentity(p: QumuloPrincipal): ApiIdentity {
  return {
    domain: p.domain,
    auth_id: p.authId,
    uid: p.uid,
    gid: p.gid,
    sid: p.sid,
    // [INF] AD names are shown NetBIOS-qualified so a reader sees which domain they come from.
    name: p.domain === 'ACTIVE_DIRECTORY' && p.netbios ? `${p.netbios}\\${p.name}` : p.name,
  }
}

/**
 * uid/gid: docs/protocols/qumulo.md §3.2 CODE "Terraform's client decodes uid/gid as string or int — accept
 * both". Anything else is a wrong type.
 */
function posixId(value: unknown, key: string): number | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value)
  throw new QumuloHttpError(
    'invalidRequest',
    `Identity field "${key}" must be a non-negative integer.`,
  )
}

function text(value: unknown, key: string): string | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value !== 'string')
    throw new QumuloHttpError('invalidRequest', `Identity field "${key}" must be a string.`)
  return value
}

/** Check a request's `api_identity` object; nulls count as absent (responses send them). */
export function parsePartialIdentity(value: unknown, where: string): PartialIdentity {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new QumuloHttpError('invalidRequest', `"${where}" must be an identity object.`)
  }
  const obj = value as Record<string, unknown>
  for (const key of Object.keys(obj)) {
    if (!IDENTITY_KEYS.has(key))
      throw new QumuloHttpError('invalidRequest', `Unknown identity field "${key}" in "${where}".`)
  }
  const out: PartialIdentity = {}
  const domain = text(obj.domain, 'domain')
  if (domain !== undefined) {
    if (!(IDENTITY_DOMAINS as readonly string[]).includes(domain)) {
      throw new QumuloHttpError('invalidRequest', `Unknown identity domain "${domain}".`)
    }
    out.domain = domain as IdentityDomain
  }
  const authId = text(obj.auth_id, 'auth_id')
  if (authId !== undefined) out.auth_id = authId
  const sid = text(obj.sid, 'sid')
  if (sid !== undefined) out.sid = sid
  const name = text(obj.name, 'name')
  if (name !== undefined) out.name = name
  const uid = posixId(obj.uid, 'uid')
  if (uid !== undefined) out.uid = uid
  const gid = posixId(obj.gid, 'gid')
  if (gid !== undefined) out.gid = gid
  if (Object.keys(out).length === 0)
    throw new QumuloHttpError('invalidRequest', `"${where}" names no identity.`)
  return out
}

const SID_PATTERN = /^S-[0-9]+-[0-9]+(-[0-9]+)+$/i

/**
 * qq's identity-string grammar (docs/protocols/qumulo.md §5 SDK-2019), used for the list filter `?user=`
 * (docs/protocols/qumulo.md §3.3 INF "the server parses the same identity-string grammar as qq"). A JSON object is
 * accepted too, since the SDK's `str(Identity)` form is not documented.
 */
export function parseIdentityString(raw: string): PartialIdentity {
  const input = raw.trim()
  if (input.startsWith('{')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(input)
    } catch {
      throw new QumuloHttpError('invalidRequest', 'The user filter is not a valid identity.')
    }
    return parsePartialIdentity(parsed, 'user')
  }
  const parts = input.split(':')
  if (parts.length > 2)
    throw new QumuloHttpError('invalidRequest', 'An identity string has at most one ":".')
  if (parts.length === 1) return SID_PATTERN.test(input) ? { sid: input } : { name: input }
  const prefix = parts[0]!.trim().toLowerCase()
  const value = parts[1]!.trim()
  switch (prefix) {
    case 'name':
      return { name: value }
    case 'ad':
      return { domain: 'ACTIVE_DIRECTORY', name: value }
    case 'local':
      return { domain: 'LOCAL', name: value }
    case 'ldap_user':
      return { domain: 'POSIX_USER', name: value }
    case 'ldap_group':
      return { domain: 'POSIX_GROUP', name: value }
    case 'world':
      return { domain: 'WORLD', name: value }
    case 'sid':
      return { sid: value }
    case 'auth_id': {
      // docs/protocols/qumulo.md §5: qq parses it "with base 0, so 0x… allowed"; the wire form is decimal.
      const n = /^(0x[0-9a-f]+|0o[0-7]+|0b[01]+|\d+)$/i.test(value) ? BigInt(value) : undefined
      if (n === undefined)
        throw new QumuloHttpError('invalidRequest', 'auth_id must be an integer.')
      return { auth_id: n.toString() }
    }
    case 'uid':
    case 'gid': {
      if (!/^\d+$/.test(value))
        throw new QumuloHttpError('invalidRequest', `${prefix} must be an integer.`)
      return prefix === 'uid' ? { uid: Number(value) } : { gid: Number(value) }
    }
    default:
      throw new QumuloHttpError('invalidRequest', `Unknown identity prefix "${prefix}".`)
  }
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

/**
 * Names, docs/protocols/qumulo.md §5 DOC: AD names unqualified, `DOMAIN\user` or UPN `user@domain`; local
 * names optionally `cluster\user`.
 */
function nameMatches(p: QumuloPrincipal, name: string, clusterName: string): boolean {
  const slash = name.indexOf('\\')
  if (slash >= 0) {
    const qualifier = name.slice(0, slash)
    const short = name.slice(slash + 1)
    if (!same(short, p.name)) return false
    if (p.domain === 'LOCAL') return same(qualifier, clusterName)
    return p.domain === 'ACTIVE_DIRECTORY' && p.netbios !== undefined && same(qualifier, p.netbios)
  }
  const at = name.lastIndexOf('@')
  if (at > 0 && p.domain === 'ACTIVE_DIRECTORY') {
    if (
      same(name.slice(0, at), p.name) &&
      p.dnsDomain !== undefined &&
      same(name.slice(at + 1), p.dnsDomain)
    )
      return true
  }
  return same(name, p.name)
}

function domainMatches(p: QumuloPrincipal, domain: IdentityDomain): boolean {
  // POSIX_USER/POSIX_GROUP name the same principal seen through its uid/gid (LDAP / RFC 2307).
  if (domain === 'POSIX_USER') return p.kind === 'user' && p.uid !== null
  if (domain === 'POSIX_GROUP') return p.kind === 'group' && p.gid !== null
  return p.domain === domain
}

function matches(p: QumuloPrincipal, want: PartialIdentity, clusterName: string): boolean {
  if (want.domain !== undefined && !domainMatches(p, want.domain)) return false
  if (want.auth_id !== undefined && want.auth_id !== p.authId) return false
  if (want.sid !== undefined && !same(want.sid, p.sid)) return false
  if (want.uid !== undefined && (p.kind !== 'user' || p.uid !== want.uid)) return false
  if (want.gid !== undefined && (p.kind !== 'group' || p.gid !== want.gid)) return false
  if (want.name !== undefined && !nameMatches(p, want.name, clusterName)) return false
  return true
}

/** The one principal a partial identity names, or undefined. Local wins a tie, as the cluster's own. */
export function resolveIdentity(
  principals: Iterable<QumuloPrincipal>,
  want: PartialIdentity,
  clusterName: string,
): QumuloPrincipal | undefined {
  const found = [...principals].filter((p) => matches(p, want, clusterName))
  return found.find((p) => p.domain === 'LOCAL') ?? found[0]
}
