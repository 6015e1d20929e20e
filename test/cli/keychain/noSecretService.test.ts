/**
 * An SSH session or a headless box: no D-Bus session bus, so no Secret Service. Each command that
 * needs the keychain must give up promptly (no waiting for a keychain that cannot answer), say
 * the problem once, and offer what the CLI really has (`tokendeck agent --session-only`), not
 * the app's "This session only" button. Run through the real CLI with DBUS_SESSION_BUS_ADDRESS
 * pointing at a socket that does not exist.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_ARGV, REPO_ROOT, wekaFlags } from '../cliHarness'
import { startWekaSim, type WekaSim } from '../../sim/weka'

const home = mkdtempSync(join(tmpdir(), 'tokendeck-nobus-'))
const NOWHERE = `unix:path=${join(home, 'no-such-dir', 'bus')}`
const FINGERPRINT = Array.from({ length: 32 }, () => 'AB').join(':')

writeFileSync(
  join(home, 'clusters.json'),
  JSON.stringify({
    version: 1,
    clusters: [
      {
        id: 'lab-1a2b3c',
        vendor: 'weka',
        name: 'lab',
        url: 'https://127.0.0.1:1',
        username: 'admin',
        trust: { sha256: FINGERPRINT },
      },
    ],
  }),
)

afterAll(() => rmSync(home, { recursive: true, force: true }))

interface Run {
  code: number | null
  stdout: string
  stderr: string
  ms: number
}

/** The CLI's environment without a keychain: the bus address points nowhere. */
function noBusEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TOKENDECK_HOME: home, NO_COLOR: '1' }
  env['DBUS_SESSION_BUS_ADDRESS'] = NOWHERE
  // The CLI's own stderr is what the user reads: no log file to divert warnings into.
  delete env['TOKENDECK_LOG_FILE']
  delete env['TOKENDECK_HYGIENE_DIR']
  return env
}

/**
 * Waits for the command to exit, however long that takes (the time is reported, not judged);
 * `wrapper` runs it under another command (dbus-run-session).
 */
function run(
  args: string[],
  input = '',
  env: NodeJS.ProcessEnv = noBusEnv(),
  wrapper: string[] = [],
): Promise<Run> {
  const argv = [...wrapper, process.execPath, ...CLI_ARGV, ...args]
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: REPO_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const started = Date.now()
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  child.stdin.end(input)
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }))
  })
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1
}

describe('tokendeck without a Secret Service (no session bus)', () => {
  const commands: string[][] = [
    ['status'],
    ['token', 'lab'],
    ['tokens', 'list', 'lab'],
    ['login', 'lab', '--password-stdin'],
  ]
  for (const args of commands) {
    it(`tokendeck ${args.join(' ')}: says it once, with the CLI's own way out, and exits 5`, async () => {
      const r = await run(args, 'not-a-real-password\n')
      console.info(
        `tokendeck ${args.join(' ')} without a session bus: exit ${r.code} in ${r.ms} ms`,
      )
      expect(r.code).toBe(5)
      expect(r.stdout).toBe('')
      expect(occurrences(r.stderr, 'system keychain')).toBe(1)
      expect(r.stderr).toContain('no D-Bus session bus')
      expect(r.stderr).toContain('tokendeck agent --session-only')
      expect(r.stderr).not.toContain('This session only')
      // It gave up at once on a keychain that cannot answer, not after waiting out a timeout.
      expect(r.stderr).not.toMatch(/did not answer within/)
      // One message for people, not a JSON log line besides it.
      expect(r.stderr).not.toContain('"level"')
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    })
  }

  it('a command that needs no secret (clusters list) works and does not complain', async () => {
    const r = await run(['clusters', 'list'])
    console.info(`tokendeck clusters list without a session bus: exit ${r.code} in ${r.ms} ms`)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('lab')
    expect(r.stderr).toBe('')
  })

  it('--json: the error carries the same CLI words', async () => {
    const r = await run(['status', '--json'])
    expect(r.code).toBe(5)
    const error = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(error.message).toContain('tokendeck agent --session-only')
    expect(error.message).not.toContain('This session only')
  })
})

const hasDbusRunSession = spawnSync('dbus-run-session', ['--version']).status === 0

describe.skipIf(!hasDbusRunSession)(
  `tokendeck with a session bus but no Secret Service${hasDbusRunSession ? '' : ' — SKIPPED: dbus-run-session is not installed'}`,
  () => {
    it("says so once, with the CLI's own way out, and exits 5 without waiting for one", async () => {
      // A bus with no service directories: nothing can be activated for org.freedesktop.secrets
      // (an SSH login with a user bus but no keyring daemon).
      const config = join(home, 'bare-session.conf')
      writeFileSync(
        config,
        `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${home}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>`,
      )
      const env = noBusEnv()
      delete env['DBUS_SESSION_BUS_ADDRESS'] // dbus-run-session sets it to its bus
      const r = await run(['token', 'lab'], '', env, [
        'dbus-run-session',
        `--config-file=${config}`,
        '--',
      ])
      console.info(
        `tokendeck token lab on a bus without a Secret Service: exit ${r.code} in ${r.ms} ms`,
      )
      expect(r.code, r.stderr).toBe(5)
      expect(r.stdout).toBe('')
      // dbus-daemon's own complaints (an fd limit in a container) are not the CLI's words.
      const said = r.stderr
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.startsWith('dbus-daemon['))
      expect(said).toHaveLength(1)
      expect(occurrences(r.stderr, 'system keychain')).toBe(1)
      expect(r.stderr).toContain('No Secret Service')
      expect(r.stderr).toContain('tokendeck agent --session-only')
      expect(r.stderr).not.toContain('This session only')
      expect(r.stderr).not.toMatch(/did not answer within/)
    })
  },
)

/** Starts `tokendeck agent --session-only` without a bus; resolves once it owns the sessions. */
function startSessionOnlyAgent(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [...CLI_ARGV, 'agent', '--session-only'], {
    cwd: REPO_ROOT,
    env,
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

describe("the README's headless recipe, with no session bus at all", () => {
  let sim: WekaSim
  let agent: ChildProcess | undefined
  const recipeHome = mkdtempSync(join(tmpdir(), 'tokendeck-headless-'))
  const env = (): NodeJS.ProcessEnv => ({ ...noBusEnv(), TOKENDECK_HOME: recipeHome })
  beforeAll(async () => {
    sim = await startWekaSim()
  })
  afterAll(async () => {
    if (agent && agent.exitCode === null) agent.kill()
    await sim?.close()
    rmSync(recipeHome, { recursive: true, force: true })
  })

  it('agent --session-only &, then login --password-stdin and token: one token on stdout', async () => {
    const added = await run(['clusters', 'add', ...wekaFlags(sim, 'prod')], '', env())
    expect(added.code, added.stderr).toBe(0)
    const started = await startSessionOnlyAgent(env())
    agent = started.child
    const login = await run(['login', 'prod', '--password-stdin'], 'WekaSim-Admin-7341\n', env())
    expect(login.code, login.stderr).toBe(0)
    expect(login.stderr).not.toMatch(/keychain/i)
    const token = await run(['token', 'prod'], '', env())
    expect(token.code, token.stderr).toBe(0)
    expect(token.stderr).toBe('')
    // $(tokendeck token prod) is one token: one line, nothing else.
    expect(token.stdout).toMatch(/^[A-Za-z0-9._~+/=-]+\n$/)
    expect(sim.state.liveTokens('admin').map((t) => t.token)).toContain(token.stdout.trim())
    const stop = await run(['agent', 'stop'], '', env())
    expect(stop.code, stop.stderr).toBe(0)
    expect(started.stderr()).not.toMatch(/This session only/)
  })
})
