/**
 * The refresh engine against the WEKA simulator over HTTPS, with the private keychain and a
 * fake clock: tokens are always fresh, refreshes are single-flight, a rejected refresh token
 * signs the session out, a lockout is reported, and a changed certificate stops refreshing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../../sim/common/clock'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import type { WekaSeedUser } from '../../sim/weka/options'
import { TokendeckError } from '../../../src/shared/errors'
import { startCoreHarness, storedValues, type CoreHarness } from '../harness'

const MINUTE = 60_000
const users: WekaSeedUser[] = [
  { username: 'admin', password: 'Admin-Pass-1', role: 'ClusterAdmin' },
  ...Array.from({ length: 100 }, (_, i) => ({
    username: `user${i}`,
    password: `User-Pass-${i}`,
    role: 'Regular',
  })),
]

describe('WEKA sessions', () => {
  let clock: FakeClock
  let sim: WekaSim
  let h: CoreHarness

  beforeAll(async () => {
    clock = new FakeClock()
    sim = await startWekaSim({ clock, users })
  })
  afterAll(async () => {
    await sim.close()
  })
  afterEach(async () => {
    await h?.close()
    sim.faults.clear()
  })

  async function addCluster(username: string, name = username) {
    return h.core.registry.add({
      vendor: 'weka',
      name,
      url: sim.url,
      username,
      trust: { sha256: sim.fingerprint },
    })
  }

  const refreshRequests = (username: string) =>
    sim.requests.filter((r) => r.path === '/api/v2/login/refresh' && r.user === username).length

  it('keeps 100 sessions fresh for 30 simulated minutes: never an expired token, never a duplicate refresh', async () => {
    h = await startCoreHarness(clock)
    const clusters = []
    for (let i = 0; i < 100; i++) clusters.push(await addCluster(`user${i}`))
    await Promise.all(clusters.map((c, i) => h.core.sessions.signIn(c.id, `User-Pass-${i}`)))
    const margin = h.core.registry.getSettings().refreshMarginSeconds * 1000

    for (let t = 0; t < 30 * MINUTE; t += 10_000) {
      clock.advance(10_000)
      await h.core.sessions.tick()
      if (t % MINUTE === 0) {
        // Three callers per cluster at once: they must share one refresh.
        const tokens = await Promise.all(
          clusters.flatMap((c) => [1, 2, 3].map(() => h.core.sessions.getAccessToken(c.id))),
        )
        const live = new Map(sim.state.liveTokens().map((r) => [r.token, r]))
        for (const token of tokens) {
          const record = live.get(token)
          expect(record, 'token served must be one the server accepts now').toBeDefined()
          expect(record!.expiresAt - clock.now()).toBeGreaterThanOrEqual(margin)
        }
      }
    }
    await h.core.sessions.idle()
    for (let i = 0; i < 100; i++) {
      const sent = refreshRequests(`user${i}`)
      // 300 s tokens refreshed 60 s early: one refresh every 240 s, 7 or 8 in 30 minutes.
      expect(sent).toBeGreaterThanOrEqual(7)
      expect(sent).toBeLessThanOrEqual(8)
      expect(sent).toBe(h.core.sessions.refreshCount.get(clusters[i]!.id))
    }
  }, 120_000)

  it('many callers when the token is due share exactly one refresh request', async () => {
    h = await startCoreHarness(clock)
    const c = await addCluster('admin', 'single-flight')
    await h.core.sessions.signIn(c.id, 'Admin-Pass-1')
    clock.advance(4.5 * MINUTE)
    const before = refreshRequests('admin')
    const tokens = await Promise.all(
      Array.from({ length: 25 }, () => h.core.sessions.getAccessToken(c.id)),
    )
    expect(new Set(tokens).size).toBe(1)
    expect(refreshRequests('admin') - before).toBe(1)
  })

  it('stores the refresh token in the keychain, never the password, and resumes after a restart', async () => {
    h = await startCoreHarness(clock)
    const c = await addCluster('user1', 'resume')
    await h.core.sessions.signIn(c.id, 'User-Pass-1')
    const stored = await storedValues(h.core)
    const values = [...stored.values()]
    expect(values).toHaveLength(1)
    expect(values).not.toContain('User-Pass-1')
    expect(
      sim.state.liveTokens('user1').some((r) => r.kind === 'refresh' && r.token === values[0]),
    ).toBe(true)

    // A second core on the same data dir and keychain service: signed in without a password.
    await h.core.close()
    const loginsBefore = sim.state.loginAttempts('user1')
    const again = await startCoreHarness(clock, { dataDir: h.dataDir, secretStore: h.core.secrets })
    await again.core.sessions.idle()
    expect(again.core.sessions.state(c.id).state).toBe('active')
    expect(await again.core.sessions.getAccessToken(c.id)).toMatch(/^eyJ/)
    expect(sim.state.loginAttempts('user1')).toBe(loginsBefore)
    await again.core.close()
  })

  it('signs out with REFRESH_EXPIRED when the refresh token expires, and when it is revoked', async () => {
    h = await startCoreHarness(clock)
    const c = await addCluster('user2', 'expiry')
    await h.core.sessions.signIn(c.id, 'User-Pass-2')
    // Past the refresh token's 30-day life without any refresh (machine off).
    clock.advance(31 * 24 * 60 * MINUTE)
    await expect(h.core.sessions.getAccessToken(c.id)).rejects.toMatchObject({
      code: 'REFRESH_EXPIRED',
    })
    expect(h.core.sessions.state(c.id)).toMatchObject({
      state: 'signed-out',
      reason: { code: 'REFRESH_EXPIRED' },
    })
    expect(await storedValues(h.core)).toHaveProperty('size', 0)

    await h.core.sessions.signIn(c.id, 'User-Pass-2')
    sim.state.revokeTokens(sim.state.user('user2')!)
    clock.advance(5 * MINUTE)
    await h.core.sessions.tick()
    expect(h.core.sessions.state(c.id)).toMatchObject({
      state: 'signed-out',
      reason: { code: 'REFRESH_EXPIRED' },
    })
  })

  it('counts exactly one login attempt per sign-in, and reports a lockout with when to retry', async () => {
    h = await startCoreHarness(clock)
    const c = await addCluster('user3', 'lockout')
    const base = sim.state.loginAttempts('user3')
    for (let attempt = 1; attempt <= 5; attempt++) {
      await expect(h.core.sessions.signIn(c.id, 'wrong')).rejects.toMatchObject({
        code: 'BAD_CREDENTIALS',
      })
      expect(sim.state.loginAttempts('user3') - base).toBe(attempt)
    }
    const err = await h.core.sessions.signIn(c.id, 'User-Pass-3').catch((e: TokendeckError) => e)
    expect(err).toMatchObject({ code: 'ACCOUNT_LOCKED' })
    expect((err as TokendeckError).retryAt).toBeGreaterThan(clock.now())
    expect(sim.state.loginAttempts('user3') - base).toBe(6)
    expect(h.core.sessions.state(c.id).state).toBe('locked')
    // Nothing retries on its own, however long we wait.
    clock.advance(10 * MINUTE)
    await h.core.sessions.tick()
    expect(sim.state.loginAttempts('user3') - base).toBe(6)
  })

  it('backs off on 5xx, honouring Retry-After, then recovers', async () => {
    h = await startCoreHarness(clock)
    const c = await addCluster('user4', 'backoff')
    await h.core.sessions.signIn(c.id, 'User-Pass-4')
    // Fault replies come before the simulator authenticates, so count by path: this test's
    // session is the only one alive.
    const allRefreshes = () => sim.requests.filter((r) => r.path === '/api/v2/login/refresh').length
    const base = allRefreshes()
    sim.faults.enable('serverError', { match: /login\/refresh/, times: 2, retryAfterSeconds: 30 })
    clock.advance(4 * MINUTE + 1000)
    await h.core.sessions.tick()
    const failed = h.core.sessions.state(c.id)
    expect(failed.state).toBe('failed')
    expect(failed.state === 'failed' && failed.retryAt! - clock.now()).toBeGreaterThanOrEqual(
      30_000,
    )
    clock.advance(10_000)
    await h.core.sessions.tick()
    expect(allRefreshes() - base).toBe(1) // not retried before Retry-After
    clock.advance(25_000)
    await h.core.sessions.tick() // second failure
    clock.advance(60_000)
    await h.core.sessions.tick()
    expect(h.core.sessions.state(c.id).state).toBe('active')
    expect(allRefreshes() - base).toBe(3)
  })

  it('stops refreshing and asks to re-trust when the certificate changes; re-trust resumes', async () => {
    const own = new FakeClock(clock.now())
    const rotating = await startWekaSim({ clock: own, users: users.slice(0, 2) })
    h = await startCoreHarness(own)
    const c = await h.core.registry.add({
      vendor: 'weka',
      name: 'pinned',
      url: rotating.url,
      username: 'admin',
      trust: { sha256: rotating.fingerprint },
    })
    await h.core.sessions.signIn(c.id, 'Admin-Pass-1')
    const newPin = await rotating.rotateCertificate()
    own.advance(5 * MINUTE)
    await h.core.sessions.tick()
    // The rotation dropped the kept-alive connection: the first try may fail as unreachable
    // and be retried after its backoff; the new certificate is then caught by the pin.
    const first = h.core.sessions.state(c.id)
    if (first.state === 'failed') {
      expect(first.error.code).toBe('UNREACHABLE')
      own.set(first.retryAt!)
      await h.core.sessions.tick()
    }
    expect(h.core.sessions.state(c.id)).toEqual({ state: 'untrusted', seenSha256: newPin })
    const refreshesWhileUntrusted = rotating.requests.length
    own.advance(5 * MINUTE)
    await h.core.sessions.tick()
    expect(rotating.requests.length).toBe(refreshesWhileUntrusted)
    await expect(h.core.sessions.getAccessToken(c.id)).rejects.toMatchObject({
      code: 'TLS_PIN_MISMATCH',
    })

    await h.core.clusters.retrust(c.id, newPin)
    expect(h.core.sessions.state(c.id).state).toBe('active')
    await rotating.close()
  })

  it('after a wall-clock jump (sleep/resume) checks every overdue session at once', async () => {
    h = await startCoreHarness(clock)
    const a = await addCluster('user5', 'sleep-a')
    const b = await addCluster('user6', 'sleep-b')
    await h.core.sessions.signIn(a.id, 'User-Pass-5')
    await h.core.sessions.signIn(b.id, 'User-Pass-6')
    await h.core.sessions.tick()
    const [baseA, baseB] = [refreshRequests('user5'), refreshRequests('user6')]
    clock.advance(2 * 60 * MINUTE) // the laptop slept for two hours
    await h.core.sessions.tick()
    expect(h.core.sessions.state(a.id).state).toBe('active')
    expect(h.core.sessions.state(b.id).state).toBe('active')
    expect(refreshRequests('user5') - baseA).toBe(1)
    expect(refreshRequests('user6') - baseB).toBe(1)
  })
})
