import type { SimRequest, SimResponse } from './server'

/** Helpers for handlers: parse bodies the way real servers do, build replies. */

export function contentTypeOf(req: SimRequest): string {
  return String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase()
}

/** JSON body, or `undefined` when it is not JSON at all; `null` body when empty. */
export function parseJson(req: SimRequest): { ok: true; value: unknown } | { ok: false } {
  if (req.body.length === 0) return { ok: true, value: undefined }
  try {
    return { ok: true, value: JSON.parse(req.body.toString('utf8')) }
  } catch {
    return { ok: false }
  }
}

export function bearerToken(req: SimRequest): string | undefined {
  const h = req.headers.authorization
  if (!h) return undefined
  const m = /^Bearer\s+(.+)$/i.exec(h)
  return m?.[1]?.trim()
}

export function basicCredentials(
  req: SimRequest,
): { username: string; password: string } | undefined {
  const h = req.headers.authorization
  if (!h) return undefined
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(h)
  if (!m) return undefined
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8')
  const i = decoded.indexOf(':')
  if (i < 0) return undefined
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) }
}

export function cookies(req: SimRequest): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim())
  }
  return out
}

export const json = (
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): SimResponse => ({
  status,
  body,
  ...(headers ? { headers } : {}),
})
