import { afterEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../common/clock'
import { startWekaSim, type WekaSim, type WekaSimOptions } from './index'
import { call, decodeJwt, login, tokensOf } from './testClient'

const sims: WekaSim[] = []
async function start(o: WekaSimOptions = {}): Promise<WekaSim> {
  const sim = await startWekaSim(o)
  sims.push(sim)
  return sim
}
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()))
})

const pw = (sim: WekaSim, username: string) =>
  sim.users.find((u) => u.username === username)!.password
const LOGIN = '/api/v2/login'

describe('POST /login', () => {
  it('returns the token object in the data envelope, with RS256 JWTs shaped like WEKA`s', async () => {
    const clock = new FakeClock()
    const sim = await start({ clock })
    const r = await call(sim, 'POST', LOGIN, {
      json: { username: 'admin', password: pw(sim, 'admin') },
    })
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toMatch(/^application\/json/)
    const data = tokensOf(r)
    expect(Object.keys(data).sort()).toEqual(
      [
        'access_token',
        'expires_in',
        'password_change_required',
        'refresh_token',
        'token_type',
      ].sort(),
    )
    expect(data).toMatchObject({
      token_type: 'Bearer',
      expires_in: 300,
      password_change_required: false,
    })

    const access = decodeJwt(data.access_token)
    expect(access.header).toEqual({ alg: 'RS256', itt: 'BACKEND', typ: 'JWT' })
    const iat = Math.floor(clock.now() / 1000)
    expect(access.claims).toMatchObject({ iat, exp: iat + 300, itt: 'BACKEND' })
    expect(access.claims.sub).toEqual({
      org_id: 0,
      revocation_cycle: 0,
      role: 'ClusterAdminUser',
      source: 'Internal',
      username: 'admin',
    })
    const refresh = decodeJwt(data.refresh_token)
    expect(refresh.claims.exp).toBe(iat + 30 * 86_400)
    expect(refresh.claims.sub).toMatchObject({ org_id: 0, username: 'admin' })
    expect((refresh.claims.sub as { proof: string }).proof).toMatch(
      /^uidx=\d+;uuid=0;ucyc=0;oidx=0;ouid=0$/,
    )

    // The access token opens the API; the simulator knows both as live.
    const who = await call(sim, 'GET', '/api/v2/users/whoami', { token: data.access_token })
    expect(who.status).toBe(200)
    expect(
      sim.state
        .liveTokens('admin')
        .map((t) => t.kind)
        .sort(),
    ).toEqual(['access', 'refresh'])
  })

  it('accepts a form-encoded body, as wekalib sends it', async () => {
    const sim = await start()
    const r = await call(sim, 'POST', LOGIN, {
      form: { username: 'bob', password: pw(sim, 'bob'), org: 'root' },
    })
    expect(tokensOf(r).token_type).toBe('Bearer')
  })

  it('matches org case-insensitively, treats "" as Root, accepts an org ID, keys users by (org, username)', async () => {
    const sim = await start({
      users: [
        { username: 'alice', password: 'Root-Alice-1', role: 'Regular' },
        { username: 'alice', password: 'Lab-Alice-22', role: 'OrgAdmin', tenant: 'Lab' },
      ],
    })
    const as = async (password: string, org?: unknown) =>
      (
        await call(sim, 'POST', LOGIN, {
          json: { username: 'alice', password, ...(org !== undefined ? { org } : {}) },
        })
      ).status
    expect(await as('Root-Alice-1')).toBe(200)
    expect(await as('Root-Alice-1', '')).toBe(200)
    expect(await as('Root-Alice-1', 'ROOT')).toBe(200)
    expect(await as('Lab-Alice-22', 'lab')).toBe(200)
    expect(await as('Lab-Alice-22', 1)).toBe(200)
    expect(await as('Lab-Alice-22', '1')).toBe(200)
    // Each alice has only her own password.
    expect(await as('Lab-Alice-22')).toBe(401)
    expect(await as('Root-Alice-1', 'Lab')).toBe(401)
    expect(await as('Root-Alice-1', 'NoSuchOrg')).toBe(401)
    const lab = tokensOf(
      await call(sim, 'POST', LOGIN, {
        json: { username: 'alice', password: 'Lab-Alice-22', org: 'LAB' },
      }),
    )
    expect((decodeJwt(lab.access_token).claims.sub as { org_id: number }).org_id).toBe(1)
    expect(sim.users.find((u) => u.tenant === 'Lab')?.role).toBe('OrgAdmin')
  })

  it('answers 400 in the documented shape for missing fields, wrong types, bad JSON and other content types', async () => {
    const sim = await start()
    const missing = await call(sim, 'POST', LOGIN, { json: { username: 'admin' } })
    expect(missing.status).toBe(400)
    expect(missing.body).toMatchObject({
      message: expect.any(String),
      data: { missing_params: ['password'] },
    })

    const wrongType = await call(sim, 'POST', LOGIN, {
      json: { username: 'admin', password: 12345678 },
    })
    expect(wrongType.status).toBe(400)
    expect(wrongType.body).toMatchObject({ data: { param: 'password', error: expect.any(String) } })

    const badOrg = await call(sim, 'POST', LOGIN, {
      json: { username: 'admin', password: pw(sim, 'admin'), org: { id: 0 } },
    })
    expect(badOrg.status).toBe(400)
    expect(badOrg.body).toMatchObject({ data: { param: 'org' } })

    const badJson = await call(sim, 'POST', LOGIN, {
      raw: { body: '{"username":', contentType: 'application/json' },
    })
    expect(badJson.status).toBe(400)
    expect(badJson.body).toMatchObject({
      message: expect.any(String),
      data: { error: expect.any(String) },
    })

    // An unparsed content type leaves the body empty, so both fields are missing (Express behaviour).
    const text = await call(sim, 'POST', LOGIN, {
      raw: {
        body: JSON.stringify({ username: 'admin', password: pw(sim, 'admin') }),
        contentType: 'text/plain',
      },
    })
    expect(text.status).toBe(400)
    expect(text.body).toMatchObject({ data: { missing_params: ['username', 'password'] } })
    expect(sim.state.liveTokens()).toHaveLength(0)
  })

  it('refuses bad credentials with 401 and the DESIGN body, and counts every attempt', async () => {
    const sim = await start()
    const r = await call(sim, 'POST', LOGIN, {
      json: { username: 'alice', password: 'wrong-Password-1' },
    })
    expect(r.status).toBe(401)
    expect(r.body).toEqual({ data: 'Authentication Failed. Invalid username or password' })
    const unknown = await call(sim, 'POST', LOGIN, { json: { username: 'mallory', password: 'x' } })
    expect(unknown.status).toBe(401)
    expect(unknown.body).toEqual(r.body)
    await login(sim, 'alice')
    expect(sim.state.loginAttempts('alice')).toBe(2)
    expect(sim.state.loginAttempts('alice', 'root')).toBe(2)
    expect(sim.state.loginAttempts('mallory')).toBe(1)
    expect(sim.state.failedLogins('alice')).toBe(0) // a success ends the streak
  })

  it('locks after 5 failures for 2 minutes with the Go-duration 403, refusing even the right password', async () => {
    const clock = new FakeClock()
    const sim = await start({ clock })
    const attempt = (password: string) =>
      call(sim, 'POST', LOGIN, { json: { username: 'alice', password } })
    for (let i = 0; i < 5; i++) expect((await attempt('nope-Nope-1')).status).toBe(401)
    expect(sim.state.lockedUntil('alice')).toBe(clock.now() + 120_000)

    clock.advance(5_000)
    const locked = await attempt(pw(sim, 'alice'))
    expect(locked.status).toBe(403)
    expect(locked.body).toEqual({
      data: 'Authentication Failed. User has been locked out for another 1m55s due to too many login attempts',
    })
    clock.advance(60_500)
    expect((await attempt('nope-Nope-1')).body).toEqual({
      data: 'Authentication Failed. User has been locked out for another 55s due to too many login attempts',
    })
    // DESIGN docs/protocols/weka.md §9.4: attempts during the lock do not extend it.
    clock.advance(54_500)
    expect((await attempt(pw(sim, 'alice'))).status).toBe(200)
    expect(sim.state.lockedUntil('alice')).toBeUndefined()
    expect(sim.state.loginAttempts('alice')).toBe(8)
    // Other users were never affected.
    expect(
      (await call(sim, 'POST', LOGIN, { json: { username: 'bob', password: pw(sim, 'bob') } }))
        .status,
    ).toBe(200)
  })

  it('honours the lockout knobs: attempts, duration, and restart-while-locked', async () => {
    const clock = new FakeClock()
    const sim = await start({
      clock,
      lockout: { attempts: 2, durationSeconds: 3600, restartWhileLocked: true },
    })
    const attempt = (password: string) =>
      call(sim, 'POST', LOGIN, { json: { username: 'bob', password } })
    await attempt('bad-Bad-1')
    expect(sim.state.lockedUntil('bob')).toBeUndefined()
    await attempt('bad-Bad-1')
    clock.advance(1_800_000)
    const r = await attempt('bad-Bad-1')
    // The attempt restarted the hour-long lock.
    expect(r.body).toEqual({
      data: 'Authentication Failed. User has been locked out for another 1h0m0s due to too many login attempts',
    })
    expect(sim.state.lockedUntil('bob')).toBe(clock.now() + 3_600_000)
  })

  it('flags the seeded newbie with password_change_required on first login', async () => {
    const sim = await start()
    expect((await login(sim, 'newbie')).password_change_required).toBe(true)
    expect((await login(sim, 'alice')).password_change_required).toBe(false)
  })

  it('logs who signed in but never a token or a password', async () => {
    const sim = await start()
    await call(sim, 'POST', LOGIN, { json: { username: 'alice', password: 'wrong-Password-1' } })
    const t = await login(sim, 'alice')
    await call(sim, 'GET', '/api/v2/users/whoami', { token: t.access_token })
    expect(sim.requests.map((r) => [r.method, r.path, r.status, r.user])).toEqual([
      ['POST', '/api/v2/login', 401, undefined],
      ['POST', '/api/v2/login', 200, 'alice'],
      ['GET', '/api/v2/users/whoami', 200, 'alice'],
    ])
    const logged = JSON.stringify(sim.requests)
    const secrets = sim.state.issuedSecrets()
    expect(secrets).toContain(t.access_token)
    expect(secrets).toContain(t.refresh_token)
    expect(secrets).toContain(pw(sim, 'alice'))
    for (const s of secrets) expect(logged).not.toContain(s)
  })
})
