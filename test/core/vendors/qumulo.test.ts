/**
 * QumuloClient against the real Qumulo simulator over loopback HTTPS (no mocked HTTP): each test
 * gets a fresh simulator, a FakeClock shared by simulator, client and ClusterHttp, and a check
 * that no error message holds any secret the simulator issued (docs/protocols/qumulo.md; DESIGN "Errors are data").
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ClusterHttp } from '../../../src/main/core/http'
import {
  QumuloClient,
  SESSION_LIFETIME_MS,
  decodeStoredSession,
} from '../../../src/main/core/vendors/qumulo/client'
import { TokendeckError } from '../../../src/shared/errors'
import { FakeClock } from '../../sim/common/clock'
import {
  DEFAULT_USERS,
  startQumuloSim,
  type QumuloSim,
  type QumuloSimOptions,
} from '../../sim/qumulo'

const HOUR = 3_600_000
const DAY = 24 * HOUR

const USERS = [
  ...DEFAULT_USERS,
  { username: 'carol', password: 'Carol-Demo-Pass-1', role: 'Administrators' },
  { username: 'dave', password: 'Dave-Demo-Pass-1', role: 'Observers' },
]

interface Rig {
  sim: QumuloSim
  clock: FakeClock
  client: QumuloClient
  errors: unknown[]
}

let rigs: Rig[] = []

async function rig(opts: QumuloSimOptions = {}): Promise<Rig> {
  const clock = new FakeClock()
  const sim = await startQumuloSim({ clock, users: USERS, ...opts })
  const http = new ClusterHttp({
    url: sim.url,
    trust: { sha256: sim.fingerprint },
    now: () => clock.now(),
  })
  const r: Rig = {
    sim,
    clock,
    client: new QumuloClient({ http, now: () => clock.now() }),
    errors: [],
  }
  rigs.push(r)
  return r
}

const password = (name: string) => USERS.find((u) => u.username === name)!.password

async function signIn(r: Rig, username = 'admin'): Promise<string> {
  return (await r.client.signIn({ username, password: password(username) })).access.token
}

/** Await a rejection, check its code, remember it for the secret-hygiene check. */
async function failure(r: Rig, p: Promise<unknown>, code: string): Promise<TokendeckError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  r.errors.push(err)
  expect(err).toBeInstanceOf(TokendeckError)
  expect((err as TokendeckError).code).toBe(code)
  return err as TokendeckError
}

beforeEach(() => {
  rigs = []
})

afterEach(async () => {
  for (const r of rigs) {
    // No error message may hold a password or a bearer token the simulator ever knew.
    const secrets = r.sim.state.issuedSecrets()
    for (const e of r.errors) {
      const text = `${(e as Error).message} ${JSON.stringify((e as TokendeckError).toInfo?.() ?? {})}`
      for (const s of secrets) expect(text.includes(s), 'error message leaks a secret').toBe(false)
    }
    await r.client.close()
    await r.sim.close()
  }
})

describe('QumuloClient sessions', () => {
  it('signs in with one login request; session token lives 10 h; identity from who-am-i and roles', async () => {
    const r = await rig()
    const res = await r.client.signIn({ username: 'admin', password: password('admin') })
    expect(r.sim.state.loginAttempts).toHaveLength(1)
    expect(r.sim.requests.filter((q) => q.path === '/v1/session/login')).toHaveLength(1)
    expect(res.stored.kind).toBe('session-token')
    expect(res.access.token).toMatch(/^session-v1:/)
    // The stored credential is the session token and when it dies (10 h), for a later resume.
    expect(decodeStoredSession(res.stored.value)).toEqual({
      bearer: res.access.token,
      expiresAt: r.clock.now() + SESSION_LIFETIME_MS,
    })
    expect(res.stored.expiresAt).toBe(r.clock.now() + SESSION_LIFETIME_MS)
    expect(res.identity).toMatchObject({
      username: 'admin',
      uid: '500',
      role: 'Administrators',
      isAdmin: true,
    })

    const alice = await r.client.signIn({ username: 'alice', password: password('alice') })
    expect(alice.identity.isAdmin).toBe(false)
    expect(alice.identity.role).toBe('Observers')
  })

  it('bad password → BAD_CREDENTIALS after exactly one attempt', async () => {
    const r = await rig()
    const err = await failure(
      r,
      r.client.signIn({ username: 'admin', password: 'wrong-password-xyz' }),
      'BAD_CREDENTIALS',
    )
    expect(err.message).not.toContain('wrong-password-xyz')
    expect(r.sim.state.loginAttempts).toEqual([
      expect.objectContaining({ username: 'admin', ok: false }),
    ])
    expect(r.sim.requests.filter((q) => q.path === '/v1/session/login')).toHaveLength(1)
  })

  it('resume returns the stored session while it lives, REFRESH_EXPIRED after 10 h', async () => {
    const r = await rig()
    const token = await signIn(r)
    r.clock.advance(9 * HOUR)
    const grant = await r.client.resume(token)
    expect(grant.access.token).toBe(token)
    expect(grant.stored).toMatchObject({ kind: 'session-token', value: token })

    r.clock.advance(HOUR + 1000)
    const err = await failure(r, r.client.resume(token), 'REFRESH_EXPIRED')
    expect(err.message).toMatch(/sign in again/)
    // Management calls with the dead session say the same, not FORBIDDEN.
    await failure(r, r.client.listTokens(token), 'REFRESH_EXPIRED')
    await failure(r, r.client.createToken(token, { owner: 'alice' }), 'REFRESH_EXPIRED')
  })

  it('whoami and clusterInfo', async () => {
    const r = await rig()
    const token = await signIn(r, 'carol')
    expect(await r.client.whoami(token)).toMatchObject({ username: 'carol', isAdmin: true })
    const info = await r.client.clusterInfo(token)
    expect(info.version).toBe(r.sim.cluster.version)
    // The simulator has no cluster-name endpoint: the host stands in.
    expect(info.clusterName).toMatch(/^127\.0\.0\.1:\d+$|^localhost:\d+$/)
  })
})

describe('QumuloClient access tokens', () => {
  it('creates a token for a named user in every documented name form, with and without expiry', async () => {
    const r = await rig()
    const token = await signIn(r)
    const alice = r.sim.state.userByName('alice')!
    const bob = r.sim.state.userByName('bob')!
    const forms: [string, string][] = [
      ['alice', 'alice'],
      ['local:alice', 'alice'],
      [`${r.sim.cluster.name}\\alice`, 'alice'],
      [`auth_id:${alice.authId}`, 'alice'],
      [`uid:${alice.uid}`, 'alice'],
      [alice.sid, 'alice'],
      [`SID:${alice.sid}`, 'alice'],
      ['name:alice', 'alice'],
      ['CORP\\bob', 'CORP\\bob'],
      ['bob@corp.example.com', 'CORP\\bob'],
      ['ad:bob', 'CORP\\bob'],
    ]
    for (const [i, [form, owner]] of forms.entries()) {
      const expiresIn = i % 2 === 0 ? 7 * 86_400 : i % 4 === 1 ? 'never' : undefined
      const created = await r.client.createToken(token, { owner: form, expiresIn })
      expect(created.secrets).toEqual([
        { kind: 'access-token', value: expect.stringMatching(/^access-v1:[A-Za-z0-9+/]+=*$/) },
      ])
      expect(created.summary).toMatchObject({
        owner,
        creator: 'admin',
        enabled: true,
        createdAt: r.clock.now(),
      })
      expect(created.summary.id).toMatch(/^\d{22,23}$/)
      const record = r.sim.state.accessTokens.get(created.summary.id)!
      expect(record.userAuthId).toBe(owner === 'alice' ? alice.authId : bob.authId)
      if (expiresIn === 7 * 86_400) {
        expect(record.expiresAt).toBe(r.clock.now() + 7 * DAY)
        expect(created.summary.expiresAt).toBe(r.clock.now() + 7 * DAY)
      } else {
        expect(record.expiresAt).toBeNull()
        expect(created.summary.expiresAt).toBeUndefined()
      }
      expect(await r.client.proveToken(created.secrets[0]!.value)).toMatchObject({
        username: owner === 'alice' ? 'alice' : bob.name,
      })
      await r.client.revoke(token, { tokenId: created.summary.id })
    }
    expect(r.sim.state.accessTokens.size).toBe(0)
  })

  it('creates for the signed-in user by default; refuses nonsense lifetimes and names without a request', async () => {
    const r = await rig()
    const token = await signIn(r, 'carol')
    const created = await r.client.createToken(token, {})
    expect(created.summary.owner).toBe('carol')
    const before = r.sim.requests.length
    await failure(
      r,
      r.client.createToken(token, { owner: 'alice', expiresIn: -5 }),
      'INVALID_INPUT',
    )
    await failure(r, r.client.createToken(token, { owner: 'a:b:c' }), 'INVALID_INPUT')
    await failure(r, r.client.createToken(token, { owner: 'nonsense:alice' }), 'INVALID_INPUT')
    expect(r.sim.requests.length).toBe(before)
    await failure(r, r.client.createToken(token, { owner: 'nobody-here' }), 'NOT_FOUND')
  })

  it('lists every page across users, with "" or null as the end, and filters by owner', async () => {
    const r = await rig({ maxPageSize: 3 })
    const token = await signIn(r)
    const owners = ['admin', 'alice', 'CORP\\bob', 'carol', 'dave']
    const ids = new Set<string>()
    for (const o of owners) {
      for (let k = 0; k < 2; k++)
        ids.add(
          (await r.client.createToken(token, { owner: o, expiresIn: 3600 * (k + 1) })).summary.id,
        )
    }
    expect(ids.size).toBe(10)
    for (const end of ['', null] as const) {
      r.sim.state.settings.pagingEnd = end
      const before = r.sim.requests.filter(
        (q) => q.path === '/v1/auth/access-tokens/' && q.method === 'GET',
      ).length
      const all = await r.client.listTokens(token)
      const pages =
        r.sim.requests.filter((q) => q.path === '/v1/auth/access-tokens/' && q.method === 'GET')
          .length - before
      expect(pages).toBe(4) // 10 tokens, pages of 3
      expect(new Set(all.map((t) => t.id))).toEqual(ids)
      expect(
        all.every(
          (t) => t.creator === 'admin' && t.enabled === true && typeof t.createdAt === 'number',
        ),
      ).toBe(true)
    }
    r.sim.state.settings.maxPageSize = 1 // the filter must ride along in paging.next
    const bobs = await r.client.listTokens(token, { owner: 'bob@corp.example.com' })
    expect(bobs.map((t) => t.owner)).toEqual(['CORP\\bob', 'CORP\\bob'])
    const dave = await r.client.listTokens(token, { owner: 'local:dave' })
    expect(dave).toHaveLength(2)
    expect(dave.map((t) => t.expiresAt).sort()).toEqual([
      r.clock.now() + HOUR,
      r.clock.now() + 2 * HOUR,
    ])

    // Ordinary users with ACCESS_TOKENS_READ (Observers) may list.
    const aliceSession = await signIn(r, 'alice')
    expect(await r.client.listTokens(aliceSession)).toHaveLength(10)
  })

  it('modifies expiry and enabled; a disabled or expired token fails proveToken', async () => {
    const r = await rig()
    const token = await signIn(r)
    const created = await r.client.createToken(token, { owner: 'alice' })
    const secret = created.secrets[0]!.value
    const id = created.summary.id

    const disabled = await r.client.modifyToken(token, id, { enabled: false })
    expect(disabled).toMatchObject({ id, enabled: false })
    const err = await failure(r, r.client.proveToken(secret), 'REFRESH_EXPIRED')
    expect(err.message).not.toContain(secret)
    expect((await r.client.modifyToken(token, id, { enabled: true })).enabled).toBe(true)
    expect((await r.client.proveToken(secret)).username).toBe('alice')

    const when = r.clock.now() + 2 * DAY + 1234
    const dated = await r.client.modifyToken(token, id, { expiresAt: when })
    expect(dated.expiresAt).toBe(when)
    expect(r.sim.state.accessTokens.get(id)!.expiresAt).toBe(when)
    expect((await r.client.listTokens(token, { owner: 'alice' }))[0]!.expiresAt).toBe(when)

    r.clock.advance(2 * DAY + 2000)
    await failure(r, r.client.proveToken(secret), 'REFRESH_EXPIRED')
    const later = await signIn(r) // the 10 h session is long gone
    const never = await r.client.modifyToken(later, id, { expiresAt: null })
    expect(never.expiresAt).toBeUndefined()
    expect((await r.client.proveToken(secret)).username).toBe('alice')
  })

  it("deletes by id (NOT_FOUND afterwards) and by user (all of that user's tokens)", async () => {
    const r = await rig()
    const token = await signIn(r)
    const a = await r.client.createToken(token, { owner: 'alice' })
    await r.client.revoke(token, { tokenId: a.summary.id })
    expect(r.sim.state.accessTokens.has(a.summary.id)).toBe(false)
    await failure(r, r.client.proveToken(a.secrets[0]!.value), 'REFRESH_EXPIRED')
    await failure(r, r.client.revoke(token, { tokenId: a.summary.id }), 'NOT_FOUND')
    await failure(r, r.client.modifyToken(token, a.summary.id, { enabled: false }), 'NOT_FOUND')
    await failure(r, r.client.revoke(token, { tokenId: 'not-an-id' }), 'INVALID_INPUT')

    await r.client.createToken(token, { owner: 'dave' })
    await r.client.createToken(token, { owner: 'dave' })
    const keep = await r.client.createToken(token, { owner: 'alice' })
    await r.client.revoke(token, { username: 'dave' })
    expect([...r.sim.state.accessTokens.keys()]).toEqual([keep.summary.id])
  })

  it('a third token for a user → TOKEN_LIMIT, and createWarnings says so beforehand', async () => {
    const r = await rig()
    const token = await signIn(r)
    const limitWarnings = async (owner: string) =>
      (await r.client.createWarnings(token, { owner })).filter((w) => /already has/.test(w))
    expect(await limitWarnings('dave')).toEqual([])
    await r.client.createToken(token, { owner: 'dave' })
    expect(await limitWarnings('dave')).toEqual([])
    await r.client.createToken(token, { owner: 'dave', expiresIn: 60 })
    const warnings = await limitWarnings('local:dave')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/dave already has 2 access tokens/)
    const err = await failure(r, r.client.createToken(token, { owner: 'dave' }), 'TOKEN_LIMIT')
    expect(err.message).toMatch(/dave already has 2 access tokens.*Delete one/)
  })

  it('groups are refused with words, client-side for group-only forms and by the cluster otherwise', async () => {
    const r = await rig()
    const token = await signIn(r)
    const before = r.sim.requests.length
    for (const g of ['ldap_group:storage-ops', 'gid:3001', 'world:Everyone']) {
      const err = await failure(r, r.client.createToken(token, { owner: g }), 'INVALID_INPUT')
      expect(err.message).toMatch(/tokens can only be created for users/)
    }
    expect(r.sim.requests.length).toBe(before)
    const err = await failure(
      r,
      r.client.createToken(token, { owner: 'storage-ops' }),
      'INVALID_INPUT',
    )
    expect(err.message).toMatch(/storage-ops is a group.*only be created for users/)
    await failure(r, r.client.createWarnings(token, { owner: 'Users' }), 'INVALID_INPUT')
  })

  it('non-admins get FORBIDDEN naming the privilege, also when the cluster answers 401 for it', async () => {
    for (const opts of [
      {},
      { errors: { forbidden: { status: 401 } } },
    ] satisfies QumuloSimOptions[]) {
      const r = await rig(opts)
      const admin = await signIn(r)
      const existing = await r.client.createToken(admin, { owner: 'dave' })
      const alice = await signIn(r, 'alice')
      let err = await failure(r, r.client.createToken(alice, { owner: 'alice' }), 'FORBIDDEN')
      expect(err.message).toContain('PRIVILEGE_ACCESS_TOKENS_WRITE')
      err = await failure(
        r,
        r.client.modifyToken(alice, existing.summary.id, { enabled: false }),
        'FORBIDDEN',
      )
      expect(err.message).toContain('PRIVILEGE_ACCESS_TOKENS_WRITE')
      await failure(r, r.client.revoke(alice, { tokenId: existing.summary.id }), 'FORBIDDEN')
      const bob = await signIn(r, 'bob')
      err = await failure(r, r.client.listTokens(bob), 'FORBIDDEN')
      expect(err.message).toContain('PRIVILEGE_ACCESS_TOKENS_READ')
      expect(r.sim.state.accessTokens.get(existing.summary.id)!.enabled).toBe(true)
    }
  })

  it('createWarnings: the administrator warning for oneself, and an honest one when roles cannot be read', async () => {
    const r = await rig()
    const token = await signIn(r)
    const self = await r.client.createWarnings(token, {})
    expect(self).toHaveLength(1)
    expect(self[0]).toMatch(/^admin is an administrator: a token for this user can/)
    expect(await r.client.createWarnings(token, { owner: 'admin' })).toEqual(self)
    // Another user, on a cluster whose roles API cannot be read (docs/protocols/qumulo.md §7): the client
    // cannot tell and says it could not check, rather than staying silent.
    r.sim.state.settings.rolesApi = false
    const carol = await r.client.createWarnings(token, { owner: 'carol' })
    expect(carol).toHaveLength(1)
    expect(carol[0]).toMatch(/could not check whether carol is an administrator/)
    await failure(r, r.client.createWarnings(token, { owner: 'nobody-here' }), 'NOT_FOUND')
  })

  it('a 23-digit token id round-trips exactly through list → modify → delete', async () => {
    const r = await rig()
    const token = await signIn(r)
    const carol = r.sim.state.userByName('carol')!
    // docs/protocols/qumulo.md §3.5: high half × 2^64 + low; a creator auth_id of 1001 gives 23 digits.
    const seeded = r.sim.state.issueAccessToken({ userAuthId: carol.authId, creatorAuthId: '1001' })
    expect(seeded.id).toMatch(/^\d{23}$/)
    expect(String(Number(seeded.id))).not.toBe(seeded.id) // a double would lose it

    const [listed] = await r.client.listTokens(token, { owner: 'carol' })
    expect(listed!.id).toBe(seeded.id)
    expect(listed!.creator).toBe('alice')
    const modified = await r.client.modifyToken(token, listed!.id, { enabled: false })
    expect(modified.id).toBe(seeded.id)
    expect(r.sim.state.accessTokens.get(seeded.id)!.enabled).toBe(false)
    await r.client.revoke(token, { tokenId: listed!.id })
    expect(r.sim.state.accessTokens.size).toBe(0)
  })
})
