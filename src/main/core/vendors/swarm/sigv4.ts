/**
 * Just enough AWS Signature V4 to send one S3 ListBuckets (`GET /`) with a Swarm S3 token:
 * access key id = token, secret = its `X-User-Secret-Key-Meta` (docs/protocols/swarm.md §2.2 DOC+CODE). SDKs
 * sign with V4 by default, so V4 must work (docs/protocols/swarm.md §2.2 INF). Header-signed, empty payload.
 */
import { createHash, createHmac } from 'node:crypto'

export interface SignInput {
  accessKeyId: string
  secretAccessKey: string
  /** host[:port] exactly as the Host header will carry it. */
  host: string
  /** Canonical URI, e.g. '/'. */
  path: string
  region: string
  now: number
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex')

/** The headers to add to a `GET {path}` so S3 accepts it. */
export function signListBuckets(input: SignInput): Record<string, string> {
  const amzDate = new Date(input.now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  const day = amzDate.slice(0, 8)
  const scope = `${day}/${input.region}/s3/aws4_request`
  const signedHeaders = 'host;x-amz-content-sha256;x-amz-date'
  const canonical = [
    'GET',
    input.path,
    '',
    `host:${input.host}`,
    `x-amz-content-sha256:${EMPTY_SHA256}`,
    `x-amz-date:${amzDate}`,
    '',
    signedHeaders,
    EMPTY_SHA256,
  ].join('\n')
  const toSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n')
  let key: Buffer = hmac(`AWS4${input.secretAccessKey}`, day)
  for (const part of [input.region, 's3', 'aws4_request']) key = hmac(key, part)
  const signature = createHmac('sha256', key).update(toSign).digest('hex')
  return {
    'x-amz-date': amzDate,
    'x-amz-content-sha256': EMPTY_SHA256,
    authorization: `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  }
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest()
}
