// Trust on first use: probeCertificate against real HTTPS simulators on loopback.
import https from 'node:https'
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { ClusterHttp, probeCertificate } from '../../../src/main/core/http'
import { Sha256Fingerprint } from '../../../src/shared/model'
import { createCertificateAuthority } from '../../sim/common/certificate'
import { systemClock } from '../../sim/common/clock'
import { startHttpsSim, type HttpsSim } from '../../sim/common/server'
import { failure } from './failure'

const open: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()))
})
afterAll(() => {
  expect(https.globalAgent.options.rejectUnauthorized).not.toBe(false)
  expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined()
})

async function sim(ca?: { key: string; cert: string }): Promise<HttpsSim> {
  const s = await startHttpsSim({
    name: 'probe',
    clock: systemClock,
    handler: () => ({ status: 200, body: {} }),
    ...(ca ? { ca } : {}),
  })
  open.push(s)
  return s
}

describe('probeCertificate', () => {
  it('reports the fingerprint, names, validity and SANs of a self-signed server, sending no request', async () => {
    const s = await sim()
    const info = await probeCertificate(s.url, { timeoutMs: 5_000 })
    expect(info.sha256).toBe(s.fingerprint)
    expect(Sha256Fingerprint.safeParse(info.sha256).success).toBe(true)
    expect(info.subject).toBe('CN=probe.sim.tokendeck.test, O=Tokendeck simulator')
    expect(info.issuer).toBe(info.subject)
    expect(info.selfSigned).toBe(true)
    expect(info.validFrom).toBeLessThanOrEqual(Date.now())
    expect(info.validTo).toBeGreaterThan(Date.now() + 300 * 86_400_000)
    expect(info.subjectAltNames).toEqual(expect.arrayContaining(['DNS:localhost', 'IP:127.0.0.1']))
    expect(s.requests).toEqual([])
  })

  it('what it reports can be pinned straight away', async () => {
    const s = await sim()
    const { sha256 } = await probeCertificate(s.url)
    const http = new ClusterHttp({ url: s.url, trust: { sha256 } })
    open.push(http)
    expect((await http.request('GET', '/')).status).toBe(200)
  })

  it('tells a CA-issued certificate from a self-signed one', async () => {
    const ca = await createCertificateAuthority('Tokendeck Probe CA')
    const s = await sim(ca)
    const info = await probeCertificate(s.url)
    expect(info.selfSigned).toBe(false)
    expect(info.issuer).toBe('CN=Tokendeck Probe CA')
    expect(info.sha256).toBe(s.fingerprint)
  })

  it('sees the new certificate after a rotation', async () => {
    const s = await sim()
    const before = (await probeCertificate(s.url)).sha256
    const after = await s.rotateCertificate()
    expect(after).not.toBe(before)
    expect((await probeCertificate(s.url)).sha256).toBe(after)
  })

  it('a closed port → UNREACHABLE', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createTcpServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as AddressInfo).port
        srv.close(() => resolve(p))
      })
    })
    expect((await failure(probeCertificate(`https://127.0.0.1:${port}`))).code).toBe('UNREACHABLE')
  })

  it('a server that never completes the handshake → TIMEOUT within timeoutMs', async () => {
    const held = new Set<Socket>()
    const silent = createTcpServer((sock) => held.add(sock))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    try {
      const started = Date.now()
      const err = await failure(
        probeCertificate(`https://127.0.0.1:${(silent.address() as AddressInfo).port}`, {
          timeoutMs: 300,
        }),
      )
      expect(err.code).toBe('TIMEOUT')
      expect(Date.now() - started).toBeLessThan(2_000)
    } finally {
      for (const sock of held) sock.destroy()
      await new Promise((r) => silent.close(r))
    }
  })

  it('a plain-TCP service that is not TLS → UNREACHABLE', async () => {
    const held = new Set<Socket>()
    const plain = createTcpServer((sock) => {
      held.add(sock)
      sock.on('error', () => undefined)
      sock.write('SSH-2.0-OpenSSH_9.6\r\n')
    })
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r))
    try {
      const err = await failure(
        probeCertificate(`https://127.0.0.1:${(plain.address() as AddressInfo).port}`, {
          timeoutMs: 2_000,
        }),
      )
      expect(err.code).toBe('UNREACHABLE')
      expect(err.message).toMatch(/TLS handshake failed/)
    } finally {
      for (const sock of held) sock.destroy()
      await new Promise((r) => plain.close(r))
    }
  })

  it('rejects a URL that is not https', async () => {
    expect((await failure(probeCertificate('http://127.0.0.1:1'))).code).toBe('INVALID_INPUT')
    expect((await failure(probeCertificate('not a url'))).code).toBe('INVALID_INPUT')
  })
})
