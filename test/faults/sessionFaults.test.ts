/**
 * Faults a cluster or the machine can throw at a running session, each asserting what the user
 * sees and that nothing is lost: the stored credential survives every transient failure and the
 * session recovers on its own once the fault clears.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../sim/common/clock'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { KeytarSecretStore, type KeytarApi } from '../../src/main/core/secrets'
import { keychainMissingReason, startCoreHarness, type CoreHarness } from '../core/harness'
import keytar from 'keytar'
import { randomUUID } from 'node:crypto'

const missing = keychainMissingReason()
const MINUTE = 60_000

describe.skipIf(missing)(`session faults${missing ? ` — SKIPPED: ${missing}` : ''}`, () => {
  const clock = new FakeClock(Date.now())
  let sim: WekaSim
  let h: CoreHarness
  let clusterId: string

  beforeAll(async () => {
    sim = await startWekaSim({ clock })
  })
  afterAll(async () => {
    await sim?.close()
  })
  afterEach(async () => {
    sim.faults.clear()
    await h?.close()
  })

  async function signedIn(options: Parameters<typeof startCoreHarness>[1] = {}) {
    h = await startCoreHarness(clock, {
      keychain: 'os',
      http: { connectTimeoutMs: 1_000, headersTimeoutMs: 1_000, bodyTimeoutMs: 1_000 },
      ...options,
    })
    const c = await h.core.registry.add({
      vendor: 'weka',
      name: `faults-${randomUUID().slice(0, 8)}`,
      url: sim.url,
      username: 'admin',
      trust: { sha256: sim.fingerprint },
    })
    clusterId = c.id
    await h.core.sessions.signIn(clusterId, 'WekaSim-Admin-7341')
    return (await h.core.secrets.getCredential(clusterId))?.value
  }

  /** Let the session come due and run the scheduler, the way the 10 s ticker would. */
  async function runFor(ms: number) {
    for (let t = 0; t < ms; t += 10_000) {
      clock.advance(10_000)
      await h.core.sessions.tick()
    }
  }

  /** Run the scheduler until `done` holds, at most `ms` of (fake) time. */
  async function runUntil(done: () => boolean, ms: number) {
    for (let t = 0; t < ms && !done(); t += 10_000) {
      clock.advance(10_000)
      await h.core.sessions.tick()
    }
  }

  const cases: Array<[string, Parameters<WekaSim['faults']['set']>[0], string]> = [
    [
      'a 5xx storm with Retry-After',
      { serverError: { match: /refresh/, times: 6, retryAfterSeconds: 20 } },
      'SERVER_ERROR',
    ],
    ['connection resets', { reset: { match: /refresh/, times: 3 } }, 'UNREACHABLE'],
    ['truncated JSON', { truncatedJson: { match: /refresh/, times: 3 } }, 'BAD_RESPONSE'],
    [
      'an HTML error page from a proxy',
      { htmlError: { match: /refresh/, times: 3 } },
      'SERVER_ERROR',
    ],
    [
      'a server that hangs past the timeout',
      { hang: { match: /refresh/, times: 2, ms: 3_000 } },
      'TIMEOUT',
    ],
  ]

  it.each(cases)(
    '%s: shows the failure, keeps the credential, recovers by itself',
    async (_name, faults, code) => {
      const stored = await signedIn()
      expect(stored).toBeDefined()
      sim.faults.set(faults)
      // The refresh comes due somewhere in its window (jittered); the first failure shows.
      await runUntil(() => h.core.sessions.state(clusterId).state === 'failed', 5 * MINUTE)
      const failed = h.core.sessions.state(clusterId)
      expect(failed).toMatchObject({ state: 'failed', error: { code } })
      expect(failed.state === 'failed' && failed.retryAt).toBeGreaterThan(clock.now())
      // Nothing lost: the refresh token is still in the keychain.
      expect((await h.core.secrets.getCredential(clusterId))?.value).toBe(stored)
      await runFor(15 * MINUTE)
      expect(h.core.sessions.state(clusterId).state).toBe('active')
      const token = await h.core.sessions.getAccessToken(clusterId)
      expect(sim.state.liveTokens('admin').some((r) => r.token === token)).toBe(true)
    },
  )

  it('the keychain becoming unavailable mid-run: the session keeps working, says so, and heals', async () => {
    let broken = false
    const flaky: KeytarApi = {
      getPassword: (s, a) =>
        broken
          ? Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'))
          : keytar.getPassword(s, a),
      setPassword: (s, a, p) =>
        broken
          ? Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'))
          : keytar.setPassword(s, a, p),
      deletePassword: (s, a) => keytar.deletePassword(s, a),
    }
    const service = `Tokendeck Test ${randomUUID()}`
    await signedIn({
      secretStore: new KeytarSecretStore({ service, namespace: randomUUID(), keytar: flaky }),
    })
    broken = true
    await runFor(4 * MINUTE + 10_000)
    expect(h.core.sessions.state(clusterId)).toMatchObject({
      state: 'failed',
      error: { code: 'KEYCHAIN_UNAVAILABLE' },
    })
    // The refresh itself succeeded: the user can still copy a valid token.
    const token = await h.core.sessions.getAccessToken(clusterId)
    expect(sim.state.liveTokens('admin').some((r) => r.token === token)).toBe(true)
    broken = false
    await runFor(6 * MINUTE)
    expect(h.core.sessions.state(clusterId).state).toBe('active')
    const persisted = (await h.core.secrets.getCredential(clusterId))?.value
    expect(
      sim.state.liveTokens('admin').some((r) => r.kind === 'refresh' && r.token === persisted),
    ).toBe(true)
  })

  it('100 concurrent copies while a refresh is in flight: one refresh, every copy a valid token', async () => {
    await signedIn()
    clock.advance(4.5 * MINUTE)
    sim.faults.enable('latency', { match: /refresh/, ms: 150 })
    const refreshesBefore = sim.requests.filter((r) => r.path === '/api/v2/login/refresh').length
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        h.core.dispatcher.invoke('session:copyAccessToken', { clusterId }),
      ),
    )
    expect(results.every((r) => r.ok)).toBe(true)
    expect(
      sim.requests.filter((r) => r.path === '/api/v2/login/refresh').length - refreshesBefore,
    ).toBe(1)
    const onClipboard = h.clipboard.readText()
    const live = sim.state.liveTokens('admin').find((r) => r.token === onClipboard)
    expect(live?.kind).toBe('access')
    expect(live!.expiresAt - clock.now()).toBeGreaterThan(60_000)
  })
})
