// The three vendors map a status their caller did not expect through one name and signature,
// `unexpectedStatus(res, context)` returning (not throwing) a TokendeckError: the same generic
// meaning where the vendors agree (429 with Retry-After, an unknown status, a 2xx the caller did
// not want), their own words only where the vendor differs (what a 401 means, WEKA's 403/404).
// Responses are built by hand, as the http layer's own tests do.
import { describe, expect, it } from 'vitest'
import { unexpectedStatus as generic, type HttpResponse } from '../../../src/main/core/http'
import { unexpectedStatus as qumulo } from '../../../src/main/core/vendors/qumulo/errors'
import { unexpectedStatus as swarm } from '../../../src/main/core/vendors/swarm/errors'
import { unexpectedStatus as weka } from '../../../src/main/core/vendors/weka/errors'
import { TokendeckError } from '../../../src/shared/errors'

const NOW = Date.parse('2026-01-01T00:00:00Z')

function reply(status: number, headers: HttpResponse['headers'] = {}): HttpResponse {
  return {
    status,
    headers,
    body: Buffer.from('{"secret":"tdk-BODY-never-shown"}'),
    endpoint: 'GET /thing',
    host: 'cluster.example:8443',
    receivedAt: NOW,
  }
}

const vendors = { generic, qumulo, swarm, weka }

describe('unexpectedStatus: one name and signature for every vendor', () => {
  it.each(Object.entries(vendors))(
    '%s: 429 is SERVER_ERROR with the Retry-After time',
    (_, map) => {
      const err = map(reply(429, { 'retry-after': '30' }))
      expect(err).toBeInstanceOf(TokendeckError)
      expect(err.code).toBe('SERVER_ERROR')
      expect(err.retryAt).toBe(NOW + 30_000)
    },
  )

  it.each(Object.entries(vendors))(
    '%s: a status nobody expects (418, or a 204 where 200 was wanted) is BAD_RESPONSE naming host and endpoint, not the body',
    (_, map) => {
      for (const status of [418, 204]) {
        const err = map(reply(status))
        expect(err.code).toBe('BAD_RESPONSE')
        expect(err.message).toContain('cluster.example:8443')
        expect(err.message).toContain('GET /thing')
        expect(err.message).toContain(`HTTP ${status}`)
        expect(err.message).not.toContain('tdk-BODY')
      }
    },
  )

  it('what a 401 means is the vendor’s: a Swarm token is the session, a WEKA access token can be refreshed', () => {
    expect(swarm(reply(401)).code).toBe('REFRESH_EXPIRED')
    expect(weka(reply(401)).code).toBe('NOT_SIGNED_IN')
    expect(qumulo(reply(401)).code).toBe('NOT_SIGNED_IN')
    expect(weka(reply(401), { subject: 'this token' }).message).toContain(
      'did not accept this token',
    )
    expect(swarm(reply(401), { subject: 'the new token' }).message).toContain(
      'no longer accepts the new token',
    )
  })

  it('403 and 404 keep their codes everywhere; WEKA and Swarm say what to check', () => {
    for (const map of Object.values(vendors)) {
      expect(map(reply(403)).code).toBe('FORBIDDEN')
      expect(map(reply(404)).code).toBe('NOT_FOUND')
    }
    expect(weka(reply(403)).message).toContain("WEKA account's role")
    expect(swarm(reply(404)).message).toContain('storage domain and the token path')
  })
})
