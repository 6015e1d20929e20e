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

const REFRESH = '/api/v2/login/refresh'
const whoami = (sim: WekaSim, token: string) => call(sim, 'GET', '/api/v2/users/whoami', { token })

describe('POST /login/refresh', () => {
  it('hands back the login shape with a new refresh token; the old one stays valid by default', async () => {
    const clock = new FakeClock()
    const sim = await start({ clock })
    const first = await login(sim, 'alice')
    clock.advance(240_000)
    const second = tokensOf(
      await call(sim, 'POST', REFRESH, { json: { refresh_token: first.refresh_token } }),
    )
    expect(second).toMatchObject({
      token_type: 'Bearer',
      expires_in: 300,
      password_change_required: false,
    })
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect(second.access_token).not.toBe(first.access_token)
    // Sliding window: the new refresh token's expiry starts now.
    expect(decodeJwt(second.refresh_token).claims.exp).toBe(
      Math.floor(clock.now() / 1000) + 30 * 86_400,
    )
    expect((await whoami(sim, second.access_token)).status).toBe(200)
    // DESIGN docs/protocols/weka.md §9.5: the used refresh token still works.
    expect(
      (await call(sim, 'POST', REFRESH, { json: { refresh_token: first.refresh_token } })).status,
    ).toBe(200)
  })

  it('needs no Authorization header, and accepts an expired bearer alongside (as CSI sends it)', async () => {
    const clock = new FakeClock()
    const sim = await start({ clock })
    const t = await login(sim, 'bob')
    clock.advance(301_000)
    expect((await whoami(sim, t.access_token)).status).toBe(401)
    const r = await call(sim, 'POST', REFRESH, {
      json: { refresh_token: t.refresh_token },
      token: t.access_token,
    })
    expect((await whoami(sim, tokensOf(r).access_token)).status).toBe(200)
  })

  it('makes refresh tokens single-use when the knob is on (also when turned mid-run)', async () => {
    const sim = await start({ refreshTokenSingleUse: true })
    const t = await login(sim, 'alice')
    const next = tokensOf(
      await call(sim, 'POST', REFRESH, { json: { refresh_token: t.refresh_token } }),
    )
    const again = await call(sim, 'POST', REFRESH, { json: { refresh_token: t.refresh_token } })
    expect(again.status).toBe(401)
    expect(again.body).toEqual({ data: 'Unauthorized' })
    expect(
      (await call(sim, 'POST', REFRESH, { json: { refresh_token: next.refresh_token } })).status,
    ).toBe(200)

    sim.state.config.refreshTokenSingleUse = false
    const reusable = (await login(sim, 'bob')).refresh_token
    for (let i = 0; i < 2; i++)
      expect((await call(sim, 'POST', REFRESH, { json: { refresh_token: reusable } })).status).toBe(
        200,
      )
  })

  it('answers 401 {"data":"Unauthorized"} to expired, revoked, malformed, forged and access tokens', async () => {
    const clock = new FakeClock()
    const sim = await start({ clock, refreshTokenTtlSeconds: 3600 })
    const expect401 = async (refresh_token: string) => {
      const r = await call(sim, 'POST', REFRESH, { json: { refresh_token } })
      expect(r.status).toBe(401)
      expect(r.body).toEqual({ data: 'Unauthorized' })
    }
    const a = await login(sim, 'alice')
    await expect401('not-a-jwt')
    await expect401(a.access_token) // an access token is not a refresh token
    // Same header and claims, different signature: not ours.
    const [h, p] = a.refresh_token.split('.')
    await expect401(`${h}.${p}.${Buffer.from('forged').toString('base64url')}`)

    clock.advance(3600_000)
    await expect401(a.refresh_token)

    const b = await login(sim, 'bob')
    sim.state.revokeTokens(sim.state.user('bob')!)
    await expect401(b.refresh_token)
  })

  it('validates its fields with the 400 shape', async () => {
    const sim = await start()
    const t = await login(sim, 'alice')
    const missing = await call(sim, 'POST', REFRESH, { json: {} })
    expect(missing.status).toBe(400)
    expect(missing.body).toMatchObject({ data: { missing_params: ['refresh_token'] } })
    for (const bad of [-1, 1.5, '300']) {
      const r = await call(sim, 'POST', REFRESH, {
        json: { refresh_token: t.refresh_token, access_token_expiry: bad },
      })
      expect(r.status).toBe(400)
      expect(r.body).toMatchObject({ data: { param: 'access_token_expiry' } })
    }
    const r = await call(sim, 'POST', REFRESH, {
      json: { refresh_token: t.refresh_token, refresh_token_expiry: 'soon' },
    })
    expect(r.body).toMatchObject({ data: { param: 'refresh_token_expiry' } })
  })

  it('mints a long-lived token from access_token_expiry (docs/protocols/weka.md §4.1 DESIGN); 0 means the default', async () => {
    const clock = new FakeClock()
    const sim = await start({ clock })
    const t = await login(sim, 'alice')
    const month = 2_592_000
    const ll = tokensOf(
      await call(sim, 'POST', REFRESH, {
        json: { refresh_token: t.refresh_token, access_token_expiry: month },
      }),
    )
    expect(ll.expires_in).toBe(month)
    const c = decodeJwt(ll.access_token).claims as { exp: number; iat: number }
    expect(c.exp - c.iat).toBe(month)
    expect(sim.state.liveTokens('alice').filter((r) => r.kind === 'long-lived')).toHaveLength(1)

    const zero = tokensOf(
      await call(sim, 'POST', REFRESH, {
        json: { refresh_token: t.refresh_token, access_token_expiry: 0 },
      }),
    )
    expect(zero.expires_in).toBe(300)

    clock.advance(29 * 86_400_000)
    expect((await whoami(sim, t.access_token)).status).toBe(401)
    expect((await whoami(sim, ll.access_token)).status).toBe(200)
    clock.advance(86_400_000)
    expect((await whoami(sim, ll.access_token)).status).toBe(401)
  })

  it('caps access_token_expiry at the maximum and honours refresh_token_expiry', async () => {
    const clock = new FakeClock()
    const sim = await start({ clock, maxAccessTokenExpirySeconds: 86_400 })
    const t = await login(sim, 'bob')
    const r = tokensOf(
      await call(sim, 'POST', REFRESH, {
        json: {
          refresh_token: t.refresh_token,
          access_token_expiry: 2_592_000,
          refresh_token_expiry: 600,
        },
      }),
    )
    expect(r.expires_in).toBe(86_400)
    const rc = decodeJwt(r.refresh_token).claims as { exp: number; iat: number }
    expect(rc.exp - rc.iat).toBe(600)
    clock.advance(601_000)
    expect(
      (await call(sim, 'POST', REFRESH, { json: { refresh_token: r.refresh_token } })).status,
    ).toBe(401)
  })

  it('lets a locked-out user refresh (docs/protocols/weka.md §3 DESIGN) and carries password_change_required', async () => {
    const sim = await start()
    const t = await login(sim, 'newbie')
    for (let i = 0; i < 5; i++)
      await call(sim, 'POST', '/api/v2/login', { json: { username: 'newbie', password: 'x' } })
    expect(sim.state.lockedUntil('newbie')).toBeDefined()
    const r = tokensOf(
      await call(sim, 'POST', REFRESH, { json: { refresh_token: t.refresh_token } }),
    )
    expect(r.password_change_required).toBe(true)
  })
})
