/**
 * The CA file picker through the real shell: the page asks main (files:pickCaFile), main opens
 * Electron's native open dialog modal to the main window, and only the chosen path comes back.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { keychainMissingReason } from '../../core/harness'
import { startApp, type AppUnderTest } from './appUnderTest'

const missing = keychainMissingReason()

describe.skipIf(missing)(
  `the shell: CA file picker${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    let app: AppUnderTest | undefined
    afterEach(async () => {
      await app?.cleanUp()
      app = undefined
    })

    it('opens a file picker modal to the main window and returns the chosen path', async () => {
      app = await startApp()
      const { dialog } = app.electron
      const answer = app.invoke('files:pickCaFile', undefined)
      await app.electron.until(() => dialog.calls.length === 1)
      const call = dialog.calls[0]!
      expect(call.window).toBe(app.window())
      expect(call.options.properties).toContain('openFile')
      expect(call.options.properties).not.toContain('multiSelections')
      expect(call.options.filters?.[0]?.extensions).toContain('pem')
      dialog.choose('/srv/pki/cluster-ca.pem')
      expect(await answer).toEqual({ ok: true, value: { path: '/srv/pki/cluster-ca.pem' } })
    })

    it('a cancelled picker returns no path (the typed field stays as it was)', async () => {
      app = await startApp()
      const { dialog } = app.electron
      const answer = app.invoke('files:pickCaFile', undefined)
      await app.electron.until(() => dialog.calls.length === 1)
      dialog.cancel()
      expect(await answer).toEqual({ ok: true, value: {} })
    })
  },
)
