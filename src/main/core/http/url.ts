import { TokendeckError } from '../../../shared/errors'

export interface HttpsTarget {
  /** For sockets: IPv6 literals without brackets. */
  hostname: string
  port: number
  /** host[:port] as the user wrote it, for messages. */
  host: string
  /** scheme://host[:port], for undici. */
  origin: string
  /** Path prefix of the cluster URL without a trailing '/', usually ''. */
  basePath: string
}

/** Cluster URLs are https:// only: credentials never travel in clear text. */
export function parseHttpsUrl(url: string): HttpsTarget {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new TokendeckError(
      'INVALID_INPUT',
      'The cluster address is not a valid URL (expected https://host[:port]).',
    )
  }
  if (u.protocol !== 'https:') {
    throw new TokendeckError('INVALID_INPUT', 'The cluster address must start with https://.')
  }
  // URL keeps IPv6 literals bracketed; sockets want them bare.
  const hostname = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname
  return {
    hostname,
    port: u.port ? Number(u.port) : 443,
    host: u.host,
    origin: u.origin,
    basePath: u.pathname.replace(/\/+$/, ''),
  }
}

export type QueryValue = string | number | boolean | undefined
export type Query = URLSearchParams | Record<string, QueryValue | readonly QueryValue[]>

/** `?a=1&b=2` for a request path; undefined values are left out, arrays repeat the key. */
export function queryString(query: Query | undefined): string {
  if (query === undefined) return ''
  let params: URLSearchParams
  if (query instanceof URLSearchParams) {
    params = query
  } else {
    params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      const values: readonly QueryValue[] = Array.isArray(v)
        ? (v as readonly QueryValue[])
        : [v as QueryValue]
      for (const one of values) if (one !== undefined) params.append(k, String(one))
    }
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}
