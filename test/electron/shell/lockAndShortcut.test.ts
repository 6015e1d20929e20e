/**
 * The Electron wiring of "Copy as" from the tray, pause on lock and the global shortcut: the real
 * src/main/index.ts and src/main/electron/* over the Electron double, the real core signed in to
 * a WEKA simulator. The double's powerMonitor and globalShortcut are driven like the OS would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { keychainMissingReason } from '../../core/harness'
import { uniqueName } from '../../cli/cliHarness'
import type { TokendeckEvent } from '../../../src/shared/contract'
import { DEFAULT_GLOBAL_SHORTCUT } from '../../../src/shared/model'
import type { TokendeckError } from '../../../src/shared/errors'
import { currentOwner } from '../../../src/main/core/agent/sessionOwner'
import { startApp, type AppUnderTest } from './appUnderTest'

const missing = keychainMissingReason()

describe.skipIf(missing)(
  `the shell: copy as, pause on lock, global shortcut${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    let sim: WekaSim
    let app: AppUnderTest
    let id: string

    const eventAfter = (from: number, match: (e: TokendeckEvent) => boolean) =>
      app.electron.until(() => app.events().slice(from).find(match))
    const accessTokens = () =>
      sim.state
        .liveTokens('admin')
        .filter((r) => r.kind === 'access')
        .map((r) => r.token)

    beforeAll(async () => {
      sim = await startWekaSim()
      app = await startApp()
      id = await app.addSignedInWeka(sim, uniqueName('weka-lock'))
    })
    afterAll(async () => {
      await app?.cleanUp()
      await sim?.close()
    })

    it('the tray’s "Copy as" puts a curl command for the cluster on the clipboard', async () => {
      const from = app.events().length
      app.electron.trays[0]!.clickMenuItem(`cluster:${id}:copy-as:curl`)
      const text = await app.electron.until(
        () => app.electron.clipboard.text.startsWith('curl ') && app.electron.clipboard.text,
      )
      expect(text).toContain(`${sim.url}/api/v2/users/whoami`)
      expect(text).toMatch(/--cacert \S+\.pem/)
      expect(accessTokens().some((t) => text.includes(`Bearer ${t}`))).toBe(true)
      const copied = await eventAfter(from, (e) => e.event === 'clipboard:copied')
      expect(copied.event === 'clipboard:copied' && copied.payload.what).toMatch(
        /^curl command of /,
      )
    })

    it('once the cluster has a tag, the tray lists it under that tag and copies its token from there', async () => {
      const tagged = await app.invoke('clusters:tag', { clusterId: id, add: ['site-b'] })
      expect(tagged.ok).toBe(true)
      const tray = app.electron.trays[0]!
      const group = await app.electron.until(() =>
        tray.menu?.template.find((i) => i.label === 'site-b (1)'),
      )
      const members = (group.submenu as Electron.MenuItemConstructorOptions[]).map((i) => i.id)
      expect(members).toEqual([`cluster:${id}`])
      app.electron.clipboard.text = ''
      tray.clickMenuItem(`cluster:${id}:copy`)
      const text = await app.electron.until(() => app.electron.clipboard.text || undefined)
      expect(accessTokens()).toContain(text)
      await app.invoke('clusters:tag', { clusterId: id, remove: ['site-b'] })
      await app.electron.until(() =>
        tray.menu?.template.every((i) => i.label !== 'site-b (1)') ? true : undefined,
      )
    })

    it('locking the screen clears what Tokendeck copied and tells the window', async () => {
      app.electron.trays[0]!.clickMenuItem(`cluster:${id}:copy-as:header`)
      await app.electron.until(() => app.electron.clipboard.text.startsWith('Authorization: '))
      const from = app.events().length
      app.electron.powerMonitor.report('lock-screen')
      await eventAfter(from, (e) => e.event === 'ui:screenLocked')
      await app.electron.until(() => app.electron.clipboard.text === '')
      app.electron.powerMonitor.report('unlock-screen')
    })

    it('with pauseAgentWhenLocked on, the owner refuses a terminal’s token while locked', async () => {
      const set = await app.invoke('settings:update', { pauseAgentWhenLocked: true })
      expect(set.ok).toBe(true)
      // A terminal, as the agent socket serves it (the client side the CLI uses).
      const askToken = async () => {
        const owner = await currentOwner(app.home)
        if (!owner) throw new Error('the app does not serve its agent socket')
        try {
          return await owner.client.accessToken(id).then(
            () => ({ ok: true as const }),
            (e: unknown) => ({ ok: false as const, error: (e as TokendeckError).toInfo() }),
          )
        } finally {
          owner.client.close()
        }
      }
      app.electron.powerMonitor.report('suspend')
      const refused = await askToken()
      expect(refused).toMatchObject({ ok: false, error: { code: 'SCREEN_LOCKED' } })
      app.electron.powerMonitor.report('resume')
      const served = await askToken()
      expect(served.ok).toBe(true)
    })

    it('the global shortcut is off by default, registers when set, opens the palette, and is swapped and removed', async () => {
      expect(app.electron.globalShortcut.registered.size).toBe(0)
      const set = await app.invoke('settings:update', { globalShortcut: DEFAULT_GLOBAL_SHORTCUT })
      expect(set.ok).toBe(true)
      await app.electron.until(() =>
        app.electron.globalShortcut.isRegistered(DEFAULT_GLOBAL_SHORTCUT),
      )

      app.window().hide()
      const from = app.events().length
      app.electron.globalShortcut.press(DEFAULT_GLOBAL_SHORTCUT)
      await eventAfter(from, (e) => e.event === 'ui:openPalette')
      expect(app.window().isVisible()).toBe(true)

      await app.invoke('settings:update', { globalShortcut: 'Alt+Shift+T' })
      await app.electron.until(() => app.electron.globalShortcut.isRegistered('Alt+Shift+T'))
      expect(app.electron.globalShortcut.isRegistered(DEFAULT_GLOBAL_SHORTCUT)).toBe(false)

      await app.invoke('settings:update', { globalShortcut: null })
      await app.electron.until(() => app.electron.globalShortcut.registered.size === 0)
    })

    it('a shortcut another application holds is reported in the log, not thrown', async () => {
      app.electron.globalShortcut.takenElsewhere.add('Control+Alt+J')
      await app.invoke('settings:update', { globalShortcut: 'Control+Alt+J' })
      await app.electron.until(() => app.logs.some((l) => l.includes('Control+Alt+J could not')))
      expect(app.electron.globalShortcut.registered.size).toBe(0)
    })
  },
)
