import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../common/clock'
import { startQumuloSim } from './index'
import { TestClient, errorClass, passwordOf, type Reply } from './testClient'
import type { QumuloSim } from './types'

const HOUR = 3_600_000
const BASE = '/v1/auth/access-tokens/'
/** Every test starts at 2026-11-23T09:00:00Z; times in the tests are relative to it. */
const START = Date.UTC(2026, 10, 23, 9, 0, 0)

interface Metadata {
  id: string
  user: Record<string, unknown>
  creator: Record<string, unknown>
  creation_time: string
  expiration_time: string | null
  enabled: boolean
}

describe('Qumulo simulator: access tokens', () => {
  const clock = new FakeClock(START)
  let sim: QumuloSim
  let c: TestClient
  let admin: string

  beforeAll(async () => {
    sim = await startQumuloSim({ clock })
    c = new TestClient(sim)
  })
  afterAll(async () => {
    await c.close()
    await sim.close()
  })
  beforeEach(async () => {
    clock.set(START)
    sim.state.accessTokens.clear()
    admin = await c.login('admin', passwordOf(sim, 'admin'))
  })
  afterEach(() => {
    sim.state.settings.selfServiceTokens = false
  })

  const authId = (name: string) => sim.state.userByName(name)!.authId
  const create = (user: unknown, extra: Record<string, unknown> = {}, token = admin) =>
    c.call('POST', BASE, { token, json: { user, ...extra } })
  const created = (r: Reply) => r.body as { id: string; bearer_token: string }

  it('creates a token: 200 with only {id, bearer_token}; id is a 22–23 digit JSON string', async () => {
    const r = await create({ name: 'alice' })
    expect(r.status).toBe(200)
    expect(Object.keys(r.body as object).sort()).toEqual(['bearer_token', 'id'])
    // On the wire, not after parsing: the id must be quoted, never a JSON number.
    expect(r.text).toMatch(/"id":"\d{22,23}"/)
    const { id, bearer_token } = created(r)
    expect(bearer_token).toMatch(/^access-v1:[A-Za-z0-9+/]+={0,2}$/)
    const record = sim.state.accessTokens.get(id)!
    expect(record).toMatchObject({
      userAuthId: authId('alice'),
      creatorAuthId: '500',
      enabled: true,
      expiresAt: null,
    })
  })

  it('bearer token follows the docs/protocols/qumulo.md §3.5 layout: version 1, id halves, creation time', async () => {
    const { id, bearer_token } = created(await create({ name: 'alice' }))
    const raw = Buffer.from(bearer_token.slice('access-v1:'.length), 'base64')
    expect(raw.length).toBe(64)
    expect(raw.readUInt32LE(32)).toBe(1)
    const high = raw.readBigUInt64LE(36)
    const low = raw.readBigUInt64LE(44)
    expect(high).toBe(500n) // the creator's auth_id
    expect((high << 64n) + low).toBe(BigInt(id))
    expect(Number(raw.readBigInt64LE(52))).toBe(Math.floor(clock.now() / 1000))
  })

  const forms: Array<[string, unknown, string]> = [
    ['auth_id', { auth_id: '1001' }, 'alice'],
    ['name', { name: 'alice' }, 'alice'],
    ['LOCAL domain + name', { domain: 'LOCAL', name: 'alice' }, 'alice'],
    ['cluster-qualified local name', { name: 'tokendeck-q1\\alice' }, 'alice'],
    ['SID', { sid: '' }, 'alice'], // filled in below from the seeded SID
    ['uid as number', { uid: 2001 }, 'alice'],
    ['uid as string (Terraform)', { uid: '2001' }, 'alice'],
    ['NetBIOS-qualified AD name', { name: 'CORP\\bob' }, 'bob'],
    ['UPN', { name: 'bob@corp.example.com' }, 'bob'],
    ['ACTIVE_DIRECTORY domain + name', { domain: 'ACTIVE_DIRECTORY', name: 'bob' }, 'bob'],
    ['POSIX_USER (ldap_user:) name', { domain: 'POSIX_USER', name: 'bob' }, 'bob'],
    [
      'full identity with nulls',
      { domain: 'LOCAL', auth_id: '1001', uid: null, gid: null, sid: null, name: 'alice' },
      'alice',
    ],
  ]
  it.each(forms)('names the user by %s', async (_label, user, expected) => {
    const body =
      (user as { sid?: string }).sid === ''
        ? { sid: sim.state.userByName(expected)!.sid.toLowerCase() }
        : user
    const r = await create(body)
    expect(r.status, r.text).toBe(200)
    expect(sim.state.accessTokens.get(created(r).id)!.userAuthId).toBe(authId(expected))
  })

  it('rejects groups with the documented message, whichever form names them', async () => {
    for (const group of [
      { name: 'storage-ops' },
      { gid: 3001 },
      { domain: 'WORLD', name: 'Everyone' },
      { sid: 'S-1-1-0' },
    ]) {
      const r = await create(group)
      expect(r.status, JSON.stringify(group)).toBe(400)
      expect(r.body).toMatchObject({
        error_class: 'access_token_group_not_supported_error',
        description: 'Groups are not supported for access tokens, must be a user',
      })
    }
    expect(sim.state.accessTokens.size).toBe(0)
  })

  it('answers 404 identity_not_found_error for an unknown user', async () => {
    for (const user of [
      { name: 'nobody' },
      { auth_id: '424242' },
      { name: 'OTHER\\bob' },
      { uid: 9999 },
    ]) {
      const r = await create(user)
      expect([r.status, errorClass(r)], JSON.stringify(user)).toEqual([
        404,
        'identity_not_found_error',
      ])
    }
  })

  it('allows at most two tokens per user (disabled and expired ones count) and says so', async () => {
    const first = created(await create({ name: 'alice' }))
    await c.call('PATCH', `${BASE}${first.id}`, { token: admin, json: { enabled: false } })
    expect(
      (await create({ name: 'alice' }, { expiration_time: '2026-11-23T10:00:00Z' })).status,
    ).toBe(200)
    clock.advance(2 * HOUR) // the second has now expired: it still counts
    const third = await create({ name: 'alice' })
    expect(third.status).toBe(409)
    expect(third.body).toMatchObject({
      error_class: 'access_token_limit_reached_error',
      user_visible: true,
    })
    expect((await create({ name: 'bob' })).status).toBe(200) // the limit is per user
    await c.call('DELETE', `${BASE}${first.id}`, { token: admin })
    admin = await c.login('admin', passwordOf(sim, 'admin'))
    expect((await create({ name: 'alice' }, {}, admin)).status).toBe(200)
  })

  it('honours maxTokensPerUser', async () => {
    sim.state.settings.maxTokensPerUser = 1
    try {
      expect((await create({ name: 'alice' })).status).toBe(200)
      expect((await create({ name: 'alice' })).status).toBe(409)
    } finally {
      sim.state.settings.maxTokensPerUser = 2
    }
  })

  it('an access token authenticates as its user; who-am-i adds access_token_id', async () => {
    const { id, bearer_token } = created(await create({ name: 'alice' }))
    const r = await c.call('GET', '/v1/session/who-am-i', { token: bearer_token })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ id: authId('alice'), name: 'alice', access_token_id: id })
    expect(sim.requests.at(-1)?.user).toBe('alice')
  })

  it('get returns metadata (never the bearer token) with 9-digit creation_time and null expiry', async () => {
    const { id, bearer_token } = created(await create({ name: 'CORP\\bob' }))
    const r = await c.call('GET', `${BASE}${encodeURIComponent(id)}`, { token: admin })
    expect(r.status).toBe(200)
    const m = r.body as Metadata
    expect(m).toEqual({
      id,
      user: {
        domain: 'ACTIVE_DIRECTORY',
        auth_id: authId('bob'),
        uid: 2002,
        gid: null,
        sid: expect.stringMatching(/^S-1-5-21-/),
        name: 'CORP\\bob',
      },
      creator: {
        domain: 'LOCAL',
        auth_id: '500',
        uid: null,
        gid: null,
        sid: expect.stringMatching(/-500$/),
        name: 'admin',
      },
      creation_time: expect.stringMatching(/^2026-11-23T09:\d{2}:\d{2}\.\d{9}Z$/),
      expiration_time: null,
      enabled: true,
    })
    expect(r.text).not.toContain(bearer_token)
    expect(r.text).not.toContain('access-v1:')
  })

  it('takes an expiration with any UTC offset and reports it in Z form; expired tokens stop working', async () => {
    const r = await create({ name: 'alice' }, { expiration_time: '2026-11-23T11:00:00+01:00' })
    expect(r.status).toBe(200)
    const { id, bearer_token } = created(r)
    const m = (await c.call('GET', `${BASE}${id}`, { token: admin })).body as Metadata
    expect(m.expiration_time).toBe('2026-11-23T10:00:00Z')
    clock.advance(HOUR - 1000)
    expect((await c.call('GET', '/v1/session/who-am-i', { token: bearer_token })).status).toBe(200)
    clock.advance(1000)
    const expired = await c.call('GET', '/v1/session/who-am-i', { token: bearer_token })
    expect([expired.status, errorClass(expired)]).toEqual([401, 'http_unauthorized_error'])
    // docs/protocols/qumulo.md §3.4 DOC: fix by PATCHing the expiration.
    admin = await c.login('admin', passwordOf(sim, 'admin'))
    const patched = await c.call('PATCH', `${BASE}${id}`, {
      token: admin,
      json: { expiration_time: '2026-12-01T00:00:00.5Z' },
    })
    expect(patched.status).toBe(200)
    expect((patched.body as Metadata).expiration_time).toBe('2026-12-01T00:00:00.500Z')
    expect((await c.call('GET', '/v1/session/who-am-i', { token: bearer_token })).status).toBe(200)
  })

  it('rejects bad expiration times: naive, garbage, wrong type, in the past', async () => {
    for (const expiration_time of [
      '2026-12-01T00:00:00',
      'tomorrow',
      '2026-02-30T00:00:00Z',
      1767225600,
      '2026-11-23T08:00:00Z',
    ]) {
      const r = await create({ name: 'alice' }, { expiration_time })
      expect([r.status, errorClass(r)], String(expiration_time)).toEqual([
        400,
        'rest_invalid_request_error',
      ])
    }
  })

  it('PATCH disables and re-enables; null clears the expiration', async () => {
    const { id, bearer_token } = created(
      await create({ name: 'alice' }, { expiration_time: '2027-01-01T00:00:00Z' }),
    )
    const off = await c.call('PATCH', `${BASE}${id}`, { token: admin, json: { enabled: false } })
    expect(off.status).toBe(200)
    expect((off.body as Metadata).enabled).toBe(false)
    expect((off.body as Metadata).expiration_time).toBe('2027-01-01T00:00:00Z')
    expect((await c.call('GET', '/v1/session/who-am-i', { token: bearer_token })).status).toBe(401)
    const on = await c.call('PATCH', `${BASE}${id}`, {
      token: admin,
      json: { enabled: true, expiration_time: null },
    })
    expect(on.body).toMatchObject({ enabled: true, expiration_time: null })
    expect((await c.call('GET', '/v1/session/who-am-i', { token: bearer_token })).status).toBe(200)
    const bad = await c.call('PATCH', `${BASE}${id}`, { token: admin, json: { enabled: 'no' } })
    expect([bad.status, errorClass(bad)]).toEqual([400, 'rest_invalid_request_error'])
    const unknownKey = await c.call('PATCH', `${BASE}${id}`, {
      token: admin,
      json: { user: { name: 'bob' } },
    })
    expect(unknownKey.status).toBe(400)
  })

  it('DELETE answers 200 with an empty body; the token stops working and is gone', async () => {
    const { id, bearer_token } = created(await create({ name: 'alice' }))
    const del = await c.call('DELETE', `${BASE}${id}`, { token: admin })
    expect(del.status).toBe(200)
    expect(del.text).toBe('')
    expect(del.headers['content-length']).toBe('0')
    expect((await c.call('GET', '/v1/session/who-am-i', { token: bearer_token })).status).toBe(401)
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const r = await c.call(method, `${BASE}${id}`, {
        token: admin,
        ...(method === 'PATCH' ? { json: { enabled: true } } : {}),
      })
      expect([r.status, errorClass(r)], method).toEqual([404, 'access_token_not_found_error'])
    }
  })

  it('lists with paging: follow paging.next verbatim until it is ""', async () => {
    const ids = new Set<string>()
    for (const user of ['admin', 'alice', 'alice', 'bob'])
      ids.add(created(await create({ name: user })).id)
    const seen: string[] = []
    let next: string | null = `${BASE}?limit=3`
    let pages = 0
    while (next) {
      const r = await c.call('GET', next, { token: admin })
      expect(r.status).toBe(200)
      const body = r.body as { entries: Metadata[]; paging: { next: string | null } }
      expect(body.entries.length).toBeLessThanOrEqual(3)
      for (const e of body.entries) expect(e).not.toHaveProperty('bearer_token')
      seen.push(...body.entries.map((e) => e.id))
      next = body.paging.next
      pages += 1
    }
    expect(next).toBe('')
    expect(pages).toBe(2)
    expect(new Set(seen)).toEqual(ids)
    expect(seen.length).toBe(4)
    // In id order, compared as big integers.
    expect([...seen].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))).toEqual(seen)
  })

  it('pagingEnd null ends the last page with null', async () => {
    sim.state.settings.pagingEnd = null
    try {
      const r = await c.call('GET', BASE, { token: admin })
      expect((r.body as { paging: unknown }).paging).toEqual({ next: null })
    } finally {
      sim.state.settings.pagingEnd = ''
    }
  })

  it('filters the list by user in the qq identity-string forms, and keeps the filter in next', async () => {
    await create({ name: 'alice' })
    await create({ name: 'alice' })
    await create({ name: 'bob' })
    for (const filter of [
      'alice',
      'local:alice',
      'auth_id:1001',
      'auth_id:0x3e9',
      'uid:2001',
      'name:alice',
      '{"auth_id":"1001"}',
    ]) {
      const r = await c.call('GET', `${BASE}?user=${encodeURIComponent(filter)}`, { token: admin })
      expect(r.status, filter).toBe(200)
      const entries = (r.body as { entries: Metadata[] }).entries
      expect(
        entries.map((e) => e.user.name),
        filter,
      ).toEqual(['alice', 'alice'])
    }
    const ad = await c.call('GET', `${BASE}?user=${encodeURIComponent('ad:bob')}`, { token: admin })
    expect((ad.body as { entries: Metadata[] }).entries).toHaveLength(1)
    const first = await c.call('GET', `${BASE}?user=local%3Aalice&limit=1`, { token: admin })
    const next = (first.body as { paging: { next: string } }).paging.next
    expect(next).toContain('user=local%3Aalice')
    const second = await c.call('GET', next, { token: admin })
    expect((second.body as { entries: Metadata[] }).entries[0]?.user.name).toBe('alice')
    const unknown = await c.call('GET', `${BASE}?user=nobody`, { token: admin })
    expect([unknown.status, errorClass(unknown)]).toEqual([404, 'identity_not_found_error'])
    const badPrefix = await c.call('GET', `${BASE}?user=${encodeURIComponent('planet:mars')}`, {
      token: admin,
    })
    expect(badPrefix.status).toBe(400)
    const badLimit = await c.call('GET', `${BASE}?limit=0`, { token: admin })
    expect(badLimit.status).toBe(400)
  })

  it('enforces ACCESS_TOKENS_READ / _WRITE per role', async () => {
    const { id } = created(await create({ name: 'alice' }))
    const alice = await c.login('alice', passwordOf(sim, 'alice')) // Observers: READ only
    const bob = await c.login('bob', passwordOf(sim, 'bob')) // custom role: neither
    expect((await c.call('GET', BASE, { token: alice })).status).toBe(200)
    expect((await c.call('GET', `${BASE}${id}`, { token: alice })).status).toBe(200)
    const denied: Array<[string, string, string, unknown?]> = [
      ['alice', 'POST', BASE, { user: { name: 'alice' } }],
      ['alice', 'PATCH', `${BASE}${id}`, { enabled: false }],
      ['alice', 'DELETE', `${BASE}${id}`],
      ['bob', 'GET', BASE],
      ['bob', 'GET', `${BASE}${id}`],
      ['bob', 'POST', BASE, { user: { name: 'bob' } }],
    ]
    for (const [who, method, path, json] of denied) {
      const r = await c.call(method, path, {
        token: who === 'alice' ? alice : bob,
        ...(json ? { json } : {}),
      })
      expect([r.status, errorClass(r)], `${who} ${method} ${path}`).toEqual([
        403,
        'http_forbidden_error',
      ])
    }
    expect(sim.state.accessTokens.get(id)?.enabled).toBe(true)
  })

  it('a role granting WRITE lets an ordinary user manage tokens after a new login', async () => {
    sim.state.roles.set('Token-Admins', {
      name: 'Token-Admins',
      description: 'test',
      privileges: new Set(['PRIVILEGE_ACCESS_TOKENS_READ', 'PRIVILEGE_ACCESS_TOKENS_WRITE']),
      members: new Set([authId('bob')]),
    })
    try {
      const bob = await c.login('bob', passwordOf(sim, 'bob'))
      const r = await create({ name: 'alice' }, {}, bob)
      expect(r.status).toBe(200)
      expect(sim.state.accessTokens.get(created(r).id)?.creatorAuthId).toBe(authId('bob'))
    } finally {
      sim.state.roles.delete('Token-Admins')
    }
  })

  it("an access token's privileges follow the user's roles live", async () => {
    const bobToken = created(await create({ name: 'bob' })).bearer_token
    expect((await c.call('GET', BASE, { token: bobToken })).status).toBe(403)
    sim.state.grantRole(authId('bob'), 'Observers')
    try {
      expect((await c.call('GET', BASE, { token: bobToken })).status).toBe(200)
    } finally {
      sim.state.revokeRole(authId('bob'), 'Observers')
    }
    expect((await c.call('GET', BASE, { token: bobToken })).status).toBe(403)
  })

  it('selfServiceTokens lets a user without WRITE mint a token for himself only', async () => {
    const bob = await c.login('bob', passwordOf(sim, 'bob'))
    expect((await create({ name: 'bob' }, {}, bob)).status).toBe(403)
    sim.state.settings.selfServiceTokens = true
    const own = await create({ name: 'CORP\\bob' }, {}, bob)
    expect(own.status).toBe(200)
    const other = await create({ name: 'alice' }, {}, bob)
    expect([other.status, errorClass(other)]).toEqual([403, 'http_forbidden_error'])
  })

  it('validates create bodies: bad JSON, wrong content-type, missing user, wrong types', async () => {
    const cases: Array<[string, Parameters<TestClient['call']>[2], number, string]> = [
      [
        'bad JSON',
        { raw: '{"user": {', headers: { 'content-type': 'application/json' } },
        400,
        'decode_error',
      ],
      [
        'text/plain',
        { raw: '{"user":{"name":"alice"}}', headers: { 'content-type': 'text/plain' } },
        415,
        'http_unsupported_media_type_error',
      ],
      ['empty body', {}, 400, 'rest_invalid_request_error'],
      ['user missing', { json: { expiration_time: null } }, 400, 'rest_invalid_request_error'],
      ['user is a string', { json: { user: 'alice' } }, 400, 'rest_invalid_request_error'],
      [
        'auth_id is a number',
        { json: { user: { auth_id: 1001 } } },
        400,
        'rest_invalid_request_error',
      ],
      ['uid is text', { json: { user: { uid: 'x' } } }, 400, 'rest_invalid_request_error'],
      [
        'unknown domain',
        { json: { user: { domain: 'MARS', name: 'alice' } } },
        400,
        'rest_invalid_request_error',
      ],
      ['empty identity', { json: { user: {} } }, 400, 'rest_invalid_request_error'],
      [
        'unknown field',
        { json: { user: { name: 'alice' }, description: 'x' } },
        400,
        'rest_invalid_request_error',
      ],
    ]
    for (const [label, opts, status, cls] of cases) {
      const r = await c.call('POST', BASE, { token: admin, ...opts })
      expect([r.status, errorClass(r)], label).toEqual([status, cls])
      expect(r.headers['content-type'], label).toBe('application/json')
    }
    expect(sim.state.accessTokens.size).toBe(0)
  })

  it('paths are exact: wrong slash is 404, wrong method is 405, no auth is 401', async () => {
    expect((await c.call('GET', '/v1/auth/access-tokens', { token: admin })).status).toBe(404)
    const { id } = created(await create({ name: 'alice' }))
    expect((await c.call('GET', `${BASE}${id}/`, { token: admin })).status).toBe(404)
    const put = await c.call('PUT', `${BASE}${id}`, { token: admin, json: {} })
    expect([put.status, errorClass(put)]).toEqual([405, 'http_method_not_allowed_error'])
    expect(put.headers.allow).toBe('GET, PATCH, DELETE')
    for (const [method, path] of [
      ['GET', BASE],
      ['POST', BASE],
      ['GET', `${BASE}${id}`],
      ['DELETE', `${BASE}${id}`],
    ] as const) {
      expect((await c.call(method, path)).status, `${method} ${path}`).toBe(401)
    }
  })

  it('issueAccessToken() seeds a token tests can use without HTTP', async () => {
    const t = sim.state.issueAccessToken({
      userAuthId: authId('alice'),
      expiresAt: clock.now() + 1000,
    })
    expect(t.id).toMatch(/^\d{22,23}$/)
    expect((await c.call('GET', '/v1/session/who-am-i', { token: t.bearerToken })).status).toBe(200)
    clock.advance(1000)
    expect((await c.call('GET', '/v1/session/who-am-i', { token: t.bearerToken })).status).toBe(401)
  })
})

describe('Qumulo simulator: error table overrides', () => {
  it('can answer a missing privilege with 401 as a real cluster might (docs/protocols/qumulo.md §9)', async () => {
    const sim = await startQumuloSim({
      errors: { forbidden: { status: 401, errorClass: 'http_unauthorized_error' } },
    })
    const c = new TestClient(sim)
    try {
      const bob = await c.login('bob', passwordOf(sim, 'bob'))
      const r = await c.call('GET', BASE, { token: bob })
      expect([r.status, errorClass(r)]).toEqual([401, 'http_unauthorized_error'])
    } finally {
      await c.close()
      await sim.close()
    }
  })
})
