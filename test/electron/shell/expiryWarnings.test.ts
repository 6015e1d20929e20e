/**
 * Expiry warnings as a user meets them in the tray and the notifications (issue 15): the real
 * src/main/index.ts over the Electron double, the real core signed in to a Qumulo simulator.
 * A token inside its warning window counts in the tray's tooltip, turns the icon to warning and
 * gets one notification, which opens its cluster; checking again says nothing new.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startQumuloSim, type QumuloSim } from '../../sim/qumulo'
import { keychainMissingReason } from '../../core/harness'
import { uniqueName } from '../../cli/cliHarness'
import type { ClusterView } from '../../../src/shared/model'
import type { TrayDouble } from '../../support/electronDouble'
import { startApp, type AppUnderTest } from './appUnderTest'

const missing = keychainMissingReason()
const DAY = 86_400

describe.skipIf(missing)(
  `the shell: expiry warnings in the tray and notifications${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    let sim: QumuloSim
    let app: AppUnderTest
    let tray: TrayDouble
    let id: string
    const name = uniqueName('qumulo-expiry')

    const ok = async (channel: Parameters<AppUnderTest['invoke']>[0], input: unknown) => {
      const r = await app.invoke(channel, input as never)
      if (!r.ok) throw new Error(`${channel} failed: ${r.error.message}`)
      return r.value
    }

    beforeAll(async () => {
      sim = await startQumuloSim()
      app = await startApp()
      tray = app.electron.trays[0]!
      const added = (await ok('clusters:add', {
        vendor: 'qumulo',
        name,
        url: sim.url,
        username: 'admin',
        trust: { sha256: sim.fingerprint },
      })) as ClusterView
      id = added.cluster.id
      await ok('session:signIn', { clusterId: id, password: 'Qumulo-Admin-Demo-1' })
    })
    afterAll(async () => {
      await app?.cleanUp()
      await sim?.close()
    })

    it('a token entering its window: one notification, a count in the tooltip, the warning icon', async () => {
      await app.electron.until(() => (tray.tooltip.includes('all fine') ? true : undefined))
      const created = (await ok('tokens:create', {
        clusterId: id,
        owner: 'alice',
        expiresIn: 3 * DAY,
        description: 'backup job',
        confirmed: true,
      })) as { token: { id: string } }
      // Signing in again is one of the moments the app looks at every cluster's tokens.
      await ok('session:signOut', { clusterId: id })
      await ok('session:signIn', { clusterId: id, password: 'Qumulo-Admin-Demo-1' })
      const notice = await app.electron.until(() =>
        app.electron.notifications.find((n) => n.title.includes('a token of alice expires in')),
      )
      expect(notice.title).toBe(`${name}: a token of alice expires in 2 days`)
      expect(notice.body).toContain(`Token ${created.token.id} stops working in 2 days`)
      await app.electron.until(() =>
        tray.tooltip.includes('1 token or session expires soon') ? true : undefined,
      )
      expect(tray.tooltip).toBe('Tokendeck\n1 token or session expires soon')
      expect(tray.image).toMatch(/tray-warning\.png$/)

      // Clicking it opens the cluster in the window.
      const from = app.events().length
      notice.click()
      await app.electron.until(() =>
        app
          .events()
          .slice(from)
          .find((e) => e.event === 'ui:openCluster' && e.payload.clusterId === id),
      )
    })

    it('looking again (another sign-in) announces nothing new', async () => {
      const before = app.electron.notifications.length
      const checks = app.logs.length
      await ok('session:signOut', { clusterId: id })
      // Signed out: nothing of this cluster is counted any more.
      await app.electron.until(() => (tray.tooltip.includes('expires soon') ? undefined : true))
      await ok('session:signIn', { clusterId: id, password: 'Qumulo-Admin-Demo-1' })
      await app.electron.until(() =>
        tray.tooltip.includes('1 token or session expires soon') ? true : undefined,
      )
      expect(
        app.electron.notifications.slice(before).filter((n) => n.title.includes('expires in')),
      ).toEqual([])
      expect(app.logs.slice(checks).filter((l) => /expiry failed/.test(l))).toEqual([])
    })

    it('four tokens crossing together make one summary, which opens the Expiring view', async () => {
      const before = app.electron.notifications.length
      for (const owner of ['alice', 'bob', 'bob', 'admin'])
        await ok('tokens:create', { clusterId: id, owner, expiresIn: 4 * DAY, confirmed: true })
      await ok('session:signOut', { clusterId: id })
      await ok('session:signIn', { clusterId: id, password: 'Qumulo-Admin-Demo-1' })
      const summary = await app.electron.until(() =>
        app.electron.notifications.slice(before).find((n) => /tokens expire soon/.test(n.title)),
      )
      expect(summary.title).toBe('4 tokens expire soon')
      expect(app.electron.notifications.slice(before)).toHaveLength(1)
      await app.electron.until(() =>
        tray.tooltip.includes('5 tokens or sessions expire soon') ? true : undefined,
      )
      const from = app.events().length
      summary.click()
      await app.electron.until(() =>
        app
          .events()
          .slice(from)
          .find((e) => e.event === 'ui:openExpiring'),
      )
    })
  },
)
