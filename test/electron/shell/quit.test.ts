/**
 * Quitting and the single-instance lock, through the real src/main/index.ts over the Electron
 * double: quit closes the core (which writes the sessions away and gives the agent socket back)
 * and clears a token Tokendeck copied, before the process exits and within the close timeout.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { keychainMissingReason } from '../../core/harness'
import { uniqueName } from '../../cli/cliHarness'
import { startApp, type AppUnderTest } from './appUnderTest'

const missing = keychainMissingReason()
/** CLOSE_TIMEOUT_MS in src/main/index.ts. */
const CLOSE_TIMEOUT_MS = 5_000

describe.skipIf(missing)(`the shell: quitting${missing ? ` — SKIPPED: ${missing}` : ''}`, () => {
  let sim: WekaSim
  let app: AppUnderTest | undefined

  beforeAll(async () => {
    sim = await startWekaSim()
  })
  afterEach(async () => {
    await app?.cleanUp()
    app = undefined
  })
  afterAll(async () => {
    await sim?.close()
  })

  /** A running app signed in to the simulator, with its access token copied from the tray. */
  async function appWithCopiedToken(): Promise<{ app: AppUnderTest; token: string }> {
    const started = await startApp()
    app = started
    const id = await started.addSignedInWeka(sim, uniqueName('weka-quit'))
    started.electron.trays[0]!.clickMenuItem(`cluster:${id}:copy`)
    const token = await started.electron.until(() => started.electron.clipboard.text || undefined)
    return { app: started, token }
  }

  it('clears the copied token and closes the core before exiting, within the close timeout', async () => {
    const { app, token } = await appWithCopiedToken()
    expect(app.agentSockets()).toHaveLength(1)
    const started = Date.now()
    app.electron.trays[0]!.clickMenuItem('app:quit')
    await app.electron.app.exited
    expect(Date.now() - started).toBeLessThan(CLOSE_TIMEOUT_MS)

    // Compared, never printed: a secret must not reach the test output.
    expect(app.electron.clipboard.text === token, 'the token is still on the clipboard').toBe(false)
    expect(app.electron.clipboard.text === '', 'the clipboard is not empty').toBe(true)
    // Cleared before the process would exit, and the core gave its agent socket back.
    const timeline = app.electron.timeline
    expect(timeline.indexOf('clipboard:clear')).toBeGreaterThan(-1)
    expect(timeline.indexOf('clipboard:clear')).toBeLessThan(timeline.indexOf('app:quit'))
    expect(app.agentSockets()).toEqual([])
    expect(app.electron.trays[0]!.isDestroyed()).toBe(true)
  })

  it('leaves alone what the user copied after the token', async () => {
    const { app } = await appWithCopiedToken()
    app.electron.clipboard.userCopies('meeting notes')
    app.electron.app.quit()
    await app.electron.app.exited
    expect(app.electron.clipboard.text).toBe('meeting notes')
  })

  it('still exits when the clipboard hangs, once the close timeout is over', async () => {
    const { app } = await appWithCopiedToken()
    app.electron.clipboard.stall()
    const started = Date.now()
    app.electron.app.quit()
    await app.electron.app.exited
    const took = Date.now() - started
    // setTimeout may fire a millisecond early; the core itself closed (the socket is gone).
    expect(took).toBeGreaterThanOrEqual(CLOSE_TIMEOUT_MS - 50)
    expect(took).toBeLessThan(CLOSE_TIMEOUT_MS + 2_000)
    expect(app.agentSockets()).toEqual([])
  })

  it('a second launch hands over to the first and exits: no window, no core, no socket', async () => {
    app = await startApp({ singleInstanceLock: false })
    await app.electron.app.exited
    expect(app.electron.windows).toEqual([])
    expect(app.electron.ipcMain.handlers.size).toBe(0)
    expect(app.agentSockets()).toEqual([])
    expect(existsSync(join(app.home, 'profile.json'))).toBe(false)
  })
})
