import { connect } from 'node:tls'
import { Agent, request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { createCertificateAuthority, fingerprintOf } from '../common/certificate'
import { startWekaSim, type WekaSim, type WekaSimOptions } from './index'
import { call, login, trusting } from './testClient'

const sims: WekaSim[] = []
async function start(o: WekaSimOptions = {}): Promise<WekaSim> {
  const sim = await startWekaSim(o)
  sims.push(sim)
  return sim
}
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()))
})

const HEALTH = '/api/v2/healthcheck'

/** The SHA-256 fingerprint of the certificate the server actually presents. */
function servedFingerprint(sim: WekaSim): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: sim.port, rejectUnauthorized: false }, () => {
      resolve(s.getPeerCertificate().fingerprint256)
      s.destroy()
    })
    s.on('error', reject)
  })
}

describe('fault knobs', () => {
  it('serverError: 503 with Retry-After on matching paths, for its `times` budget', async () => {
    const sim = await start()
    sim.faults.enable('serverError', { match: /\/login$/, times: 1, retryAfterSeconds: 7 })
    expect((await call(sim, 'GET', HEALTH)).status).toBe(200)
    const r = await call(sim, 'POST', '/api/v2/login', {
      json: { username: 'admin', password: 'x' },
    })
    expect(r.status).toBe(503)
    expect(r.headers['retry-after']).toBe('7')
    // The failed request never reached the handler: no attempt was counted.
    expect(sim.state.loginAttempts('admin')).toBe(0)
    expect((await login(sim, 'admin')).token_type).toBe('Bearer')
  })

  it('reset: the connection drops without a reply', async () => {
    const sim = await start()
    sim.faults.enable('reset', { times: 1 })
    await expect(call(sim, 'GET', HEALTH)).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' })
    expect(sim.requests.at(-1)?.status).toBe('reset')
    expect((await call(sim, 'GET', HEALTH)).status).toBe(200)
  })

  it('truncatedJson: a 200 whose JSON body stops half-way (after the handler ran)', async () => {
    const sim = await start()
    sim.faults.enable('truncatedJson', { match: /\/login$/ })
    const r = await call(sim, 'POST', '/api/v2/login', {
      json: {
        username: 'alice',
        password: sim.users.find((u) => u.username === 'alice')!.password,
      },
    })
    expect(r.status).toBe(200)
    expect(r.body).toBeUndefined()
    expect(r.text.startsWith('{"data":{"access_token":"')).toBe(true)
    expect(() => JSON.parse(r.text)).toThrow()
    expect(sim.state.liveTokens('alice')).toHaveLength(2)
  })

  it('htmlError: a 502 HTML page as from a proxy', async () => {
    const sim = await start()
    sim.faults.enable('htmlError', {})
    const r = await call(sim, 'GET', '/api/v2/cluster')
    expect(r.status).toBe(502)
    expect(r.headers['content-type']).toMatch(/^text\/html/)
    expect(r.text).toContain('502 Bad Gateway')
    expect(r.body).toBeUndefined()
  })

  it('hang: the server never answers, a client timeout ends the wait', async () => {
    const sim = await start()
    sim.faults.enable('hang', { times: 1 })
    const t0 = performance.now()
    await expect(call(sim, 'GET', HEALTH, { headersTimeout: 200 })).rejects.toMatchObject({
      code: 'UND_ERR_HEADERS_TIMEOUT',
    })
    expect(performance.now() - t0).toBeLessThan(5_000)
    expect(sim.requests.at(-1)?.status).toBe('hang')
    expect((await call(sim, 'GET', HEALTH)).status).toBe(200)
  })

  it('latency: replies are delayed by the configured time', async () => {
    const sim = await start()
    const agent = trusting(sim.certificate)
    await call(sim, 'GET', HEALTH, { agent }) // warm the connection so the handshake is not measured
    sim.faults.enable('latency', { ms: 300 })
    const t0 = performance.now()
    expect((await call(sim, 'GET', HEALTH, { agent })).status).toBe(200)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290)
    sim.faults.clear()
    const t1 = performance.now()
    await call(sim, 'GET', HEALTH, { agent })
    expect(performance.now() - t1).toBeLessThan(290)
    await agent.close()
  })

  it('probabilistic faults replay the same way for the same seed', async () => {
    const pattern = async (seed: number) => {
      const sim = await start({ faultSeed: seed })
      sim.faults.enable('serverError', { rate: 0.5 })
      const out: number[] = []
      for (let i = 0; i < 12; i++) out.push((await call(sim, 'GET', HEALTH)).status)
      return out
    }
    const a = await pattern(42)
    expect(await pattern(42)).toEqual(a)
    expect(a).toContain(503)
    expect(a).toContain(200)
  })
})

describe('certificates', () => {
  it('rotation serves a new certificate: new fingerprint, the old pinned certificate is refused', async () => {
    const sim = await start()
    const oldPem = sim.certificate
    const oldFp = sim.fingerprint
    expect(await servedFingerprint(sim)).toBe(oldFp)
    const t = await login(sim, 'admin')

    const newFp = await sim.rotateCertificate()
    expect(newFp).not.toBe(oldFp)
    expect(sim.fingerprint).toBe(newFp)
    expect(fingerprintOf(sim.certificate)).toBe(newFp)
    expect(await servedFingerprint(sim)).toBe(newFp)

    const pinnedOld = new Agent({ connect: { ca: oldPem } })
    await expect(request(`${sim.url}${HEALTH}`, { dispatcher: pinnedOld })).rejects.toMatchObject({
      code: expect.stringMatching(/CERT|SELF_SIGNED|SIGNATURE/),
    })
    await pinnedOld.close()
    // The new certificate is trusted, and the API state survived the rotation.
    expect((await call(sim, 'GET', '/api/v2/users/whoami', { token: t.access_token })).status).toBe(
      200,
    )
  })

  it('can serve a CA-signed certificate and keep it CA-signed across rotation', async () => {
    const ca = await createCertificateAuthority('Tokendeck test CA')
    const sim = await start({ ca })
    const viaCa = trusting(ca.cert)
    expect((await call(sim, 'GET', HEALTH, { agent: viaCa })).status).toBe(200)
    await sim.rotateCertificate({ ca })
    const fresh = trusting(ca.cert)
    expect((await call(sim, 'GET', HEALTH, { agent: fresh })).status).toBe(200)
    await Promise.all([viaCa.close(), fresh.close()])
  })

  it('listens on the IPv6 loopback when asked', async () => {
    const sim = await start({ host: '::1' })
    expect(sim.url).toMatch(/^https:\/\/\[::1\]:\d+$/)
    expect((await login(sim, 'bob')).token_type).toBe('Bearer')
  })
})
