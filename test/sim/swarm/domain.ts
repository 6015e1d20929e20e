import type { SimRequest } from '../common/server'
import type { Directory } from './directory'

export type DomainChoice = { ok: true; domain: string; tenant: string } | { ok: false }

/**
 * The storage domain a token-path request is for: `?domain=`, then `X-Forwarded-Host`, then
 * `Host` (docs/protocols/swarm.md §2 DOC "Adapting Native Swarm Applications"). An explicit but unknown domain
 * is an error; an unknown `Host` falls back to the default domain, because tests (and the
 * JASMIN-style gateway-IP clients) reach the simulator by address, not by domain name — our
 * choice, the notes are silent.
 */
export function chooseDomain(
  req: SimRequest,
  directory: Directory,
  defaultDomain: string,
): DomainChoice {
  const explicit = req.query.get('domain') ?? firstForwardedHost(req)
  const name = hostOnly(explicit ?? String(req.headers.host ?? ''))
  const tenant = directory.tenantOfDomain(name)
  if (tenant) return { ok: true, domain: name, tenant }
  if (explicit !== undefined) return { ok: false }
  const fallback = directory.tenantOfDomain(defaultDomain)
  return fallback ? { ok: true, domain: defaultDomain, tenant: fallback } : { ok: false }
}

function firstForwardedHost(req: SimRequest): string | undefined {
  const v = req.headers['x-forwarded-host']
  if (v === undefined) return undefined
  return String(v).split(',')[0]?.trim()
}

/** Drop a port and brackets, lowercase: `Docs.Acme.Example:443` → `docs.acme.example`. */
function hostOnly(host: string): string {
  const h = host.trim().toLowerCase()
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined)
  const colon = h.lastIndexOf(':')
  return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h
}
