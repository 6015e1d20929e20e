// TLS trust against real HTTPS simulators on loopback: pinned fingerprints (including a
// certificate rotated under a live client) and CA files (chain and hostname verified).
import https from 'node:https'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { ClusterHttp } from '../../../src/main/core/http'
import { createCertificateAuthority } from '../../sim/common/certificate'
import { systemClock } from '../../sim/common/clock'
import { startHttpsSim, type HttpsSim } from '../../sim/common/server'
import { failure } from './failure'

const work = mkdtempSync(join(tmpdir(), 'tokendeck-http-trust-'))
const open: { close(): Promise<void> }[] = []

afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()))
})
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
  // Trusting one cluster must never have loosened TLS for the whole process.
  expect(https.globalAgent.options.rejectUnauthorized).not.toBe(false)
  expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined()
})

async function sim(
  opts: { ca?: { key: string; cert: string }; host?: string } = {},
): Promise<HttpsSim> {
  const s = await startHttpsSim({
    name: 'trust',
    clock: systemClock,
    handler: () => ({ status: 200, body: { ok: true } }),
    ...opts,
  })
  open.push(s)
  return s
}

function client(...args: ConstructorParameters<typeof ClusterHttp>): ClusterHttp {
  const c = new ClusterHttp(...args)
  open.push(c)
  return c
}

/** Any other valid-looking fingerprint. */
function otherThan(fp: string): string {
  return fp.startsWith('00') ? fp.replace(/^00/, '11') : `00${fp.slice(2)}`
}

describe('pinned fingerprint', () => {
  it('talks to the server whose certificate matches the pin', async () => {
    const s = await sim()
    const http = client({ url: s.url, trust: { sha256: s.fingerprint } })
    const res = await http.request('GET', '/hello')
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body.toString())).toEqual({ ok: true })
    expect(s.requests.map((r) => r.path)).toEqual(['/hello'])
  })

  it('accepts the pin in any of the forms users paste (lower case, no colons)', async () => {
    const s = await sim()
    const pasted = s.fingerprint.replace(/:/g, '').toLowerCase()
    const http = client({ url: s.url, trust: { sha256: pasted } })
    expect((await http.request('GET', '/x')).status).toBe(200)
  })

  it('refuses a different certificate before sending a single request', async () => {
    const s = await sim()
    const http = client({ url: s.url, trust: { sha256: otherThan(s.fingerprint) } })
    const err = await failure(
      http.request('POST', '/login', { json: { username: 'admin', password: 'hunter2' } }),
    )
    expect(err.code).toBe('TLS_PIN_MISMATCH')
    expect(err.seenSha256).toBe(s.fingerprint)
    expect(err.message).toMatch(/certificate .* has changed/)
    expect(err.message).toMatch(/trust it again/)
    expect(err.message).toContain(s.fingerprint)
    expect(err.message).not.toContain('hunter2')
    // The handler never ran: the credentials never left this process.
    expect(s.requests).toEqual([])
  })

  it('notices a rotated certificate on the next connection, even with keep-alive', async () => {
    const s = await sim()
    const http = client({ url: s.url, trust: { sha256: s.fingerprint } })
    expect((await http.request('GET', '/before')).status).toBe(200)
    const rotated = await s.rotateCertificate()
    // Let the client see the server drop its kept-alive connection (as after a web server restart).
    await new Promise((r) => setTimeout(r, 50))
    const err = await failure(http.request('GET', '/after'))
    expect(err.code).toBe('TLS_PIN_MISMATCH')
    expect(err.seenSha256).toBe(rotated)
    expect(s.requests.map((r) => r.path)).toEqual(['/before'])
  })

  it('fails every request, not just the first, while the certificate stays changed', async () => {
    const s = await sim()
    const http = client({ url: s.url, trust: { sha256: otherThan(s.fingerprint) } })
    const errors = await Promise.all([1, 2, 3].map(() => failure(http.request('GET', '/x'))))
    expect(errors.map((e) => e.code)).toEqual([
      'TLS_PIN_MISMATCH',
      'TLS_PIN_MISMATCH',
      'TLS_PIN_MISMATCH',
    ])
    expect(s.requests).toEqual([])
  })
})

describe('CA file', () => {
  it('verifies a server certificate issued by the CA', async () => {
    const ca = await createCertificateAuthority('Tokendeck Test CA')
    const caPath = join(work, 'ca-ok.pem')
    writeFileSync(caPath, ca.cert)
    const s = await sim({ ca })
    const http = client({ url: s.url, trust: { caPath } })
    expect((await http.request('GET', '/hello')).status).toBe(200)
  })

  it('refuses a self-signed server certificate with TLS_UNTRUSTED and the reason', async () => {
    const ca = await createCertificateAuthority('Tokendeck Test CA')
    const caPath = join(work, 'ca-self.pem')
    writeFileSync(caPath, ca.cert)
    const s = await sim()
    const http = client({ url: s.url, trust: { caPath } })
    const err = await failure(http.request('GET', '/hello'))
    expect(err.code).toBe('TLS_UNTRUSTED')
    expect(err.message).toMatch(/self-signed/)
    expect(s.requests).toEqual([])
  })

  it('refuses a certificate from another CA', async () => {
    const [trusted, other] = await Promise.all([
      createCertificateAuthority('Trusted CA'),
      createCertificateAuthority('Other CA'),
    ])
    const caPath = join(work, 'ca-other.pem')
    writeFileSync(caPath, trusted.cert)
    const s = await sim({ ca: other })
    const err = await failure(client({ url: s.url, trust: { caPath } }).request('GET', '/hello'))
    expect(err.code).toBe('TLS_UNTRUSTED')
    expect(err.message).toMatch(/not issued by the trusted CA/)
  })

  it('checks the host name: a CA-issued certificate for another address is refused', async () => {
    const ca = await createCertificateAuthority('Tokendeck Test CA')
    const caPath = join(work, 'ca-host.pem')
    writeFileSync(caPath, ca.cert)
    // The simulator's certificate names 127.0.0.1, localhost and ::1 — not 127.0.0.2.
    const s = await sim({ ca, host: '127.0.0.2' })
    const err = await failure(client({ url: s.url, trust: { caPath } }).request('GET', '/hello'))
    expect(err.code).toBe('TLS_UNTRUSTED')
    expect(err.message).toMatch(/does not name this host/)
  })

  it('reports a missing or non-PEM CA file as TLS_UNTRUSTED, then picks up a fixed file', async () => {
    const ca = await createCertificateAuthority('Tokendeck Test CA')
    const s = await sim({ ca })
    const caPath = join(work, 'ca-later.pem')
    const http = client({ url: s.url, trust: { caPath } })
    const missing = await failure(http.request('GET', '/hello'))
    expect(missing.code).toBe('TLS_UNTRUSTED')
    expect(missing.message).toMatch(/Cannot read the CA certificate file/)

    writeFileSync(caPath, 'not a certificate')
    const notPem = await failure(http.request('GET', '/hello'))
    expect(notPem.code).toBe('TLS_UNTRUSTED')
    expect(notPem.message).toMatch(/no PEM certificate/)

    writeFileSync(
      caPath,
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
    )
    const corrupt = await failure(http.request('GET', '/hello'))
    expect(corrupt.code).toBe('TLS_UNTRUSTED')
    expect(corrupt.message).toContain(caPath)
    expect(corrupt.message).toMatch(/cannot be read as a certificate/)

    writeFileSync(caPath, ca.cert)
    expect((await http.request('GET', '/hello')).status).toBe(200)
  })
})
