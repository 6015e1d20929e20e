/**
 * `tokendeck agent` as an admin uses it over SSH: started headless (here with --session-only),
 * it serves the other terminals' commands; with --session-only nothing reaches the keychain and
 * everything is gone when it stops. Session-only is never switched on behind the user's back: the
 * app's channel refuses it while the keychain works.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { FakeClock } from '../sim/common/clock'
import { KeytarSecretStore } from '../../src/main/core/secrets'
import { ownSessions } from '../../src/main/core/agent/sessionOwner'
import { startCore } from '../../src/main/core/startCore'
import { CLI_ARGV, CliHarness, profileIdOf, REPO_ROOT, wekaFlags } from '../cli/cliHarness'
import { keychainMissingReason, startCoreHarness } from '../core/harness'

const missing = keychainMissingReason()
const PASSWORD = 'WekaSim-Admin-7341'
/** Only turns a hang into a failure; not a speed budget. */
const HANG_GUARD_MS = 5 * 60_000

/** Starts `tokendeck agent …` and resolves once it says it owns the sessions. */
function startAgent(
  home: string,
  args: string[],
): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [...CLI_ARGV, 'agent', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, TOKENDECK_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d
      if (/owns the sessions of/.test(err)) resolve({ child, stderr: () => err })
    })
    child.once('exit', (code) =>
      reject(new Error(`agent exited ${code} before it was ready: ${err}`)),
    )
  })
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    else child.once('exit', (code) => resolve(code))
  })
}

describe.skipIf(missing)(`tokendeck agent${missing ? ` — SKIPPED: ${missing}` : ''}`, () => {
  let sim: WekaSim
  const cli = new CliHarness()

  beforeAll(async () => {
    sim = await startWekaSim()
  })
  afterAll(async () => {
    await cli.close()
    await sim?.close()
  })

  it(
    '--session-only serves the terminals, writes nothing to the keychain, and forgets on stop',
    async () => {
      const id = await cli.add(wekaFlags(sim, 'ssh'))
      const agent = await startAgent(cli.home, ['--session-only'])
      expect(agent.stderr()).toMatch(/kept in memory only/)

      const who = await cli.run(['agent', 'status', '--json'])
      expect(JSON.parse(who.stdout)).toMatchObject({
        owner: { role: 'agent', pid: agent.child.pid },
      })

      const login = await cli.run(['login', id, '--password-stdin'], `${PASSWORD}\n`)
      expect(login.code, login.stderr).toBe(0)
      const refreshesBefore = sim.requests.filter((r) => r.path.endsWith('/login/refresh')).length
      const tokens = await Promise.all([1, 2, 3].map(() => cli.run(['token', id])))
      for (const t of tokens) expect(t.code, t.stderr).toBe(0)
      expect(new Set(tokens.map((t) => t.stdout)).size).toBe(1) // one session, one token
      expect(sim.requests.filter((r) => r.path.endsWith('/login/refresh')).length).toBe(
        refreshesBefore,
      )

      // Nothing of it is in the keychain.
      const store = new KeytarSecretStore({
        service: 'Tokendeck',
        namespace: profileIdOf(cli.home)!,
      })
      expect(await store.getCredential(id)).toBeUndefined()

      const stop = await cli.run(['agent', 'stop'])
      expect(stop.code, stop.stderr).toBe(0)
      expect(await exited(agent.child)).toBe(0)
      expect(agent.stderr()).toMatch(/stopped \(handed over\)/)

      // The in-memory session went with it.
      const after = await cli.run(['token', id])
      expect(after.code).toBe(3)
      expect(cli.leaked([PASSWORD])).toEqual([])
    },
    HANG_GUARD_MS,
  )

  it('the app starting while an agent runs: the agent hands over and the app owns', async () => {
    const agent = await startAgent(cli.home, [])
    const waited: string[] = []
    const owned = await ownSessions({
      role: 'app',
      dataDir: cli.home,
      version: '0.0.0-test',
      onWait: (o) => waited.push(o.role),
      startCore: () =>
        startCore({
          profile: 'default',
          appVersion: '0.0.0-test',
          dataDir: cli.home,
          ticker: null,
        }),
    })
    try {
      expect(waited).toEqual(['agent'])
      expect(await exited(agent.child)).toBe(0)
      expect(agent.stderr()).toMatch(/stopped \(handed over\)/)
      const who = await cli.run(['agent', 'status', '--json'])
      expect(JSON.parse(who.stdout)).toMatchObject({ owner: { role: 'app', pid: process.pid } })
    } finally {
      await owned.close()
    }
  })

  it(
    'a second agent for the same profile is refused as busy (exit 6, BUSY) and names the first',
    async () => {
      const agent = await startAgent(cli.home, [])
      const second = await cli.run(['agent'])
      expect(second.code).toBe(6)
      const json = await cli.run(['agent', '--json'])
      expect(json.code).toBe(6)
      expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'BUSY' } })
      expect(second.stderr).toContain(`tokendeck agent (process ${agent.child.pid}) already owns`)
      agent.child.kill('SIGTERM')
      expect(await exited(agent.child)).toBe(0)
      const nobody = await cli.run(['agent', 'status', '--json'])
      expect(JSON.parse(nobody.stdout)).toEqual({ owner: null })
    },
    HANG_GUARD_MS,
  )
})

describe.skipIf(missing)(
  `session-only is the user's choice${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    it('the app cannot switch to "This session only" while the keychain works', async () => {
      const h = await startCoreHarness(new FakeClock(Date.now()), { keychain: 'os' })
      try {
        const r = await h.core.dispatcher.invoke('app:useSessionOnlySecrets', undefined)
        expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
        expect(h.core.secrets.mode).toBe('keychain')
      } finally {
        await h.close()
      }
    })

    it('it can when the keychain cannot be used, and says so', async () => {
      const broken = new KeytarSecretStore({
        service: 'Tokendeck Test broken',
        namespace: 'broken',
        keytar: {
          getPassword: () =>
            Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
          setPassword: () =>
            Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
          deletePassword: () =>
            Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
        },
      })
      const h = await startCoreHarness(new FakeClock(Date.now()), { secretStore: broken })
      try {
        expect(h.core.startupProblems.map((p) => p.code)).toContain('KEYCHAIN_UNAVAILABLE')
        const r = await h.core.dispatcher.invoke('app:useSessionOnlySecrets', undefined)
        expect(r).toMatchObject({ ok: true, value: { secretStorage: 'session-only' } })
        expect(h.core.startupProblems.map((p) => p.code)).not.toContain('KEYCHAIN_UNAVAILABLE')
      } finally {
        await h.close()
      }
    })
  },
)
