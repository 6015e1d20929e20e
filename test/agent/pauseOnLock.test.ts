/**
 * Pause on lock, as a user meets it: the app's core owns the sessions (an owner in this process,
 * fed lock events the way electron/powerEvents.ts forwards powerMonitor's), terminals are the
 * real CLI as child processes. Locking clears what Tokendeck put on the clipboard and tells the
 * window; with `pauseAgentWhenLocked` on, `tokendeck token` and `exec` are refused with
 * SCREEN_LOCKED until the screen is unlocked and the machine awake.
 */
import { EventEmitter } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { ownSessions, type OwnedSessions } from '../../src/main/core/agent/sessionOwner'
import { MemoryClipboard } from '../../src/main/core/clipboard/clipboardService'
import type { LockEvent, LockEventSource } from '../../src/main/core/lock/screenLock'
import { startCore } from '../../src/main/core/startCore'
import type { TokendeckEvent } from '../../src/shared/contract'
import { addWekaArgs, CliHarness, uniqueName } from '../cli/cliHarness'
import { keychainMissingReason } from '../core/harness'

const missing = keychainMissingReason()
const PASSWORD = 'WekaSim-Admin-7341'
/** Not a speed budget: only turns a hang into a failure. */
const HANG_GUARD_MS = 10 * 60_000

/** What powerMonitor would report, driven by the test. */
class LockEvents extends EventEmitter implements LockEventSource {
  subscribe(listener: (event: LockEvent) => void): () => void {
    this.on('event', listener)
    return () => this.off('event', listener)
  }
  report(event: LockEvent): void {
    this.emit('event', event)
  }
}

describe.skipIf(missing)(`pause on lock${missing ? ` — SKIPPED: ${missing}` : ''}`, () => {
  let sim: WekaSim
  let cli: CliHarness
  let owned: OwnedSessions
  let id: string
  const lock = new LockEvents()
  const clipboard = new MemoryClipboard()
  const events: TokendeckEvent[] = []

  const setPause = async (on: boolean) => {
    const r = await owned.core.dispatcher.invoke('settings:update', { pauseAgentWhenLocked: on })
    expect(r.ok).toBe(true)
  }
  const tokenCall = () => cli.run(['token', id, '--json'])

  beforeAll(async () => {
    sim = await startWekaSim()
    cli = new CliHarness()
    const add = await cli.run(addWekaArgs(sim, uniqueName('locked')))
    expect(add.code, add.stderr).toBe(0)
    id = (JSON.parse(add.stdout) as { id: string }).id
    cli.track(id)
    const login = await cli.run(['login', id, '--password-stdin'], `${PASSWORD}\n`)
    expect(login.code, login.stderr).toBe(0)
    owned = await ownSessions({
      role: 'app',
      dataDir: cli.home,
      version: '0.0.0-test',
      startCore: () =>
        startCore({
          profile: 'default',
          appVersion: '0.0.0-test',
          dataDir: cli.home,
          clipboard,
          lockEvents: lock,
          onEvent: (e) => events.push(e),
        }),
    })
  }, HANG_GUARD_MS)
  afterAll(async () => {
    await owned?.close()
    await cli?.close()
    await sim?.close()
  })

  it(
    'locking clears a token Tokendeck copied and tells the window; the agent still serves by default',
    async () => {
      const copied = await owned.core.dispatcher.invoke('session:copyAs', {
        clusterId: id,
        format: 'export',
      })
      expect(copied.ok).toBe(true)
      expect(clipboard.readText()).toMatch(/^export TOKENDECK_ACCESS_TOKEN=/)
      const before = events.length

      lock.report('lock-screen')
      expect(clipboard.readText()).toBe('')
      expect(events.slice(before).map((e) => e.event)).toContain('ui:screenLocked')

      // pauseAgentWhenLocked is off by default: a job in a terminal keeps working.
      const r = await tokenCall()
      expect(r.code, r.stderr).toBe(0)
      lock.report('unlock-screen')
    },
    HANG_GUARD_MS,
  )

  it('the machine going to sleep clears it too, and tells the window', async () => {
    const copied = await owned.core.dispatcher.invoke('session:copyAs', {
      clusterId: id,
      format: 'header',
    })
    expect(copied.ok).toBe(true)
    expect(clipboard.readText()).toMatch(/^Authorization: /)
    const before = events.length
    lock.report('suspend')
    expect(clipboard.readText()).toBe('')
    expect(events.slice(before).map((e) => e.event)).toContain('ui:screenLocked')
    lock.report('resume')
  })

  it('never clears what the user copied themselves', async () => {
    await owned.core.dispatcher.invoke('session:copyAccessToken', { clusterId: id })
    clipboard.writeText('the user’s own text', { sensitive: false })
    lock.report('suspend')
    expect(clipboard.readText()).toBe('the user’s own text')
    lock.report('resume')
  })

  it(
    'with the setting on, terminals are refused while locked (SCREEN_LOCKED, exit 3) and served again once unlocked',
    async () => {
      await setPause(true)
      lock.report('lock-screen')
      const refused = await tokenCall()
      expect(refused.code).toBe(3)
      expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'SCREEN_LOCKED' } })
      expect(refused.stderr).toMatch(/the screen is locked; unlock to use Tokendeck/i)
      expect(refused.stdout).not.toMatch(/"token"/)

      // exec gives the command nothing either.
      const exec = await cli.run(['exec', id, '--', process.execPath, '-e', 'process.exit(0)'])
      expect(exec.code).toBe(3)
      expect(exec.stderr).toMatch(/screen is locked/)

      // Asleep while locked: waking is not unlocking.
      lock.report('suspend')
      lock.report('resume')
      expect((await tokenCall()).code).toBe(3)

      lock.report('unlock-screen')
      const served = await tokenCall()
      expect(served.code, served.stderr).toBe(0)
      expect(sim.state.issuedSecrets()).toContain(
        (JSON.parse(served.stdout) as { token: string }).token,
      )
    },
    HANG_GUARD_MS,
  )

  it(
    'sleep alone pauses too, until resume; turning the setting off serves at once',
    async () => {
      lock.report('suspend')
      expect((await tokenCall()).code).toBe(3)
      await setPause(false)
      const served = await tokenCall()
      expect(served.code, served.stderr).toBe(0)
      await setPause(true)
      lock.report('resume')
      expect((await tokenCall()).code).toBe(0)
      expect(cli.leaked([PASSWORD])).toEqual([])
    },
    HANG_GUARD_MS,
  )
})
