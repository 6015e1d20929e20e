// The WEKA vendor client against the real WEKA simulator over loopback HTTPS (no mocked HTTP):
// sign-in (one attempt, lockout, password change), refresh and rotation, long-lived tokens,
// revocation, cluster identity, broken replies, and no secret in any error message.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ClusterHttp } from '../../../src/main/core/http'
import { CAPABILITIES } from '../../../src/shared/capabilities'
import {
  createWekaClient,
  WekaClient,
  type WekaClientOptions,
} from '../../../src/main/core/vendors/weka'
import { TokendeckError } from '../../../src/shared/errors'
import type { ErrorCode } from '../../../src/shared/model'
import { FakeClock } from '../../sim/common/clock'
import { startHttpsSim, type HttpsSim } from '../../sim/common/server'
import { startWekaSim, type WekaSim } from '../../sim/weka'

const DAY = 86_400_000
const PW: Record<string, string> = {
  admin: 'WekaSim-Admin-7341',
  alice: 'WekaSim-Alice-2288',
  bob: 'WekaSim-Bob-5512',
  newbie: 'WekaSim-Newbie-0001',
  orgadmin: 'WekaSim-OrgAdmin-6620',
}

let clock: FakeClock
let sim: WekaSim
/** Every error any client threw in this test: checked for secrets before the sim closes. */
let seen: TokendeckError[]
const clients: WekaClient[] = []

function client(extra: Omit<WekaClientOptions, 'http' | 'now'> = {}): WekaClient {
  const http = new ClusterHttp({
    url: sim.url,
    trust: { sha256: sim.fingerprint },
    now: () => clock.now(),
  })
  const c = new WekaClient({ http, now: () => clock.now(), ...extra })
  clients.push(c)
  return c
}

/** Awaits a failure, checks its code, and keeps it for the secret-hygiene check. */
async function failure(p: Promise<unknown>, code: ErrorCode): Promise<TokendeckError> {
  const err = await p.then(
    () => {
      throw new Error(`expected ${code}, but the call succeeded`)
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(TokendeckError)
  const te = err as TokendeckError
  seen.push(te)
  expect(te.code, te.message).toBe(code)
  return te
}

beforeEach(async () => {
  clock = new FakeClock()
  sim = await startWekaSim({ clock })
  seen = []
})

afterEach(async () => {
  // Secret hygiene: no message (or retryAt-bearing info) carries a password or a token the sim issued.
  const secrets = sim.state.issuedSecrets()
  expect(secrets.length).toBeGreaterThan(0)
  for (const e of seen) {
    const text = JSON.stringify(e.toInfo()) + String(e.stack)
    for (const s of secrets)
      expect(text.includes(s), `${e.code} message leaks a secret`).toBe(false)
  }
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await sim.close()
})

describe('signIn', () => {
  it('one POST /login, then whoami: access token, refresh token and identity', async () => {
    const c = client()
    const t0 = clock.now()
    const r = await c.signIn({ username: 'admin', password: PW.admin! })
    expect(r.access.expiresAt).toBe(t0 + 300_000)
    expect(r.stored.kind).toBe('refresh-token')
    // The sim's refresh tokens live 30 days (docs/protocols/weka.md §8, 4.3+); read from the JWT's exp.
    expect(r.stored.expiresAt).toBe(Math.floor(t0 / 1000) * 1000 + 30 * DAY)
    expect(r.identity).toEqual({
      username: 'admin',
      role: 'ClusterAdmin',
      uid: sim.state.user('admin')!.uid,
      scope: 'Root',
      isAdmin: true,
    })
    expect(sim.state.loginAttempts('admin')).toBe(1)
    const live = sim.state.liveTokens('admin').map((t) => t.token)
    expect(live).toContain(r.access.token)
    expect(live).toContain(r.stored.value)
    expect(sim.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      'POST /api/v2/login',
      'GET /api/v2/users/whoami',
    ])
    expect(c.vendor).toBe('weka')
    expect(c.capabilities).toEqual(CAPABILITIES.weka)
  })

  it('signs in to an organization (request org, or the client default), case-insensitively', async () => {
    const r = await client().signIn({
      username: 'orgadmin',
      password: PW.orgadmin!,
      org: 'research',
    })
    expect(r.identity).toMatchObject({
      username: 'orgadmin',
      role: 'OrgAdmin',
      scope: 'Research',
      isAdmin: true,
    })
    const r2 = await client({ org: 'Research' }).signIn({
      username: 'orgadmin',
      password: PW.orgadmin!,
    })
    expect(r2.identity.scope).toBe('Research')
    // Empty org = Root (docs/protocols/weka.md §2.1).
    const r3 = await client({ org: '' }).signIn({ username: 'alice', password: PW.alice! })
    expect(r3.identity).toMatchObject({
      username: 'alice',
      role: 'Regular',
      scope: 'Root',
      isAdmin: false,
    })
  })

  it('a wrong password is BAD_CREDENTIALS after exactly one attempt, and the password is never echoed', async () => {
    const err = await failure(
      client().signIn({ username: 'bob', password: 'Wrong-Password-1' }),
      'BAD_CREDENTIALS',
    )
    expect(err.message).toMatch(/wrong username or password/)
    expect(err.message).not.toContain('Wrong-Password-1')
    expect(sim.state.loginAttempts('bob')).toBe(1)
    expect(sim.requests).toHaveLength(1)
    // Unknown user and unknown org look the same.
    await failure(client().signIn({ username: 'nobody', password: 'x' }), 'BAD_CREDENTIALS')
    await failure(
      client().signIn({ username: 'bob', password: PW.bob!, org: 'NoSuchOrg' }),
      'BAD_CREDENTIALS',
    )
  })

  it('lockout: ACCOUNT_LOCKED with retryAt from the remaining time, even with the right password', async () => {
    const c = client()
    for (let i = 0; i < 5; i++)
      await failure(c.signIn({ username: 'alice', password: `nope-${i}` }), 'BAD_CREDENTIALS')
    expect(sim.state.loginAttempts('alice')).toBe(5)
    const lockedUntil = sim.state.lockedUntil('alice')
    expect(lockedUntil).toBe(clock.now() + 120_000)

    const locked = await failure(
      c.signIn({ username: 'alice', password: PW.alice! }),
      'ACCOUNT_LOCKED',
    )
    expect(locked.retryAt).toBe(lockedUntil)
    expect(locked.message).toMatch(/locked/)
    expect(locked.message).toContain('2 min')
    expect(sim.state.loginAttempts('alice')).toBe(6)

    clock.advance(65_000) // "another 55s"
    const later = await failure(
      c.signIn({ username: 'alice', password: PW.alice! }),
      'ACCOUNT_LOCKED',
    )
    expect(later.retryAt).toBe(lockedUntil)
    expect(later.message).toContain('55 s')
    expect(sim.state.loginAttempts('alice')).toBe(7)

    clock.advance(55_000)
    const ok = await c.signIn({ username: 'alice', password: PW.alice! })
    expect(ok.identity.username).toBe('alice')
    expect(sim.state.loginAttempts('alice')).toBe(8)
  })

  it('password_change_required: PASSWORD_CHANGE_REQUIRED, saying where to change it', async () => {
    const err = await failure(
      client().signIn({ username: 'newbie', password: PW.newbie! }),
      'PASSWORD_CHANGE_REQUIRED',
    )
    expect(err.message).toMatch(/WEKA web GUI/)
    expect(err.message).toMatch(/PUT \/api\/v2\/users\/password/)
    expect(err.message).not.toContain(PW.newbie!)
  })

  it('a 5xx on sign-in is SERVER_ERROR with retryAt and is not retried', async () => {
    sim.faults.enable('serverError', { match: /\/login$/, status: 503, retryAfterSeconds: 30 })
    const err = await failure(
      client().signIn({ username: 'admin', password: PW.admin! }),
      'SERVER_ERROR',
    )
    expect(err.retryAt).toBe(clock.now() + 30_000)
    expect(sim.requests).toHaveLength(1)
  })
})

describe('resume (refresh)', () => {
  it('refreshes to a new access token and a new refresh token', async () => {
    const c = client()
    const first = await c.signIn({ username: 'alice', password: PW.alice! })
    clock.advance(240_000)
    const next = await c.resume(first.stored.value)
    expect(next.access.token).not.toBe(first.access.token)
    expect(next.stored.value).not.toBe(first.stored.value)
    expect(next.stored.kind).toBe('refresh-token')
    expect(next.access.expiresAt).toBe(clock.now() + 300_000)
    expect(next.stored.expiresAt).toBe(Math.floor(clock.now() / 1000) * 1000 + 30 * DAY)
    expect((await c.proveToken(next.access.token)).username).toBe('alice')
    // And again from the rotated one.
    const third = await c.resume(next.stored.value)
    expect((await c.whoami(third.access.token)).username).toBe('alice')
    expect(sim.state.loginAttempts('alice')).toBe(1)
  })

  it('an expired access token is NOT_SIGNED_IN (refresh it); an expired refresh token is REFRESH_EXPIRED', async () => {
    const c = client()
    const s = await c.signIn({ username: 'admin', password: PW.admin! })
    clock.advance(301_000)
    await failure(c.whoami(s.access.token), 'NOT_SIGNED_IN')
    const again = await c.resume(s.stored.value)
    expect((await c.whoami(again.access.token)).username).toBe('admin')

    clock.advance(31 * DAY)
    const err = await failure(c.resume(again.stored.value), 'REFRESH_EXPIRED')
    expect(err.message).toMatch(/Signed out.*Sign in again/)
  })

  it('after revoke, refresh is REFRESH_EXPIRED and the access token NOT_SIGNED_IN', async () => {
    const c = client()
    const s = await c.signIn({ username: 'admin', password: PW.admin! })
    await c.revoke(s.access.token, { username: 'admin' })
    await failure(c.resume(s.stored.value), 'REFRESH_EXPIRED')
    await failure(c.clusterInfo(s.access.token), 'NOT_SIGNED_IN')
  })

  it('garbage is REFRESH_EXPIRED; a 5xx propagates as SERVER_ERROR for the session to back off', async () => {
    const c = client()
    await failure(c.resume('not-a-token'), 'REFRESH_EXPIRED')
    const s = await c.signIn({ username: 'admin', password: PW.admin! })
    sim.faults.enable('serverError', {
      match: /\/login\/refresh$/,
      status: 503,
      retryAfterSeconds: 12,
      times: 1,
    })
    const err = await failure(c.resume(s.stored.value), 'SERVER_ERROR')
    expect(err.retryAt).toBe(clock.now() + 12_000)
    expect(err.message).toContain('POST /api/v2/login/refresh')
    expect((await c.resume(s.stored.value)).access.token).toBeTruthy()
  })
})

describe('long-lived tokens', () => {
  it('mints one with the requested lifetime via /login/refresh, hands back the rotated refresh token, dies on revoke', async () => {
    const c = client()
    const s = await c.signIn({ username: 'admin', password: PW.admin! })
    const t0 = clock.now()
    const created = await c.createToken(s.access.token, { expiresIn: 7 * 86_400 }, s.stored.value)
    const rotated = [created.rotatedStored]
    expect(created.secrets).toHaveLength(1)
    const secret = created.secrets[0]!
    expect(secret.kind).toBe('access-token')
    expect(created.summary).toEqual({
      id: `long-lived-${Math.floor(t0 / 1000)}`,
      owner: 'admin',
      createdAt: t0,
      expiresAt: t0 + 7 * DAY,
    })
    const record = sim.state.allTokens().find((r) => r.token === secret.value)
    expect(record?.kind).toBe('long-lived')
    expect(record?.expiresAt).toBe(Math.floor(t0 / 1000) * 1000 + 7 * DAY)

    // The refresh call rotated the refresh token; the new one is handed back (never as a
    // shown-once secret) and works.
    expect(rotated[0]).toBeTruthy()
    expect(rotated[0]).not.toBe(s.stored.value)
    expect(created.secrets.map((x) => x.value)).not.toContain(rotated[0])
    expect((await c.resume(rotated[0]!)).access.token).toBeTruthy()

    // Works for days, long after a 5-minute token would be dead.
    clock.advance(6 * DAY)
    expect(await c.proveToken(secret.value)).toMatchObject({ username: 'admin', isAdmin: true })
    expect((await c.clusterInfo(secret.value)).clusterName).toBe('tokendeck-sim')

    await c.revoke(secret.value, { username: 'admin' })
    const dead = await failure(c.proveToken(secret.value), 'NOT_SIGNED_IN')
    expect(dead.message).toContain('this token')
    await failure(c.resume(rotated[0]!), 'REFRESH_EXPIRED')
  })

  it('defaults to 30 days; a cluster maximum shortens it and says so', async () => {
    const c = client()
    const s = await c.signIn({ username: 'alice', password: PW.alice! })
    const refresh = s.stored.value
    const t0 = clock.now()
    const d = await c.createToken(s.access.token, {}, refresh)
    expect(d.summary.expiresAt).toBe(t0 + 30 * DAY)
    expect(d.summary.owner).toBe('alice')
    expect(d.summary.description).toBeUndefined()

    sim.state.config.maxAccessTokenExpirySeconds = 86_400
    const capped = await c.createToken(s.access.token, { expiresIn: 10 * 86_400 }, refresh)
    expect(capped.summary.expiresAt).toBe(t0 + DAY)
    expect(capped.summary.description).toMatch(/shortened.*24 h/)
  })

  it("refuses 'never', bad lifetimes, other owners, and a missing refresh token — before minting", async () => {
    const c = client()
    const s = await c.signIn({ username: 'admin', password: PW.admin! })
    await failure(c.createToken(s.access.token, {}), 'NOT_SIGNED_IN')
    const refresh = s.stored.value
    const never = await failure(
      c.createToken(s.access.token, { expiresIn: 'never' }, refresh),
      'UNSUPPORTED',
    )
    expect(never.message).toMatch(/never expires/)
    await failure(c.createWarnings(s.access.token, { expiresIn: 'never' }), 'UNSUPPORTED')
    await failure(c.createToken(s.access.token, { expiresIn: 0 }, refresh), 'INVALID_INPUT')
    await failure(c.createToken(s.access.token, { expiresIn: 1.5 }, refresh), 'INVALID_INPUT')
    await failure(c.createToken(s.access.token, { owner: 'alice' }, refresh), 'UNSUPPORTED')
    expect(sim.state.allTokens().filter((r) => r.kind === 'long-lived')).toHaveLength(0)
  })

  it('createWarnings: none for ordinary lifetimes, a note beyond 90 days', async () => {
    const c = client()
    expect(await c.createWarnings('unused', {})).toEqual([])
    expect(await c.createWarnings('unused', { expiresIn: 90 * 86_400 })).toEqual([])
    const w = await c.createWarnings('unused', { expiresIn: 365 * 86_400 })
    expect(w).toHaveLength(1)
    expect(w[0]).toMatch(/365 days.*revoke all tokens/)
  })
})

describe('revoke, clusterInfo, unsupported operations', () => {
  it("an admin revokes all of another user's tokens (uid from GET /users); the admin's own stay", async () => {
    const c = client()
    const admin = await c.signIn({ username: 'admin', password: PW.admin! })
    const alice = await c.signIn({ username: 'alice', password: PW.alice! })
    await c.revoke(admin.access.token, { username: 'alice' })
    expect(sim.state.liveTokens('alice')).toHaveLength(0)
    expect(sim.state.liveTokens('admin').length).toBeGreaterThan(0)
    await failure(c.whoami(alice.access.token), 'NOT_SIGNED_IN')
    await failure(c.resume(alice.stored.value), 'REFRESH_EXPIRED')
    expect(
      sim.requests.some(
        (q) =>
          q.method === 'DELETE' &&
          q.path === `/api/v2/users/${sim.state.user('alice')!.uid}/revoke`,
      ),
    ).toBe(true)

    const missing = await failure(c.revoke(admin.access.token, { username: 'ghost' }), 'NOT_FOUND')
    expect(missing.message).toContain('ghost')
    await failure(c.revoke(admin.access.token, { tokenId: 'long-lived-1' }), 'UNSUPPORTED')
  })

  it('a Regular user revokes their own tokens (uid from whoami) but not another user’s', async () => {
    const c = client()
    const bob = await c.signIn({ username: 'bob', password: PW.bob! })
    const alice = await c.signIn({ username: 'alice', password: PW.alice! })
    await failure(c.revoke(alice.access.token, { username: 'bob' }), 'FORBIDDEN')
    expect(sim.state.liveTokens('bob').length).toBeGreaterThan(0)
    await c.revoke(alice.access.token, { username: 'alice' })
    expect(sim.state.liveTokens('alice')).toHaveLength(0)
    expect((await c.whoami(bob.access.token)).username).toBe('bob')
  })

  it('clusterInfo gives name, guid and release; a Regular user is FORBIDDEN', async () => {
    const c = client()
    const admin = await c.signIn({ username: 'admin', password: PW.admin! })
    expect(await c.clusterInfo(admin.access.token)).toEqual({
      clusterName: 'tokendeck-sim',
      clusterId: sim.state.config.cluster.guid,
      version: sim.state.config.cluster.release,
    })
    const alice = await c.signIn({ username: 'alice', password: PW.alice! })
    const err = await failure(c.clusterInfo(alice.access.token), 'FORBIDDEN')
    expect(err.message).toContain('GET /api/v2/cluster')
  })

  it('listTokens and modifyToken are UNSUPPORTED, as the capabilities say', async () => {
    const c = client()
    expect(c.capabilities.listsTokens).toBe(false)
    expect(c.capabilities.modifiesExpiry).toBe(false)
    await failure(c.listTokens('x'), 'UNSUPPORTED')
    await failure(c.modifyToken('x', 'long-lived-1', { expiresAt: null }), 'UNSUPPORTED')
    expect(sim.requests).toHaveLength(0)
  })
})

describe('broken replies', () => {
  it('truncated JSON is BAD_RESPONSE naming the endpoint (login, refresh, whoami, cluster)', async () => {
    const c = client()
    const s = await c.signIn({ username: 'admin', password: PW.admin! })
    sim.faults.enable('truncatedJson', { times: 1 })
    const e1 = await failure(c.signIn({ username: 'admin', password: PW.admin! }), 'BAD_RESPONSE')
    expect(e1.message).toContain('POST /api/v2/login')
    sim.faults.enable('truncatedJson', { times: 1 })
    const e2 = await failure(c.resume(s.stored.value), 'BAD_RESPONSE')
    expect(e2.message).toContain('POST /api/v2/login/refresh')
    sim.faults.enable('truncatedJson', { times: 1 })
    expect((await failure(c.whoami(s.access.token), 'BAD_RESPONSE')).message).toContain(
      'GET /api/v2/users/whoami',
    )
    sim.faults.enable('truncatedJson', { times: 1 })
    expect((await failure(c.clusterInfo(s.access.token), 'BAD_RESPONSE')).message).toContain(
      'GET /api/v2/cluster',
    )
  })

  it("the sim's HTML error page is a 502: SERVER_ERROR naming the endpoint (the http layer's rule for any 5xx)", async () => {
    const c = client()
    const s = await c.signIn({ username: 'admin', password: PW.admin! })
    sim.faults.enable('htmlError', { match: /\/cluster$/ })
    const err = await failure(c.clusterInfo(s.access.token), 'SERVER_ERROR')
    expect(err.message).toContain('GET /api/v2/cluster')
    expect(err.message).toContain('502')
  })
})

describe('other servers on loopback HTTPS', () => {
  let other: HttpsSim
  afterEach(async () => {
    await other.close()
  })

  async function otherClient(
    handler: Parameters<typeof startHttpsSim>[0]['handler'],
  ): Promise<WekaClient> {
    other = await startHttpsSim({ name: 'weka-like', clock, handler })
    const c = createWekaClient(
      { url: other.url, trust: { sha256: other.fingerprint } },
      { now: () => clock.now() },
    )
    clients.push(c)
    return c
  }

  it('an HTML page with 200 (a portal, not the API) is BAD_RESPONSE naming the endpoint', async () => {
    const c = await otherClient(() => ({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html><body>Sign in</body></html>',
    }))
    const err = await failure(
      c.signIn({ username: 'admin', password: 'Secret-Pass-99' }),
      'BAD_RESPONSE',
    )
    expect(err.message).toContain('POST /api/v2/login')
    expect(err.message).toMatch(/web page/)
    expect(err.message).not.toContain('Secret-Pass-99')
  })

  it('accepts the one-element array the docs print for login/refresh data (docs/protocols/weka.md §2.3), rejects wrong shapes', async () => {
    const tokens = {
      access_token: 'acc-1',
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: 'ref-1',
    }
    let shape: unknown = [tokens]
    const c = await otherClient((req) => {
      if (req.path === '/api/v2/login' || req.path === '/api/v2/login/refresh')
        return { status: 200, body: { data: shape } }
      if (req.path === '/api/v2/users/whoami')
        return { status: 200, body: { data: { username: 'admin', role: 'ReadOnly', org_id: 0 } } }
      return { status: 404, body: { message: 'Not Found' } }
    })
    const r = await c.signIn({ username: 'admin', password: 'pw' })
    expect(r.access).toEqual({ token: 'acc-1', expiresAt: clock.now() + 300_000 })
    // Not a JWT: no expiry to read, which is fine.
    expect(r.stored).toEqual({ kind: 'refresh-token', value: 'ref-1' })
    expect(r.identity).toEqual({ username: 'admin', role: 'ReadOnly', isAdmin: false })
    expect((await c.resume('ref-0')).access.token).toBe('acc-1')

    for (const bad of [
      [],
      { ...tokens, expires_in: '300' },
      { ...tokens, access_token: undefined },
      { ...tokens, token_type: 'MAC' },
      'token',
    ]) {
      shape = bad
      const err = await failure(c.resume('ref-0'), 'BAD_RESPONSE')
      expect(err.message).toContain('POST /api/v2/login/refresh')
      expect(err.message).not.toContain('acc-1')
    }
  })
})
