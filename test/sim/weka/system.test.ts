import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from './index'
import { call, login } from './testClient'

describe('cluster identity, token settings, healthcheck, routing', () => {
  let sim: WekaSim
  beforeAll(async () => {
    sim = await startWekaSim({
      cluster: { name: 'stewie', release: '4.4.2.123-abc' },
      accessTokenTtlSeconds: 600,
      refreshTokenTtlSeconds: 1_209_600,
    })
  })
  afterAll(() => sim.close())

  it('GET /cluster gives name, guid, release and release_hash to readers; Regular and S3 get 403', async () => {
    for (const who of ['admin', 'bob']) {
      const r = await call(sim, 'GET', '/api/v2/cluster', {
        token: (await login(sim, who)).access_token,
      })
      expect(r.status).toBe(200)
      expect((r.body as { data: unknown }).data).toMatchObject({
        name: 'stewie',
        guid: sim.state.config.cluster.guid,
        release: '4.4.2.123-abc',
        release_hash: 'abc',
        init_stage: 'INITIALIZED',
        status: 'OK',
        capacity: { unprovisioned_bytes: expect.any(Number) },
      })
    }
    for (const who of ['alice', 's3user']) {
      const r = await call(sim, 'GET', '/api/v2/cluster', {
        token: (await login(sim, who)).access_token,
      })
      expect(r.status).toBe(403)
      expect(r.body).toEqual({ data: 'Forbidden' })
    }
  })

  it('GET /security/defaultTokensExpiry reports the configured lifetimes', async () => {
    const r = await call(sim, 'GET', '/api/v2/security/defaultTokensExpiry', {
      token: (await login(sim, 'admin')).access_token,
    })
    expect(r.body).toEqual({ data: { access_token_expiry: 600, refresh_token_expiry: 1_209_600 } })
    expect((await login(sim, 'admin')).expires_in).toBe(600)
  })

  it('answers 401 {"data":"Unauthorized"} without a bearer, with garbage, or with a refresh token', async () => {
    const t = await login(sim, 'admin')
    for (const token of [undefined, 'garbage', t.refresh_token]) {
      const r = await call(sim, 'GET', '/api/v2/users/whoami', token ? { token } : {})
      expect(r.status).toBe(401)
      expect(r.body).toEqual({ data: 'Unauthorized' })
    }
  })

  it('serves the public helpers without a token', async () => {
    const h = await call(sim, 'GET', '/api/v2/healthcheck')
    expect(h.status).toBe(200)
    expect(h.headers['content-type']).toMatch(/^application\/json/)
    expect(h.body).toBe('ok')
    expect((await call(sim, 'GET', '/api/v2/organizations/multipleOrgsExist')).body).toEqual({
      data: true,
    })
  })

  it('answers 404 {"message"} for unknown paths and methods, and anything outside /api/v2', async () => {
    for (const [method, path] of [
      ['GET', '/api/v2/nothing'],
      ['PATCH', '/api/v2/cluster'],
      ['GET', '/api/v1'],
      ['GET', '/'],
    ] as const) {
      const r = await call(sim, method, path)
      expect(r.status).toBe(404)
      expect(r.body).toMatchObject({ message: expect.any(String) })
    }
    // Express's non-strict routing: a trailing slash is the same route.
    expect((await call(sim, 'GET', '/api/v2/healthcheck/')).status).toBe(200)
  })
})

describe('/lockoutPolicy', () => {
  const sims: WekaSim[] = []
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((s) => s.close()))
  })

  it('GET shows the policy; PUT changes it (ClusterAdmin only, within limits); the change takes effect', async () => {
    const sim = await startWekaSim()
    sims.push(sim)
    const admin = (await login(sim, 'admin')).access_token
    expect((await call(sim, 'GET', '/api/v2/lockoutPolicy', { token: admin })).body).toEqual({
      data: { num_failed_logins: 5, lockout_duration: 120 },
    })
    const orgAdmin = (await login(sim, 'orgadmin', 'Research')).access_token
    expect(
      (
        await call(sim, 'PUT', '/api/v2/lockoutPolicy', {
          token: orgAdmin,
          json: { num_failed_logins: 3 },
        })
      ).status,
    ).toBe(403)
    const regular = (await login(sim, 'alice')).access_token
    expect((await call(sim, 'GET', '/api/v2/lockoutPolicy', { token: regular })).status).toBe(403)

    for (const bad of [
      { num_failed_logins: 1 },
      { num_failed_logins: 51 },
      { lockout_duration: 29 },
      { lockout_duration: '60' },
    ]) {
      const r = await call(sim, 'PUT', '/api/v2/lockoutPolicy', { token: admin, json: bad })
      expect(r.status).toBe(400)
      expect(r.body).toMatchObject({ data: { param: Object.keys(bad)[0] } })
    }
    expect(
      (await call(sim, 'PUT', '/api/v2/lockoutPolicy', { token: admin, json: {} })).body,
    ).toMatchObject({
      data: { missing_params: ['num_failed_logins', 'lockout_duration'] },
    })

    const put = await call(sim, 'PUT', '/api/v2/lockoutPolicy', {
      token: admin,
      json: { num_failed_logins: 2 },
    })
    expect(put.body).toEqual({ data: { num_failed_logins: 2, lockout_duration: 120 } })
    for (let i = 0; i < 2; i++)
      await call(sim, 'POST', '/api/v2/login', { json: { username: 'bob', password: 'x' } })
    expect(sim.state.lockedUntil('bob')).toBeDefined()
  })

  it('DELETE clears failure counters and unlocks every account', async () => {
    const sim = await startWekaSim()
    sims.push(sim)
    const admin = (await login(sim, 'admin')).access_token
    for (let i = 0; i < 5; i++)
      await call(sim, 'POST', '/api/v2/login', { json: { username: 'alice', password: 'x' } })
    for (let i = 0; i < 3; i++)
      await call(sim, 'POST', '/api/v2/login', { json: { username: 'bob', password: 'x' } })
    expect(sim.state.lockedUntil('alice')).toBeDefined()
    expect(sim.state.failedLogins('bob')).toBe(3)
    const r = await call(sim, 'DELETE', '/api/v2/lockoutPolicy', { token: admin })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ data: {} })
    expect(sim.state.lockedUntil('alice')).toBeUndefined()
    expect(sim.state.failedLogins('bob')).toBe(0)
    expect((await login(sim, 'alice')).token_type).toBe('Bearer')
  })
})
