import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../common/clock'
import { startSwarmSim, type SwarmSim } from './index'
import { idFromBody, pw, swarmClient } from './testClient'

const TOKENS = '/_admin/manage/tenants/acme/tokens'
const ALICE = 'alice+acme'

let clock: FakeClock
let sim: SwarmSim
let client: ReturnType<typeof swarmClient>

beforeAll(async () => {
  // Off the whole second, to see creation (whole seconds) and expiration (ms) differ as observed.
  clock = new FakeClock(Date.UTC(2026, 10, 23, 9, 0, 0, 877))
  sim = await startSwarmSim({ clock })
  client = swarmClient(sim)
})
afterAll(async () => {
  await client.close()
  await sim.close()
})
beforeEach(() => sim.state.tokens.clear())

interface TenantToken {
  token: string
  owner: string
  scope: string
  expiration: string
  creation: string
  secret?: string
  description?: string
  s3?: boolean
}

async function createTenantToken(
  user: string,
  headers: Record<string, string> = {},
): Promise<TenantToken> {
  const r = await client.call('POST', TOKENS, { basic: pw(sim, user), headers })
  expect(r.status, r.text).toBe(201)
  return r.json<TenantToken>()
}

describe('Management API tenant tokens', () => {
  it('POST creates a tenant token: 201 JSON with bare owner, +tenant scope, 24 h expiry', async () => {
    const t = await createTenantToken(ALICE)
    expect(t).toEqual({
      token: expect.stringMatching(/^[0-9a-f]{32}$/),
      owner: 'alice',
      scope: '+acme',
      creation: '2026-11-23T09:00:00.000Z',
      expiration: '2026-11-24T09:00:00.877Z',
    })
    expect(sim.state.tokens.get(t.token)?.scope).toEqual({ kind: 'tenant', tenant: 'acme' })
  })

  it('echoes the S3 secret on creation only, and honours the expiry and description headers', async () => {
    const t = await createTenantToken(ALICE, {
      'x-user-secret-key-meta': 'TenantS3Secret42',
      'x-user-token-expires-meta': '2027-01-01',
      'x-custom-meta-source': 'nightly sync',
    })
    expect(t.secret).toBe('TenantS3Secret42')
    expect(t.expiration).toBe('2027-01-01T00:00:00.000Z')
    const list = await client.call('GET', TOKENS, { basic: pw(sim, ALICE) })
    expect(list.status).toBe(200)
    expect(list.text).not.toContain('TenantS3Secret42')
    expect(list.json<TenantToken[]>()).toEqual([
      {
        token: t.token,
        owner: 'alice',
        scope: '+acme',
        creation: t.creation,
        expiration: t.expiration,
        description: 'nightly sync',
        s3: true,
      },
    ])
  })

  it('lists own tokens for a user, every tenant token for the tenant token admin', async () => {
    const a = await createTenantToken(ALICE)
    const b = await createTenantToken('acmeadmin+acme', { 'x-owner-meta': 'admin@' })
    const mine = await client.call('GET', TOKENS, { basic: pw(sim, ALICE) })
    expect(mine.json<TenantToken[]>().map((t) => t.token)).toEqual([a.token])
    const all = await client.call('GET', TOKENS, { basic: pw(sim, 'acmeadmin+acme') })
    expect(all.json<TenantToken[]>().map((t) => t.token)).toEqual([a.token, b.token])
  })

  it('GET one validates a token; DELETE removes it with 200 JSON; then 404', async () => {
    const t = await createTenantToken(ALICE)
    const one = await client.call('GET', `${TOKENS}/${t.token}`, { basic: pw(sim, ALICE) })
    expect(one.status).toBe(200)
    expect(one.json<TenantToken>()).toMatchObject({ token: t.token, s3: false })
    expect(
      (
        await client.call('GET', `${TOKENS}/${t.token}`, {
          basic: pw(sim, 'bob@docs.acme.example'),
        })
      ).status,
    ).toBe(403)
    const del = await client.call('DELETE', `${TOKENS}/${t.token}`, { basic: pw(sim, ALICE) })
    expect(del.status).toBe(200)
    expect(del.json()).toEqual({ status: 'ok', message: 'Token deleted' })
    expect(
      (await client.call('GET', `${TOKENS}/${t.token}`, { basic: pw(sim, ALICE) })).status,
    ).toBe(404)
  })

  it('refuses anonymous (401), foreign tenants and domain users (403), unknown tenants (404)', async () => {
    expect((await client.call('GET', TOKENS)).status).toBe(401)
    expect(
      (await client.call('GET', TOKENS, { basic: pw(sim, 'dave@files.globex.example') })).status,
    ).toBe(403)
    expect(
      (await client.call('POST', TOKENS, { basic: pw(sim, 'bob@docs.acme.example') })).status,
    ).toBe(403)
    expect(
      (
        await client.call('GET', '/_admin/manage/tenants/initech/tokens', {
          basic: pw(sim, 'admin@'),
        })
      ).status,
    ).toBe(404)
  })

  it('accepts a session token cookie but refuses an S3-secret token with 401', async () => {
    const session = await client.call('POST', '/.TOKEN/?setcookie=false', { basic: pw(sim, ALICE) })
    expect((await client.call('GET', TOKENS, { cookie: idFromBody(session.text) })).status).toBe(
      200,
    )
    const s3 = await createTenantToken(ALICE, { 'x-user-secret-key-meta': 'OnlyForS3abc' })
    const r = await client.call('GET', TOKENS, { cookie: s3.token })
    expect(r.status).toBe(401)
    expect(r.text).toBe('Authentication required')
    expect((await client.call('POST', TOKENS, { cookie: s3.token })).status).toBe(401)
  })

  it('tenant tokens expire like any other: stale cookie → 401 + clearing Set-Cookie', async () => {
    const t = await createTenantToken(ALICE, { 'x-user-token-expires-meta': '+1' })
    clock.advance(86_400_000)
    const r = await client.call('GET', TOKENS, { cookie: t.token })
    expect(r.status).toBe(401)
    expect(String(r.headers['set-cookie'])).toMatch(/^token=; .*Max-Age=0/)
    clock.set(Date.UTC(2026, 10, 23, 9, 0, 0, 877))
  })
})
