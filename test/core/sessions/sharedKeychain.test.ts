/**
 * The app and the CLI share one keychain. Where refresh tokens are single-use, one process's
 * refresh spends the token the other holds in memory: the other must pick up the newer token
 * from the keychain instead of signing out and deleting it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../../sim/common/clock'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { keychainMissingReason, startCoreHarness, type CoreHarness } from '../harness'

const missing = keychainMissingReason()
const MINUTE = 60_000

describe.skipIf(missing)(
  `two processes on one keychain${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    const clock = new FakeClock(Date.now())
    let sim: WekaSim
    let app: CoreHarness

    beforeAll(async () => {
      sim = await startWekaSim({ clock, refreshTokenSingleUse: true })
      app = await startCoreHarness(clock, { keychain: 'os' })
    })
    afterAll(async () => {
      await app?.close()
      await sim?.close()
    })

    it('a refresh by another process does not sign this one out', async () => {
      const c = await app.core.registry.add({
        vendor: 'weka',
        name: 'shared',
        url: sim.url,
        username: 'admin',
        trust: { sha256: sim.fingerprint },
      })
      await app.core.sessions.signIn(c.id, 'WekaSim-Admin-7341')
      const logins = sim.state.loginAttempts('admin')

      // "tokendeck token shared": a second core on the same data and keychain refreshes,
      // spending the refresh token the app holds and storing the new one.
      const cli = await startCoreHarness(clock, {
        dataDir: app.dataDir,
        keychainService: app.service,
      })
      await cli.core.sessions.idle()
      expect(cli.core.sessions.state(c.id).state).toBe('active')
      await cli.core.close()

      // The app's own refresh comes due: its token is spent, the keychain has a newer one.
      clock.advance(4.5 * MINUTE)
      await app.core.sessions.tick()
      expect(app.core.sessions.state(c.id).state).toBe('active')
      const token = await app.core.sessions.getAccessToken(c.id)
      expect(sim.state.liveTokens('admin').some((r) => r.token === token)).toBe(true)
      const stored = (await app.core.secrets.getCredential(c.id))?.value
      expect(
        sim.state.liveTokens('admin').some((r) => r.kind === 'refresh' && r.token === stored),
      ).toBe(true)
      expect(sim.state.loginAttempts('admin')).toBe(logins) // no password was needed
    })

    it('a credential the server really rejected still signs out, and is deleted', async () => {
      const c = app.core.registry.list()[0]!
      sim.state.revokeTokens(sim.state.user('admin')!)
      clock.advance(5 * MINUTE)
      await app.core.sessions.tick()
      expect(app.core.sessions.state(c.id)).toMatchObject({
        state: 'signed-out',
        reason: { code: 'REFRESH_EXPIRED' },
      })
      expect(await app.core.secrets.getCredential(c.id)).toBeUndefined()
    })
  },
)
