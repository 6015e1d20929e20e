/**
 * The app as a user meets it through its tray, window and notifications: the real
 * src/main/index.ts and src/main/electron/* over the Electron double, with the real core signed
 * in to a WEKA simulator.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { keychainMissingReason } from '../../core/harness'
import { uniqueName } from '../../cli/cliHarness'
import { APP_ORIGIN } from '../../../src/main/electron/appUrl'
import type { TokendeckEvent } from '../../../src/shared/contract'
import type { TrayDouble } from '../../support/electronDouble'
import { startApp, type AppUnderTest } from './appUnderTest'

const missing = keychainMissingReason()

describe.skipIf(missing)(
  `the shell: tray, window, notifications${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    let sim: WekaSim
    let app: AppUnderTest
    let tray: TrayDouble
    let id: string
    let name: string

    /** Resolves with the first event after `from` (an index into app.events()) that matches. */
    const eventAfter = (from: number, match: (e: TokendeckEvent) => boolean) =>
      app.electron.until(() => app.events().slice(from).find(match))
    const sessionBecomes = (from: number, state: string) =>
      eventAfter(
        from,
        (e) =>
          e.event === 'session:changed' &&
          e.payload.clusterId === id &&
          e.payload.session.state === state,
      )
    const refreshRequests = () =>
      sim.requests.filter((r) => r.method === 'POST' && /\/login\/refresh$/.test(r.path)).length

    beforeAll(async () => {
      sim = await startWekaSim()
      app = await startApp()
      tray = app.electron.trays[0]!
      name = uniqueName('weka-tray')
      id = await app.addSignedInWeka(sim, name)
    })
    afterAll(async () => {
      await app?.cleanUp()
      await sim?.close()
    })

    it('starts with its secure window on the app page, owning the sessions, with a tray', async () => {
      const win = app.window()
      await app.electron.until(() => !win.webContents.isLoading() && win.isVisible())
      expect(win.webContents.getURL()).toBe(`${APP_ORIGIN}/index.html`)
      expect(win.options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
      })
      // The app scheme was made privileged before 'ready' (Electron refuses it after).
      expect(app.electron.protocol.privileged.map((s) => s.scheme)).toEqual(['app'])
      // The CLI finds the app through its agent socket.
      expect(app.agentSockets()).toHaveLength(1)
      // With TOKENDECK_HOME, Electron's own data (and its single-instance lock) lives there too.
      expect(app.electron.app.paths.get('userData')).toBe(join(app.home, 'electron'))
      expect(tray.image).toMatch(/tray-ok\.png$/)
    })

    it('lists the signed-in cluster in the tray menu, with the app commands', () => {
      const labels = tray.menu!.labels()
      expect(labels).toContain(`${name} — signed in`)
      expect(labels).toEqual(
        expect.arrayContaining([
          'Copy access token',
          'Refresh now',
          'Open',
          'Open Tokendeck',
          'Quit',
        ]),
      )
      expect(tray.tooltip).toBe('Tokendeck — 1 cluster, all fine')
    })

    it('copies a live access token to the clipboard from the tray, marked as sensitive', async () => {
      const from = app.events().length
      tray.clickMenuItem(`cluster:${id}:copy`)
      const text = await app.electron.until(() => app.electron.clipboard.text || undefined)
      // Compared, never printed: a secret must not reach the test output.
      const live = sim.state.liveTokens('admin').filter((r) => r.kind === 'access')
      expect(live.some((r) => r.token === text)).toBe(true)
      if (process.platform === 'linux')
        expect(app.electron.clipboard.formats).toContain(
          'electron application/osclipboard;format="x-kde-passwordManagerHint"',
        )
      const copied = await eventAfter(from, (e) => e.event === 'clipboard:copied')
      expect(copied.payload).toMatchObject({ what: `access token of ${name}` })
    })

    it('refreshes the session from the tray: one refresh reaches the cluster', async () => {
      const before = refreshRequests()
      const from = app.events().length
      tray.clickMenuItem(`cluster:${id}:refresh`)
      await sessionBecomes(from, 'refreshing')
      await sessionBecomes(from, 'active')
      expect(refreshRequests() - before).toBe(1)
    })

    it('hides the window on close; the tray opens it on a cluster, or as it was', async () => {
      const win = app.window()
      win.close()
      expect(win.isDestroyed()).toBe(false)
      expect(win.isVisible()).toBe(false)
      expect(app.electron.app.hasQuit).toBe(false)

      const from = app.events().length
      tray.clickMenuItem(`cluster:${id}:open`)
      expect(app.window()).toBe(win)
      expect(win.isVisible()).toBe(true)
      expect(win.isFocused()).toBe(true)
      expect(app.events().slice(from)).toContainEqual({
        event: 'ui:openCluster',
        payload: { clusterId: id },
      })

      win.close()
      tray.clickMenuItem('app:open')
      expect(app.electron.windows).toEqual([win])
      expect(win.isVisible()).toBe(true)
    })

    it('shows and focuses the existing window when Tokendeck is launched again', () => {
      const win = app.window()
      win.minimize()
      win.close() // hidden, not closed: the tray is there
      expect(win.isVisible()).toBe(false)
      app.electron.app.launchSecondInstance()
      expect(app.electron.windows).toHaveLength(1)
      expect(win.isVisible()).toBe(true)
      expect(win.isFocused()).toBe(true)
    })

    it('tells a failed background refresh in a notification whose click opens the cluster', async () => {
      sim.faults.enable('serverError', { match: /\/login\/refresh$/, times: 1 })
      let from = app.events().length
      tray.clickMenuItem(`cluster:${id}:refresh`)
      await sessionBecomes(from, 'failed')
      const notice = await app.electron.until(() =>
        app.electron.notifications.find((n) => n.title === `Couldn't refresh ${name}`),
      )
      expect(notice.shown).toBe(true)
      expect(tray.image).toMatch(/tray-error\.png$/)

      app.window().close() // out of sight; the click must bring it back on that cluster
      from = app.events().length
      notice.click()
      expect(app.window().isVisible()).toBe(true)
      expect(app.events().slice(from)).toContainEqual({
        event: 'ui:openCluster',
        payload: { clusterId: id },
      })

      // Once the cluster recovers, the notice is taken down and the tray is fine again.
      from = app.events().length
      tray.clickMenuItem(`cluster:${id}:refresh`)
      await sessionBecomes(from, 'active')
      await app.electron.until(() => notice.closed)
      expect(tray.image).toMatch(/tray-ok\.png$/)
    })

    it('quits from the tray', async () => {
      tray.clickMenuItem('app:quit')
      await app.electron.app.exited
      expect(app.electron.timeline).toContain('app:before-quit')
      expect(tray.isDestroyed()).toBe(true)
      expect(app.agentSockets()).toEqual([])
    })
  },
)
