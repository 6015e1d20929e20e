import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

/**
 * AWS Signature Version 4, the verifying side, written from the published algorithm:
 * canonical request → string to sign → signing key → HMAC. Pure functions, no I/O, so each
 * step can be read against the AWS documentation on its own.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256'

export interface Authorization {
  accessKeyId: string
  /** Credential scope parts: `YYYYMMDD/region/service/aws4_request`. */
  date: string
  region: string
  service: string
  terminator: string
  signedHeaders: string[]
  signature: string
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/s3/aws4_request, SignedHeaders=a;b, Signature=hex` */
export function parseAuthorization(header: string): Authorization | undefined {
  if (!header.startsWith(`${ALGORITHM} `)) return undefined
  const fields = new Map<string, string>()
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const i = part.indexOf('=')
    if (i > 0) fields.set(part.slice(0, i).trim(), part.slice(i + 1).trim())
  }
  const credential = fields.get('Credential')?.split('/')
  const signedHeaders = fields.get('SignedHeaders')
  const signature = fields.get('Signature')
  if (!credential || credential.length !== 5 || !signedHeaders || !signature) return undefined
  const [accessKeyId, date, region, service, terminator] = credential as [
    string,
    string,
    string,
    string,
    string,
  ]
  if (!/^[0-9a-f]{64}$/.test(signature)) return undefined
  return {
    accessKeyId,
    date,
    region,
    service,
    terminator,
    signedHeaders: signedHeaders.split(';'),
    signature,
  }
}

/** RFC 3986 encoding as SigV4 wants it: everything but `A-Za-z0-9-._~` becomes %XX. */
export function awsEncode(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/** S3 signs the path encoded once and not normalised; we decode what the server saw and re-encode. */
export function canonicalUri(path: string): string {
  return path
    .split('/')
    .map((seg) => {
      try {
        return awsEncode(decodeURIComponent(seg))
      } catch {
        return awsEncode(seg)
      }
    })
    .join('/')
}

export function canonicalQuery(query: URLSearchParams): string {
  return [...query.entries()]
    .map(([k, v]) => [awsEncode(k), awsEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
}

export function canonicalHeaders(headers: IncomingHttpHeaders, signed: string[]): string {
  return signed
    .map((name) => {
      const raw = headers[name]
      const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '')
      return `${name}:${value.trim().replace(/\s+/g, ' ')}\n`
    })
    .join('')
}

export interface SignedRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  payloadHash: string
}

export function canonicalRequest(req: SignedRequest, signedHeaders: string[]): string {
  return [
    req.method,
    canonicalUri(req.path),
    canonicalQuery(req.query),
    canonicalHeaders(req.headers, signedHeaders),
    signedHeaders.join(';'),
    req.payloadHash,
  ].join('\n')
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n')
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secret}`, date)
  const kRegion = hmac(kDate, region)
  const kService = hmac(kRegion, service)
  return hmac(kService, 'aws4_request')
}

/** The signature the client should have sent, given the secret we hold for its access key. */
export function expectedSignature(
  req: SignedRequest,
  auth: Authorization,
  amzDate: string,
  secret: string,
): string {
  const scope = [auth.date, auth.region, auth.service, auth.terminator].join('/')
  const toSign = stringToSign(amzDate, scope, canonicalRequest(req, auth.signedHeaders))
  return createHmac('sha256', signingKey(secret, auth.date, auth.region, auth.service))
    .update(toSign)
    .digest('hex')
}

/** Constant-time comparison of two hex signatures. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y)
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest()
}

/** `20250101T120000Z` → ms since the epoch, or undefined. */
export function parseAmzDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s)
  if (!m) return undefined
  const t = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  )
  return Number.isNaN(t) ? undefined : t
}
