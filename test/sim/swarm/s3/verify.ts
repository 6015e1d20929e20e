import type { Clock } from '../../common/clock'
import type { SimRequest, SimResponse } from '../../common/server'
import type { TokenStore } from '../tokenStore'
import type { SwarmToken } from '../types'
import {
  expectedSignature,
  parseAmzDate,
  parseAuthorization,
  sameSignature,
  sha256Hex,
} from './sigv4'
import { s3Error } from './xml'

export interface S3AuthContext {
  store: TokenStore
  clock: Clock
  maxSkewMs: number
}

export type S3AuthOutcome = { ok: true; token: SwarmToken } | { ok: false; reply: SimResponse }

/**
 * Check a SigV4 header-signed request against Swarm tokens: access key id = token id, secret =
 * the token's `X-User-Secret-Key-Meta` (docs/protocols/swarm.md §2.2 DOC+CODE). Error codes are the standard
 * S3 ones, since docs/protocols/swarm.md §5 DESIGN found nothing Swarm-specific.
 */
export function verifyS3Request(req: SimRequest, ctx: S3AuthContext): S3AuthOutcome {
  const header = req.headers.authorization
  if (header === undefined) {
    if (req.query.has('X-Amz-Algorithm'))
      return fail(501, 'NotImplemented', 'Presigned URLs are not simulated')
    return fail(403, 'AccessDenied', 'Access Denied')
  }
  // docs/protocols/swarm.md §2.2 INF: SDKs sign with V4 by default; V2 support was not found, so we refuse it.
  if (/^AWS /.test(header)) return fail(400, 'InvalidRequest', 'Please use AWS4-HMAC-SHA256.')
  const auth = parseAuthorization(header)
  if (!auth)
    return fail(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.')

  const amzDate = String(req.headers['x-amz-date'] ?? '')
  const signedAt = parseAmzDate(amzDate)
  if (signedAt === undefined)
    return fail(
      403,
      'AccessDenied',
      'AWS authentication requires a valid Date or x-amz-date header',
    )
  if (
    auth.date !== amzDate.slice(0, 8) ||
    auth.service !== 's3' ||
    auth.terminator !== 'aws4_request'
  ) {
    return fail(
      400,
      'AuthorizationHeaderMalformed',
      'The authorization header is malformed; the credential scope is wrong.',
    )
  }
  // S3 refuses requests signed more than 15 minutes away from its clock, and says what its clock
  // reads (Date header + ServerTime) so SDKs can correct their offset and retry. Our clock is the
  // injected one, so a FakeClock test sees exactly what a skewed laptop would.
  const now = ctx.clock.now()
  if (Math.abs(signedAt - now) > ctx.maxSkewMs) {
    return fail(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      {
        RequestTime: amzDate,
        ServerTime: new Date(now).toISOString(),
        MaxAllowedSkewMilliseconds: String(ctx.maxSkewMs),
      },
    )
  }

  const token = ctx.store.live(auth.accessKeyId)
  // A token without an S3 secret has nothing to sign with, so as an access key it does not exist.
  if (!token || token.s3Secret === undefined) {
    return fail(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    )
  }

  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '')
  if (payloadHash === '')
    return fail(
      400,
      'InvalidRequest',
      'Missing required header for this request: x-amz-content-sha256',
    )
  if (payloadHash.startsWith('STREAMING-'))
    return fail(501, 'NotImplemented', 'Chunked uploads are not simulated')

  // What SigV4 requires to be signed, or an attacker could change it under a valid signature:
  // the host, and every x-amz-* header the request carries (AWS SigV4 "Create a canonical
  // request": host is mandatory, x-amz-* headers must all be signed). The AWS CLI and SDKs sign
  // every header but a short list (user-agent, expect, x-amzn-trace-id), so they pass.
  // docs/protocols/swarm.md §5 DESIGN: S3's own error shapes.
  const signed = new Set(auth.signedHeaders)
  const unsigned = [
    'host',
    ...Object.keys(req.headers).filter((h) => h.startsWith('x-amz-')),
  ].filter((h) => !signed.has(h))
  if (unsigned.length)
    return fail(
      403,
      'AccessDenied',
      'There were headers present in the request which were not signed',
      { HeadersNotSigned: unsigned.join(', ') },
    )

  const expected = expectedSignature(
    { method: req.method, path: req.path, query: req.query, headers: req.headers, payloadHash },
    auth,
    amzDate,
    token.s3Secret,
  )
  if (!sameSignature(expected, auth.signature)) {
    return fail(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    )
  }
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256Hex(req.body)) {
    return fail(
      400,
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    )
  }
  return { ok: true, token }
}

const fail = (
  status: number,
  code: string,
  message: string,
  extra?: Record<string, string>,
): S3AuthOutcome => ({
  ok: false,
  reply: s3Error(status, code, message, extra),
})
