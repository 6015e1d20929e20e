import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../common/clock'
import { startQumuloSim } from './index'
import { TestClient, errorClass, passwordOf } from './testClient'
import type { QumuloSim } from './types'

describe('Qumulo simulator: faults, certificate, logs, secrets', () => {
  let sim: QumuloSim
  let c: TestClient

  beforeAll(async () => {
    sim = await startQumuloSim({ clock: new FakeClock() })
    c = new TestClient(sim)
  })
  afterAll(async () => {
    await c.close()
    await sim.close()
  })

  it('fault knob serverError answers 503 with Retry-After on the matching path only', async () => {
    sim.faults.enable('serverError', {
      match: /^\/v1\/session\/login$/,
      times: 1,
      retryAfterSeconds: 7,
    })
    const r = await c.call('POST', '/v1/session/login', {
      json: { username: 'admin', password: passwordOf(sim, 'admin') },
    })
    expect(r.status).toBe(503)
    expect(r.headers['retry-after']).toBe('7')
    expect((await c.call('GET', '/v1/version')).status).toBe(200)
    // The budget of one is spent: the next login goes through.
    expect(
      (
        await c.call('POST', '/v1/session/login', {
          json: { username: 'admin', password: passwordOf(sim, 'admin') },
        })
      ).status,
    ).toBe(200)
    sim.faults.clear()
  })

  it('fault knob reset drops the connection without a reply', async () => {
    sim.faults.enable('reset', { times: 1 })
    await expect(c.call('GET', '/v1/version')).rejects.toThrow()
    expect(sim.requests.at(-1)?.status).toBe('reset')
    expect((await c.call('GET', '/v1/version')).status).toBe(200)
    sim.faults.clear()
  })

  it('fault knob truncatedJson cuts the reply in half', async () => {
    sim.faults.enable('truncatedJson', { times: 1, match: /who-am-i/ })
    const token = await c.login('admin', passwordOf(sim, 'admin'))
    await expect(c.call('GET', '/v1/session/who-am-i', { token })).rejects.toThrow(SyntaxError)
    sim.faults.clear()
  })

  it('rotating the certificate serves a new fingerprint; the old trust no longer connects', async () => {
    const before = sim.fingerprint
    const oldPem = sim.certificate
    const after = await sim.rotateCertificate()
    expect(after).not.toBe(before)
    expect(sim.fingerprint).toBe(after)
    expect(sim.certificate).not.toBe(oldPem)
    const stale = new Agent({ connect: { ca: oldPem } })
    try {
      await expect(request(`${sim.url}/v1/version`, { dispatcher: stale })).rejects.toThrow()
    } finally {
      await stale.close()
    }
    await c.retrust()
    expect((await c.call('GET', '/v1/version')).status).toBe(200)
  })

  it('logs who made a request, and never a token or password', async () => {
    const admin = await c.login('admin', passwordOf(sim, 'admin'))
    const created = await c.call('POST', '/v1/auth/access-tokens/', {
      token: admin,
      json: { user: { name: 'alice' } },
    })
    const { id, bearer_token } = created.body as { id: string; bearer_token: string }
    await c.call('GET', '/v1/session/who-am-i', { token: bearer_token })
    await c.call('GET', `/v1/auth/access-tokens/${id}`, { token: admin })
    expect(sim.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `/v1/auth/access-tokens/${id}`,
      status: 200,
      user: 'admin',
    })
    expect(sim.requests.at(-2)).toMatchObject({ path: '/v1/session/who-am-i', user: 'alice' })
    const loginEntry = sim.requests.find((r) => r.path === '/v1/session/login' && r.status === 200)
    expect(loginEntry?.user).toBe('admin')
    const secrets = sim.state.issuedSecrets()
    expect(secrets).toContain(bearer_token)
    expect(secrets).toContain(admin)
    expect(secrets).toContain(passwordOf(sim, 'alice'))
    const log = JSON.stringify(sim.requests)
    for (const s of secrets) expect(log).not.toContain(s)
  })

  it('issuedSecrets() remembers deleted tokens and expired sessions', async () => {
    const admin = await c.login('admin', passwordOf(sim, 'admin'))
    const r = await c.call('POST', '/v1/auth/access-tokens/', {
      token: admin,
      json: { user: { name: 'bob' } },
    })
    const { id, bearer_token } = r.body as { id: string; bearer_token: string }
    await c.call('DELETE', `/v1/auth/access-tokens/${id}`, { token: admin })
    sim.state.expireAllSessions()
    expect(sim.state.issuedSecrets()).toEqual(expect.arrayContaining([bearer_token, admin]))
  })

  it('unknown endpoints answer 404 in the error envelope', async () => {
    const r = await c.call('GET', '/v1/no/such/thing')
    expect([r.status, errorClass(r)]).toEqual([404, 'http_not_found_error'])
    expect(r.headers['content-type']).toBe('application/json')
  })
})

describe('Qumulo simulator: options', () => {
  it('takes replacement users and a cluster identity', async () => {
    const sim = await startQumuloSim({
      users: [
        { username: 'root', password: 'Root-Demo-1', role: 'cluster-admin' },
        { username: 'svc', password: 'Svc-Demo-1', role: 'Observers' },
      ],
      cluster: { name: 'lab-7', version: '6.3.0' },
    })
    const c = new TestClient(sim)
    try {
      expect(
        ((await c.call('GET', '/v1/version')).body as { revision_id: string }).revision_id,
      ).toBe('Qumulo Core 6.3.0')
      const root = await c.login('lab-7\\root', 'Root-Demo-1')
      const me = (await c.call('GET', '/v1/session/who-am-i', { token: root })).body as {
        id: string
        privileges: string[]
      }
      expect(me.id).toBe('500')
      expect(me.privileges).toContain('PRIVILEGE_ACCESS_TOKENS_WRITE')
      const svc = await c.login('svc', 'Svc-Demo-1')
      const denied = await c.call('POST', '/v1/auth/access-tokens/', {
        token: svc,
        json: { user: { name: 'svc' } },
      })
      expect(denied.status).toBe(403)
    } finally {
      await c.close()
      await sim.close()
    }
  })

  it('listens on ::1 when asked', async () => {
    const sim = await startQumuloSim({ host: '::1' })
    const c = new TestClient(sim)
    try {
      expect(sim.url).toMatch(/^https:\/\/\[::1\]:\d+$/)
      expect((await c.call('GET', '/v1/version')).status).toBe(200)
    } finally {
      await c.close()
      await sim.close()
    }
  })
})
