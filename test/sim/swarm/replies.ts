import type { SimResponse } from '../common/server'

/**
 * Gateway answers token-path and management errors with short plain-text bodies; clients print
 * `status: text` (docs/protocols/swarm.md §5 CODE). No JSON error schema was found (docs/protocols/swarm.md §5 DESIGN).
 */
export function text(
  status: number,
  body: string,
  headers?: Record<string, string | string[]>,
): SimResponse {
  return { status, body, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } }
}

// docs/protocols/swarm.md §5 DESIGN: 401 + `WWW-Authenticate: Basic realm="…"`; the realm text is ours.
export const REALM = 'Basic realm="Swarm Content Gateway"'

/** 401 for anyone the Gateway treats as anonymous; clears a stale token cookie when there was one. */
export function unauthorized(clearCookieName?: string): SimResponse {
  const headers: Record<string, string | string[]> = { 'www-authenticate': REALM }
  if (clearCookieName) headers['set-cookie'] = clearCookie(clearCookieName)
  return text(401, 'Authentication required', headers)
}

export const forbidden = (why = 'Forbidden'): SimResponse => text(403, why)
export const notFound = (why = 'Not found'): SimResponse => text(404, why)
export const badRequest = (why: string): SimResponse => text(400, why)
export const methodNotAllowed = (allow: string): SimResponse =>
  text(405, 'Method not allowed', { allow })

/**
 * docs/protocols/swarm.md §9.8: cookie attributes are unknown. DESIGN (ours): Path=/ so every path sees it,
 * Secure + HttpOnly as a login cookie should be, Expires = token expiry.
 */
export function tokenCookie(name: string, id: string, expiresAt: number): string {
  return `${name}=${id}; Path=/; Expires=${new Date(expiresAt).toUTCString()}; Secure; HttpOnly`
}

/** docs/protocols/swarm.md §2.2 DOC: an expired token gets a Set-Cookie deleting it; docs/protocols/swarm.md §5 DESIGN shape `token=; Max-Age=0`. */
export function clearCookie(name: string): string {
  return `${name}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly`
}
