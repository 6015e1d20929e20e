/**
 * A desktop without a system tray (GNOME without the AppIndicator extension): `new Tray()`
 * throws, and the app must still run from its window — every action reachable there, and
 * closing the window must not leave an invisible app that nothing can bring back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { keychainMissingReason } from '../../core/harness'
import { uniqueName } from '../../cli/cliHarness'
import { startApp, type AppUnderTest } from './appUnderTest'

const missing = keychainMissingReason()

describe.skipIf(missing)(
  `the shell without a system tray${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    let sim: WekaSim
    let app: AppUnderTest
    let id: string

    beforeAll(async () => {
      sim = await startWekaSim()
      app = await startApp({ trayAvailable: false })
      id = await app.addSignedInWeka(sim, uniqueName('weka-notray'))
    })
    afterAll(async () => {
      await app?.cleanUp()
      await sim?.close()
    })

    it('says it runs from its window, and shows it', () => {
      expect(app.electron.trays).toEqual([])
      expect(app.logs.some((l) => /No system tray here .*runs from its window/.test(l))).toBe(true)
      expect(app.window().isVisible()).toBe(true)
    })

    it('copies a token from the window', async () => {
      const result = await app.invoke('session:copyAccessToken', { clusterId: id })
      expect(result).toMatchObject({ ok: true, value: { copied: true } })
      const text = await app.electron.until(() => app.electron.clipboard.text || undefined)
      const live = sim.state.liveTokens('admin').filter((r) => r.kind === 'access')
      expect(live.some((r) => r.token === text)).toBe(true)
    })

    it('brings the window back when Tokendeck is launched again', () => {
      const win = app.window()
      win.minimize()
      app.electron.app.launchSecondInstance()
      expect(win.isVisible()).toBe(true)
      expect(win.isFocused()).toBe(true)
    })

    it('closes for real when its window is closed, clearing the copied token', async () => {
      const win = app.window()
      win.close()
      // Hidden would mean unreachable: with no tray icon, closing really closes.
      expect(win.isDestroyed()).toBe(true)
      if (process.platform === 'darwin') return // the dock keeps a macOS app; 'activate' reopens it
      await app.electron.app.exited
      expect(app.electron.clipboard.text === '', 'the clipboard is not empty').toBe(true)
      expect(app.agentSockets()).toEqual([])
    })
  },
)
