// The pure mapping from transport errors and Retry-After headers to TokendeckErrors.
import { describe, expect, it } from 'vitest'
import { errorCodeOf, mapTransportError, parseRetryAfter } from '../../../src/main/core/http/errors'
import { TokendeckError } from '../../../src/shared/errors'

const ctx = { endpoint: 'GET /api/v2/cluster', host: 'weka01:14000' }
const coded = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code })

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 10, 23, 9, 0, 0)
  it('reads delay-seconds relative to now', () => {
    expect(parseRetryAfter('120', now)).toBe(now + 120_000)
    expect(parseRetryAfter(' 0 ', now)).toBe(now)
  })
  it('reads an HTTP-date', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', now)).toBe(
      Date.UTC(2026, 9, 21, 7, 28, 0),
    )
  })
  it('ignores absent, negative, fractional and garbage values', () => {
    for (const v of [undefined, '', '-5', '1.5', 'soon', '5s?!', []])
      expect(parseRetryAfter(v, now)).toBeUndefined()
  })
  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['10', '20'], now)).toBe(now + 10_000)
  })
})

describe('mapTransportError', () => {
  it.each([
    ['ECONNREFUSED', 'UNREACHABLE'],
    ['ENOTFOUND', 'UNREACHABLE'],
    ['EAI_AGAIN', 'UNREACHABLE'],
    ['EHOSTUNREACH', 'UNREACHABLE'],
    ['ENETUNREACH', 'UNREACHABLE'],
    ['ECONNRESET', 'UNREACHABLE'],
    ['UND_ERR_SOCKET', 'UNREACHABLE'],
    ['UND_ERR_CONNECT_TIMEOUT', 'TIMEOUT'],
    ['UND_ERR_HEADERS_TIMEOUT', 'TIMEOUT'],
    ['UND_ERR_BODY_TIMEOUT', 'TIMEOUT'],
    ['ETIMEDOUT', 'TIMEOUT'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS_UNTRUSTED'],
    ['CERT_HAS_EXPIRED', 'TLS_UNTRUSTED'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS_UNTRUSTED'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'UNREACHABLE'],
    ['SOMETHING_NEW', 'UNREACHABLE'],
  ])('%s → %s', (code, expected) => {
    const err = mapTransportError(coded(code), ctx)
    expect(err.code).toBe(expected)
    expect(err.message).toContain('weka01:14000')
  })

  it('finds the code inside a Happy Eyeballs AggregateError and a cause chain', () => {
    const agg = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'all failed')
    expect(errorCodeOf(agg)).toBe('ECONNREFUSED')
    expect(errorCodeOf(new Error('wrapped', { cause: coded('ENOTFOUND') }))).toBe('ENOTFOUND')
    expect(mapTransportError(agg, ctx).code).toBe('UNREACHABLE')
  })

  it('passes a TokendeckError through unchanged', () => {
    const pin = new TokendeckError('TLS_PIN_MISMATCH', 'changed', { seenSha256: 'AB' })
    expect(mapTransportError(pin, ctx)).toBe(pin)
  })

  it('does not copy the underlying message (it may quote what the server sent)', () => {
    const err = mapTransportError(coded('UND_ERR_SOCKET', 'other side closed: Bearer abc.def'), ctx)
    expect(err.message).not.toContain('Bearer')
  })
})
