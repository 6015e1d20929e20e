import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../common/clock'
import { startSwarmSim, type SwarmSim } from './index'
import { header, idFromBody, pw, swarmClient } from './testClient'

const HOUR = 3_600_000
const DAY = 24 * HOUR

let clock: FakeClock
let sim: SwarmSim
let client: ReturnType<typeof swarmClient>

beforeAll(async () => {
  clock = new FakeClock()
  sim = await startSwarmSim({ clock })
  client = swarmClient(sim)
})
afterAll(async () => {
  await client.close()
  await sim.close()
})
beforeEach(() => {
  clock.set(Date.UTC(2026, 10, 23, 9, 0, 0))
  sim.state.tokens.clear()
})

const ALICE = 'alice+acme'
const BOB = 'bob@docs.acme.example'
const DAVE = 'dave@files.globex.example'

async function create(
  user: string,
  headers: Record<string, string> = {},
  query = '?setcookie=false',
) {
  const r = await client.call('POST', `/.TOKEN/${query}`, { basic: pw(sim, user), headers })
  expect(r.status, r.text).toBe(201)
  return idFromBody(r.text)
}

describe('POST /.TOKEN/ (create)', () => {
  it('answers 201 with the plain-text body, sets the token cookie by default, 24 h expiry', async () => {
    const r = await client.call('POST', '/.TOKEN/', { basic: pw(sim, ALICE) })
    expect(r.status).toBe(201)
    expect(r.text).toMatch(/^Token [0-9a-f]{32} issued for alice\+acme in docs\.acme\.example$/)
    const id = idFromBody(r.text)
    expect(header(r, 'set-cookie')).toMatch(
      new RegExp(`^token=${id}; Path=/; Expires=.* GMT; Secure; HttpOnly$`),
    )
    expect(header(r, 'gateway-token')).toBeUndefined()
    const token = sim.state.tokens.get(id)
    expect(token?.owner).toBe(ALICE)
    expect(token?.expiresAt).toBe(clock.now() + DAY)
    expect(token?.hasS3Secret).toBe(false)
  })

  it('setcookie=false puts the id in Gateway-Token and sets no cookie', async () => {
    const r = await client.call('POST', '/.TOKEN/?setcookie=false', { basic: pw(sim, ALICE) })
    expect(r.status).toBe(201)
    expect(header(r, 'gateway-token')).toBe(idFromBody(r.text))
    expect(header(r, 'set-cookie')).toBeUndefined()
  })

  it('accepts a token cookie as authentication (JASMIN creates its S3 token that way)', async () => {
    const session = await create(ALICE)
    const r = await client.call('POST', '/.TOKEN/?setcookie=false', {
      cookie: session,
      headers: {
        'x-user-secret-key-meta': 'S3secretAlnum0123456789',
        'x-custom-meta-source': 'laptop s3',
      },
    })
    expect(r.status).toBe(201)
    const token = sim.state.tokens.get(idFromBody(r.text))
    expect(token?.owner).toBe(ALICE)
    expect(token?.s3Secret).toBe('S3secretAlnum0123456789')
    expect(token?.hasS3Secret).toBe(true)
    expect(token?.description).toBe('laptop s3')
  })

  it('refuses wrong passwords, missing credentials and bearer-style tokens with 401 + WWW-Authenticate', async () => {
    const bad = await client.call('POST', '/.TOKEN/', { basic: [ALICE, 'wrong'] })
    expect(bad.status).toBe(401)
    expect(header(bad, 'www-authenticate')).toMatch(/^Basic realm=/)
    expect(sim.state.loginAttempts.at(-1)).toMatchObject({ username: ALICE, ok: false })
    expect((await client.call('POST', '/.TOKEN/')).status).toBe(401)
    const id = await create(ALICE)
    const bearer = await client.call('GET', '/.TOKEN/?format=json', {
      headers: { authorization: `Bearer ${id}` },
    })
    expect(bearer.status).toBe(401)
    const xAuth = await client.call('GET', '/.TOKEN/?format=json', {
      headers: { 'x-auth-token': id },
    })
    expect(xAuth.status).toBe(401)
  })

  it('resolves an unqualified user name from the domain up (bob → bob@docs.acme.example)', async () => {
    const r = await client.call('POST', '/.TOKEN/?setcookie=false', {
      basic: ['bob', pw(sim, BOB)[1]],
    })
    expect(r.status).toBe(201)
    expect(r.text).toContain(`issued for ${BOB} in docs.acme.example`)
  })

  it('chooses the domain by ?domain=, then X-Forwarded-Host, then Host', async () => {
    const byQuery = await client.call(
      'POST',
      '/.TOKEN/?setcookie=false&domain=files.globex.example',
      {
        basic: pw(sim, DAVE),
        headers: { 'x-forwarded-host': 'docs.acme.example' },
      },
    )
    expect(byQuery.status).toBe(201)
    expect(sim.state.tokens.get(idFromBody(byQuery.text))?.scope).toEqual({
      kind: 'domain',
      domain: 'files.globex.example',
      tenant: 'globex',
    })
    const byForward = await client.call('POST', '/.TOKEN/?setcookie=false', {
      basic: pw(sim, ALICE),
      headers: { 'x-forwarded-host': 'media.acme.example' },
    })
    expect(byForward.text).toContain('in media.acme.example')
    const unknown = await client.call('POST', '/.TOKEN/?domain=nowhere.example', {
      basic: pw(sim, ALICE),
    })
    expect(unknown.status).toBe(404)
    // A tenant user has no business in another tenant's domain.
    const foreign = await client.call('POST', '/.TOKEN/?domain=files.globex.example', {
      basic: pw(sim, ALICE),
    })
    expect(foreign.status).toBe(403)
  })

  it('honours X-Owner-Meta for the token admin only', async () => {
    const forAlice = await create('admin@', { 'x-owner-meta': ALICE })
    expect(sim.state.tokens.get(forAlice)).toMatchObject({ owner: ALICE, creator: 'admin@' })
    const tenantAdmin = await create('acmeadmin+acme', { 'x-owner-meta': 'bob' })
    expect(sim.state.tokens.get(tenantAdmin)?.owner).toBe(BOB)

    const byUser = await client.call('POST', '/.TOKEN/', {
      basic: pw(sim, ALICE),
      headers: { 'x-owner-meta': BOB },
    })
    expect(byUser.status).toBe(403)
    const outsideTenant = await client.call('POST', '/.TOKEN/?domain=files.globex.example', {
      basic: pw(sim, 'acmeadmin+acme'),
      headers: { 'x-owner-meta': DAVE },
    })
    expect(outsideTenant.status).toBe(403)
    const nobody = await client.call('POST', '/.TOKEN/', {
      basic: pw(sim, 'admin@'),
      headers: { 'x-owner-meta': 'nobody+acme' },
    })
    expect(nobody.status).toBe(400)
  })

  it('turning the token-admin flag off through the state takes the right away', async () => {
    const admin = sim.state.users.get('acmeadmin+acme')!
    admin.tokenAdmin = false
    try {
      const r = await client.call('POST', '/.TOKEN/', {
        basic: pw(sim, 'acmeadmin+acme'),
        headers: { 'x-owner-meta': ALICE },
      })
      expect(r.status).toBe(403)
    } finally {
      admin.tokenAdmin = true
    }
  })

  const now = Date.UTC(2026, 10, 23, 9, 0, 0)
  it.each([
    ['+10', now + 10 * DAY],
    ['+365', now + 365 * DAY],
    ['2030', Date.UTC(2030, 0, 1)],
    ['20300215', Date.UTC(2030, 1, 15)],
    ['1924992000', Date.UTC(2031, 0, 1)],
    ['2030-02-15', Date.UTC(2030, 1, 15)],
    ['2030-02-15T10:20:30Z', Date.UTC(2030, 1, 15, 10, 20, 30)],
    ['2030-02-15T10:20:30.123Z', Date.UTC(2030, 1, 15, 10, 20, 30, 123)],
    ['2030-02-15T10:20:30', Date.UTC(2030, 1, 15, 10, 20, 30)],
    ['2030-02-15T10:20:30+02:00', Date.UTC(2030, 1, 15, 8, 20, 30)],
  ])('X-User-Token-Expires-Meta %s sets the expiry', async (spec, expected) => {
    const id = await create(ALICE, { 'x-user-token-expires-meta': spec })
    expect(sim.state.tokens.get(id)?.expiresAt).toBe(expected)
  })

  it.each(['tomorrow', '2030-02-30', '+x', '2030-13-01T00:00:00Z', '2020', '+0'])(
    'X-User-Token-Expires-Meta %s is refused with 400',
    async (spec) => {
      const r = await client.call('POST', '/.TOKEN/', {
        basic: pw(sim, ALICE),
        headers: { 'x-user-token-expires-meta': spec },
      })
      expect(r.status).toBe(400)
      expect(sim.state.tokens.size).toBe(0)
    },
  )

  it('refuses a non-ASCII S3 secret', async () => {
    const r = await client.call('POST', '/.TOKEN/', {
      basic: pw(sim, ALICE),
      headers: { 'x-user-secret-key-meta': Buffer.from('sécret', 'utf8').toString('latin1') },
    })
    expect(r.status).toBe(400)
  })
})

describe('GET /.TOKEN/ (list)', () => {
  it('lists own tokens as Swarm-style JSON with a lifepoint expiry and never the S3 secret', async () => {
    const plain = await create(ALICE, {
      'x-custom-meta-source': 'build agent',
      'x-custom-meta-ticket-ref': 'OPS-1',
    })
    const s3 = await create(ALICE, { 'x-user-secret-key-meta': 'NeverListMe0123' })
    await create(BOB)
    const r = await client.call('GET', '/.TOKEN/?format=json', { basic: pw(sim, ALICE) })
    expect(r.status).toBe(200)
    expect(r.text).not.toContain('NeverListMe0123')
    const list = r.json<Array<Record<string, string>>>()
    expect(list.map((t) => t.name)).toEqual([plain, s3])
    const first = list[0]!
    expect(first).toMatchObject({
      x_owner_meta: ALICE,
      x_custom_meta_source: 'build agent',
      x_custom_meta_ticket_ref: 'OPS-1',
      last_modified: '2026-11-23T09:00:00Z',
    })
    const lifepoint = /^\[(.+ GMT)\] reps=2, \[\] delete$/.exec(first.lifepoint ?? '')
    expect(lifepoint).not.toBeNull()
    expect(Date.parse(lifepoint![1]!)).toBe(clock.now() + DAY)
  })

  it('the token admin sees every token of the domain; a plain user only their own', async () => {
    const a = await create(ALICE)
    const b = await create(BOB)
    const g = await client.call('POST', '/.TOKEN/?setcookie=false&domain=files.globex.example', {
      basic: pw(sim, DAVE),
    })
    expect(g.status).toBe(201)
    const admin = await client.call('GET', '/.TOKEN/?format=json', { basic: pw(sim, 'admin@') })
    expect(
      admin
        .json<Array<{ name: string }>>()
        .map((t) => t.name)
        .sort(),
    ).toEqual([a, b].sort())
    const bob = await client.call('GET', '/.TOKEN/?format=json', { basic: pw(sim, BOB) })
    expect(bob.json<Array<{ name: string }>>().map((t) => t.name)).toEqual([b])
  })

  it('without format=json answers plain text, one id per line', async () => {
    const a = await create(ALICE)
    const r = await client.call('GET', '/.TOKEN/', { basic: pw(sim, ALICE) })
    expect(r.status).toBe(200)
    expect(r.text).toBe(`${a}\n`)
  })
})

describe('expiry and S3-only tokens', () => {
  it('an expired cookie makes the caller anonymous: 401 plus a cookie-clearing Set-Cookie', async () => {
    const id = await create(ALICE)
    expect((await client.call('GET', '/.TOKEN/?format=json', { cookie: id })).status).toBe(200)
    clock.advance(DAY + 1000)
    const r = await client.call('GET', '/.TOKEN/?format=json', { cookie: id })
    expect(r.status).toBe(401)
    expect(header(r, 'set-cookie')).toMatch(/^token=; .*Max-Age=0/)
    const unknown = await client.call('GET', '/.TOKEN/?format=json', { cookie: '0'.repeat(32) })
    expect(header(unknown, 'set-cookie')).toMatch(/^token=; .*Max-Age=0/)
  })

  it('expired tokens linger in listings until the lifepoint reaps them (60 s grace)', async () => {
    const id = await create(ALICE, { 'x-user-token-expires-meta': '2026-11-23T10:00:00Z' })
    clock.advance(HOUR + 30_000)
    expect(sim.state.liveTokens().map((t) => t.id)).not.toContain(id)
    const during = await client.call('GET', '/.TOKEN/?format=json', { basic: pw(sim, ALICE) })
    expect(during.json<Array<{ name: string }>>().map((t) => t.name)).toEqual([id])
    clock.advance(31_000)
    const after = await client.call('GET', '/.TOKEN/?format=json', { basic: pw(sim, ALICE) })
    expect(after.json<unknown[]>()).toEqual([])
  })

  it('an S3-secret token is refused for token management with 401 and its cookie is kept', async () => {
    const s3 = await create(ALICE, { 'x-user-secret-key-meta': 'S3only0123456789' })
    for (const [method, path] of [
      ['GET', '/.TOKEN/?format=json'],
      ['POST', '/.TOKEN/'],
      ['DELETE', `/.TOKEN/${s3}`],
    ] as const) {
      const r = await client.call(method, path, { cookie: s3 })
      expect(r.status, `${method} ${path}`).toBe(401)
      expect(r.text).toBe('Authentication required')
      expect(header(r, 'set-cookie')).toBeUndefined()
    }
    expect(sim.state.tokens.has(s3)).toBe(true)
  })
})

describe('DELETE /.TOKEN/{id}', () => {
  it('the owner deletes own tokens (200), then the id is unknown (404)', async () => {
    const id = await create(ALICE)
    const r = await client.call('DELETE', `/.TOKEN/${id}`, { basic: pw(sim, ALICE) })
    expect(r.status).toBe(200)
    expect(sim.state.tokens.has(id)).toBe(false)
    expect((await client.call('DELETE', `/.TOKEN/${id}`, { basic: pw(sim, ALICE) })).status).toBe(
      404,
    )
  })

  it('someone else gets 403; the token admin may delete it', async () => {
    const id = await create(ALICE)
    expect((await client.call('DELETE', `/.TOKEN/${id}`, { basic: pw(sim, BOB) })).status).toBe(403)
    expect(
      (await client.call('DELETE', `/.TOKEN/${id}`, { basic: pw(sim, 'acmeadmin+acme') })).status,
    ).toBe(200)
  })

  it('an expired id is 404', async () => {
    const id = await create(ALICE)
    sim.state.expireToken(id)
    expect((await client.call('DELETE', `/.TOKEN/${id}`, { basic: pw(sim, ALICE) })).status).toBe(
      404,
    )
  })

  it('deleting the token you are using logs you out and clears the cookie', async () => {
    const id = await create(ALICE)
    const r = await client.call('DELETE', `/.TOKEN/${id}`, { cookie: id })
    expect(r.status).toBe(200)
    expect(header(r, 'set-cookie')).toMatch(/^token=; .*Max-Age=0/)
    expect((await client.call('GET', '/.TOKEN/?format=json', { cookie: id })).status).toBe(401)
  })
})

describe('knobs', () => {
  let knobSim: SwarmSim
  let knobClient: ReturnType<typeof swarmClient>
  const knobClock = new FakeClock()
  beforeAll(async () => {
    knobSim = await startSwarmSim({
      clock: knobClock,
      maxTokenTtlSeconds: 5 * 86_400,
      listingLagMs: 250,
      defaultTokenTtlSeconds: 3600,
    })
    knobClient = swarmClient(knobSim)
  })
  afterAll(async () => {
    await knobClient.close()
    await knobSim.close()
  })
  afterEach(() => knobSim.state.tokens.clear())

  it('defaultTokenTtlSeconds and maxTokenTtlSeconds shape the expiry', async () => {
    const a = await knobClient.call('POST', '/.TOKEN/?setcookie=false', {
      basic: pw(knobSim, ALICE),
    })
    expect(knobSim.state.tokens.get(idFromBody(a.text))?.expiresAt).toBe(knobClock.now() + HOUR)
    const b = await knobClient.call('POST', '/.TOKEN/?setcookie=false', {
      basic: pw(knobSim, ALICE),
      headers: { 'x-user-token-expires-meta': '+10' },
    })
    expect(knobSim.state.tokens.get(idFromBody(b.text))?.expiresAt).toBe(knobClock.now() + 5 * DAY)
  })

  it('listingLagMs keeps a deleted token in listings for a while', async () => {
    const r = await knobClient.call('POST', '/.TOKEN/?setcookie=false', {
      basic: pw(knobSim, ALICE),
    })
    const id = idFromBody(r.text)
    expect(
      (await knobClient.call('DELETE', `/.TOKEN/${id}`, { basic: pw(knobSim, ALICE) })).status,
    ).toBe(200)
    const soon = await knobClient.call('GET', '/.TOKEN/?format=json', { basic: pw(knobSim, ALICE) })
    expect(soon.json<Array<{ name: string }>>().map((t) => t.name)).toEqual([id])
    knobClock.advance(300)
    const later = await knobClient.call('GET', '/.TOKEN/?format=json', {
      basic: pw(knobSim, ALICE),
    })
    expect(later.json<unknown[]>()).toEqual([])
  })
})
