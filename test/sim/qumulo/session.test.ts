import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../common/clock'
import { startQumuloSim } from './index'
import { TestClient, errorClass, passwordOf } from './testClient'
import type { QumuloSim } from './types'

const HOUR = 3_600_000

describe('Qumulo simulator: version, login, who-am-i, roles', () => {
  const clock = new FakeClock()
  let sim: QumuloSim
  let c: TestClient

  beforeAll(async () => {
    sim = await startQumuloSim({ clock })
    c = new TestClient(sim)
  })
  afterAll(async () => {
    await c.close()
    await sim.close()
  })
  afterEach(() => {
    sim.faults.clear()
  })

  it('seeds one administrator, two ordinary users and groups; only admins have an admin role', () => {
    expect(sim.users.map((u) => u.username)).toEqual(['admin', 'alice', 'bob'])
    const admins = sim.users.filter((u) => /admin/i.test(u.role))
    expect(admins.map((u) => u.username)).toEqual(['admin'])
    expect(sim.state.groups().map((g) => g.name)).toContain('storage-ops')
    expect(sim.state.privilegesOf(sim.state.userByName('admin')!.authId)).toContain(
      'PRIVILEGE_ACCESS_TOKENS_WRITE',
    )
    expect(sim.state.privilegesOf(sim.state.userByName('bob')!.authId)).not.toContain(
      'PRIVILEGE_ACCESS_TOKENS_READ',
    )
  })

  it('GET /v1/version needs no auth and answers exactly application/json', async () => {
    const r = await c.call('GET', '/v1/version')
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('application/json')
    expect((r.body as { revision_id: string }).revision_id).toMatch(/^Qumulo Core \d/)
  })

  it('logs in with {username, password} and returns a session-v1 bearer token', async () => {
    const r = await c.call('POST', '/v1/session/login', {
      json: { username: 'admin', password: passwordOf(sim, 'admin') },
    })
    expect(r.status).toBe(200)
    expect(Object.keys(r.body as object)).toEqual(['bearer_token'])
    const token = (r.body as { bearer_token: string }).bearer_token
    expect(token).toMatch(/^session-v1:[A-Za-z0-9+/=]+$/)
    const s = sim.state.sessions.get(token)!
    expect(s.expiresAt - s.createdAt).toBe(10 * HOUR)
    expect(sim.state.loginAttempts.at(-1)).toEqual({ at: clock.now(), username: 'admin', ok: true })
  })

  it('who-am-i returns the documented fields with string ids and no access_token_id for a session', async () => {
    const token = await c.login('admin', passwordOf(sim, 'admin'))
    const r = await c.call('GET', '/v1/session/who-am-i', { token })
    expect(r.status).toBe(200)
    const me = r.body as Record<string, unknown>
    expect(me).toMatchObject({
      id: '500',
      name: 'admin',
      primary_group: '513',
      uid: '',
      can_change_password: true,
    })
    expect(me.sid).toMatch(/^S-1-5-21-\d+-\d+-\d+-500$/)
    expect(me.privileges).toEqual(
      expect.arrayContaining(['PRIVILEGE_ACCESS_TOKENS_READ', 'PRIVILEGE_ACCESS_TOKENS_WRITE']),
    )
    expect(me).not.toHaveProperty('access_token_id')
    expect(sim.requests.at(-1)).toMatchObject({
      path: '/v1/session/who-am-i',
      status: 200,
      user: 'admin',
    })
  })

  it('rejects a wrong password with 401 in the Qumulo error envelope and records the attempt', async () => {
    const r = await c.call('POST', '/v1/session/login', {
      json: { username: 'alice', password: 'wrong' },
    })
    expect(r.status).toBe(401)
    expect(r.headers['content-type']).toBe('application/json')
    expect(r.body).toEqual({
      module: 'qinternal.rest',
      error_class: 'auth_invalid_credentials_error',
      description: expect.any(String),
      stack: [],
      user_visible: true,
    })
    expect(sim.state.loginAttempts.at(-1)).toMatchObject({ username: 'alice', ok: false })
    const unknown = await c.call('POST', '/v1/session/login', {
      json: { username: 'nobody', password: 'x' },
    })
    expect(unknown.status).toBe(401)
    expect(errorClass(unknown)).toBe('auth_invalid_credentials_error')
  })

  it('accepts the documented login-name forms: cluster\\user, DOMAIN\\user and UPN', async () => {
    for (const name of ['tokendeck-q1\\admin', 'CORP\\bob', 'bob@corp.example.com', 'BOB']) {
      const password = passwordOf(sim, name.includes('admin') ? 'admin' : 'bob')
      const r = await c.call('POST', '/v1/session/login', { json: { username: name, password } })
      expect(r.status, name).toBe(200)
    }
    const token = await c.login('CORP\\bob', passwordOf(sim, 'bob'))
    const me = (await c.call('GET', '/v1/session/who-am-i', { token })).body as Record<
      string,
      unknown
    >
    expect(me).toMatchObject({ name: 'bob', can_change_password: false })
  })

  it('validates the login body: missing field, wrong type, bad JSON, wrong content-type', async () => {
    const missing = await c.call('POST', '/v1/session/login', { json: { username: 'admin' } })
    expect([missing.status, errorClass(missing)]).toEqual([400, 'rest_invalid_request_error'])
    const wrongType = await c.call('POST', '/v1/session/login', {
      json: { username: 'admin', password: 123 },
    })
    expect([wrongType.status, errorClass(wrongType)]).toEqual([400, 'rest_invalid_request_error'])
    const badJson = await c.call('POST', '/v1/session/login', {
      raw: '{"username":',
      headers: { 'content-type': 'application/json' },
    })
    expect([badJson.status, errorClass(badJson)]).toEqual([400, 'decode_error'])
    const form = await c.call('POST', '/v1/session/login', {
      raw: 'username=admin&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect([form.status, errorClass(form)]).toEqual([415, 'http_unsupported_media_type_error'])
    const array = await c.call('POST', '/v1/session/login', { json: ['admin'] })
    expect(array.status).toBe(400)
  })

  it('a session authenticates until 10 hours have passed, then answers 401', async () => {
    const token = await c.login('alice', passwordOf(sim, 'alice'))
    clock.advance(10 * HOUR - 1000)
    expect((await c.call('GET', '/v1/session/who-am-i', { token })).status).toBe(200)
    clock.advance(1000)
    const r = await c.call('GET', '/v1/session/who-am-i', { token })
    expect([r.status, errorClass(r)]).toEqual([401, 'http_unauthorized_error'])
    expect(sim.state.liveSessions().some((s) => s.bearerToken === token)).toBe(false)
  })

  it('missing, garbage and unknown bearer tokens get 401', async () => {
    for (const token of [undefined, 'garbage', 'session-v1:AAAA', 'access-v1:AAAA']) {
      const r = await c.call('GET', '/v1/session/who-am-i', token === undefined ? {} : { token })
      expect([r.status, errorClass(r)], String(token)).toEqual([401, 'http_unauthorized_error'])
    }
  })

  it('expireAllSessions() (the "expired tokens" fault) ends every live session', async () => {
    const token = await c.login('admin', passwordOf(sim, 'admin'))
    sim.state.expireAllSessions()
    expect((await c.call('GET', '/v1/session/who-am-i', { token })).status).toBe(401)
  })

  it('a session keeps the privileges of login time; a new login sees role changes', async () => {
    const bob = sim.state.userByName('bob')!
    const before = await c.login('bob', passwordOf(sim, 'bob'))
    sim.state.grantRole(bob.authId, 'Observers')
    try {
      const old = (await c.call('GET', '/v1/session/who-am-i', { token: before })).body as {
        privileges: string[]
      }
      expect(old.privileges).not.toContain('PRIVILEGE_ACCESS_TOKENS_READ')
      const after = await c.login('bob', passwordOf(sim, 'bob'))
      const fresh = (await c.call('GET', '/v1/session/who-am-i', { token: after })).body as {
        privileges: string[]
      }
      expect(fresh.privileges).toContain('PRIVILEGE_ACCESS_TOKENS_READ')
      const roles = await c.call('GET', '/v1/session/roles', { token: after })
      expect(roles.body).toEqual(expect.arrayContaining(['svc-backup', 'Observers']))
    } finally {
      sim.state.revokeRole(bob.authId, 'Observers')
    }
  })

  it('roles reached through a group count (alice is in storage-ops)', async () => {
    const alice = sim.state.userByName('alice')!
    const ops = sim.state.groups().find((g) => g.name === 'storage-ops')!
    sim.state.roles.set('Token-Operators', {
      name: 'Token-Operators',
      description: 'test',
      privileges: new Set(['PRIVILEGE_ACCESS_TOKENS_WRITE']),
      members: new Set([ops.authId]),
    })
    try {
      expect(sim.state.privilegesOf(alice.authId)).toContain('PRIVILEGE_ACCESS_TOKENS_WRITE')
      const token = await c.login('alice', passwordOf(sim, 'alice'))
      expect((await c.call('GET', '/v1/session/roles', { token })).body).toEqual(
        expect.arrayContaining(['Observers', 'Token-Operators']),
      )
    } finally {
      sim.state.roles.delete('Token-Operators')
    }
  })

  it('honours sessionTtlSeconds', async () => {
    const short = await startQumuloSim({ clock, sessionTtlSeconds: 60 })
    const sc = new TestClient(short)
    try {
      const token = await sc.login('admin', passwordOf(short, 'admin'))
      clock.advance(61_000)
      expect((await sc.call('GET', '/v1/session/who-am-i', { token })).status).toBe(401)
    } finally {
      await sc.close()
      await short.close()
    }
  })
})
