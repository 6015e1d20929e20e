/**
 * An install from before profiles: clusters.json with readable ids and keychain entries named
 * `<cluster id>:refresh-token`. Upgrading keeps the user signed in — in the data directory that
 * wrote them — and a directory that cannot prove the entries are its own leaves them alone and
 * sends them nowhere.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import keytar from 'keytar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../../sim/common/clock'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { keychainMissingReason, startCoreHarness } from '../harness'

const missing = keychainMissingReason()

describe.skipIf(missing)(
  `upgrading a pre-profile install${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    const clock = new FakeClock(Date.now())
    let sim: WekaSim

    beforeAll(async () => {
      sim = await startWekaSim({ clock })
    })
    afterAll(async () => {
      await sim?.close()
    })

    /** A data directory and keychain as the previous version left them, signed in to prod-weka. */
    async function legacyInstall(): Promise<{ dataDir: string; service: string; token: string }> {
      // A real refresh token for admin, from a sign-in the old version would have stored.
      const signer = await startCoreHarness(clock)
      const c = await signer.core.registry.add({
        vendor: 'weka',
        name: 'signer',
        url: sim.url,
        username: 'admin',
        trust: { sha256: sim.fingerprint },
      })
      await signer.core.sessions.signIn(c.id, 'WekaSim-Admin-7341')
      const token = (await signer.core.secrets.getCredential(c.id))!.value
      // Forget it locally only (no sign-out): the token stays live on the server.
      await signer.core.secrets.deleteCredential(c.id)
      await signer.close()

      const dataDir = mkdtempSync(join(tmpdir(), 'tokendeck-legacy-'))
      writeFileSync(
        join(dataDir, 'clusters.json'),
        JSON.stringify({
          version: 1,
          clusters: [
            {
              id: 'prod-weka',
              vendor: 'weka',
              name: 'Prod WEKA',
              url: sim.url,
              username: 'admin',
              trust: { sha256: sim.fingerprint },
            },
          ],
        }),
      )
      const service = `Tokendeck Test ${randomUUID()}`
      await keytar.setPassword(service, 'prod-weka:refresh-token', token)
      return { dataDir, service, token }
    }

    it('the data directory that wrote them keeps its session, without a password', async () => {
      const { dataDir, service } = await legacyInstall()
      const logins = sim.state.loginAttempts('admin')
      const h = await startCoreHarness(clock, {
        dataDir,
        keychainService: service,
        claimLegacyCredentials: true,
      })
      try {
        await h.core.sessions.load('prod-weka')
        await h.core.sessions.idle()
        expect(h.core.sessions.state('prod-weka').state).toBe('active')
        expect(sim.state.loginAttempts('admin')).toBe(logins)
        // Moved, not copied: the old unbound entry is gone, the new one is bound to the cluster.
        expect(await keytar.getPassword(service, 'prod-weka:refresh-token')).toBeNull()
        expect(await h.core.secrets.getCredential('prod-weka')).toMatchObject({
          kind: 'refresh-token',
          binding: { vendor: 'weka', username: 'admin' },
        })
      } finally {
        await h.close()
      }
    })

    it('another data directory (TOKENDECK_HOME) does not claim them: signed out, nothing sent', async () => {
      const { dataDir, service, token } = await legacyInstall()
      const refreshes = sim.requests.filter((r) => r.path.endsWith('/login/refresh')).length
      const h = await startCoreHarness(clock, { dataDir, keychainService: service })
      try {
        await h.core.sessions.load('prod-weka')
        await h.core.sessions.idle()
        expect(h.core.sessions.state('prod-weka').state).toBe('signed-out')
        expect(sim.requests.filter((r) => r.path.endsWith('/login/refresh')).length).toBe(refreshes)
        expect(await keytar.getPassword(service, 'prod-weka:refresh-token')).toBe(token) // untouched
      } finally {
        await h.close()
        await keytar.deletePassword(service, 'prod-weka:refresh-token')
      }
    })
  },
)
