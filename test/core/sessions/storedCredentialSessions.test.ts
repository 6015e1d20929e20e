/**
 * Qumulo and Swarm sessions cannot be renewed without the password: the engine checks the
 * stored credential on a schedule and on demand, and says plainly when the session has ended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../../sim/common/clock'
import { startQumuloSim, type QumuloSim } from '../../sim/qumulo'
import { startSwarmSim, type SwarmSim } from '../../sim/swarm'
import { startCoreHarness, type CoreHarness } from '../harness'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

describe('Qumulo and Swarm sessions', () => {
  const clock = new FakeClock(Date.now())
  let qumulo: QumuloSim
  let swarm: SwarmSim
  let h: CoreHarness

  beforeAll(async () => {
    ;[qumulo, swarm] = await Promise.all([startQumuloSim({ clock }), startSwarmSim({ clock })])
    h = await startCoreHarness(clock)
  })
  afterAll(async () => {
    await h?.close()
    await Promise.all([qumulo?.close(), swarm?.close()])
  })

  /** Advance time the way the app's 10 s ticker would (a longer gap reads as sleep/resume). */
  async function runFor(ms: number) {
    for (let t = 0; t < ms; t += 10_000) {
      clock.advance(10_000)
      await h.core.sessions.tick()
    }
  }
  const whoAmIs = () => qumulo.requests.filter((r) => r.path === '/v1/session/who-am-i').length

  it('Qumulo: checks the stored session on its interval, and notices it was ended server-side', async () => {
    const c = await h.core.registry.add({
      vendor: 'qumulo',
      name: 'q',
      url: qumulo.url,
      username: 'admin',
      trust: { sha256: qumulo.fingerprint },
    })
    await h.core.sessions.signIn(c.id, 'Qumulo-Admin-Demo-1')
    const session = h.core.sessions.state(c.id)
    expect(session.state).toBe('active')
    // ~10 hours, as the notes say, and known to the UI.
    expect(h.core.sessions.storedExpiresAt(c.id)! - clock.now()).toBeGreaterThan(9 * HOUR)

    const before = whoAmIs()
    await runFor(14 * MINUTE)
    expect(whoAmIs()).toBe(before) // not due yet
    await runFor(2 * MINUTE)
    expect(whoAmIs()).toBe(before + 1)
    expect(h.core.sessions.state(c.id).state).toBe('active')

    qumulo.state.expireAllSessions()
    await h.core.sessions.refresh(c.id).catch(() => undefined) // "check now"
    expect(h.core.sessions.state(c.id)).toMatchObject({
      state: 'signed-out',
      reason: { code: 'REFRESH_EXPIRED' },
    })
    await expect(h.core.sessions.getAccessToken(c.id)).rejects.toMatchObject({
      code: 'NOT_SIGNED_IN',
    })
  })

  it('Swarm: a session token close to its 24 h end is not served; the user is told to sign in', async () => {
    const c = await h.core.registry.add({
      vendor: 'swarm',
      name: 's',
      url: swarm.url,
      username: 'admin@',
      trust: { sha256: swarm.fingerprint },
    })
    await h.core.sessions.signIn(c.id, 'swarm-admin-demo')
    const token = await h.core.sessions.getAccessToken(c.id)
    expect(swarm.state.liveTokens().some((t) => t.id === token)).toBe(true)
    clock.advance(24 * HOUR - 30_000) // within the 60 s refresh margin of the end
    await expect(h.core.sessions.getAccessToken(c.id)).rejects.toMatchObject({
      code: 'REFRESH_EXPIRED',
    })
    expect(h.core.sessions.state(c.id)).toMatchObject({
      state: 'expired',
      reason: { code: 'REFRESH_EXPIRED' },
    })
  })
})
