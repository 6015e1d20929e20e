/**
 * `tokendeck token <cluster> --as header|export|curl`, through the real CLI against a simulator:
 * what it prints works when pasted into bash (the curl command with the real curl, trusting the
 * pinned certificate through the PEM it keeps in the data directory).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startQumuloSim, type QumuloSim } from '../sim/qumulo'
import { keychainMissingReason } from '../core/harness'
import { CliHarness, uniqueName } from './cliHarness'

const run = promisify(execFile)
const missing =
  keychainMissingReason() ??
  (await run('curl', ['--version']).then(
    () => undefined,
    () => 'curl is not installed (add it to the apt packages of .ci/run)',
  ))
/** Not a speed budget: only turns a hang into a failure. */
const HANG_GUARD_MS = 10 * 60_000

async function bash(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('bash', ['-c', script], { encoding: 'utf8', timeout: 30_000 })
    return { code: 0, stdout: r.stdout, stderr: r.stderr }
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string }
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }
  }
}

describe.skipIf(missing)(`tokendeck token --as${missing ? ` — SKIPPED: ${missing}` : ''}`, () => {
  let sim: QumuloSim
  let cli: CliHarness
  let id: string

  beforeAll(async () => {
    sim = await startQumuloSim()
    cli = new CliHarness()
    id = await cli.add([
      '--vendor',
      'qumulo',
      '--name',
      uniqueName('qumulo-as'),
      '--url',
      sim.url,
      '--username',
      'admin',
      '--trust-fingerprint',
      sim.fingerprint,
    ])
    const login = await cli.run(['login', id, '--password-stdin'], 'Qumulo-Admin-Demo-1\n')
    expect(login.code, login.stderr).toBe(0)
  }, HANG_GUARD_MS)
  afterAll(async () => {
    await cli?.close()
    await sim?.close()
  })

  it(
    'prints a curl command that bash and curl run against the cluster with a 200',
    async () => {
      const r = await cli.run(['token', id, '--as', 'curl'])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toMatch(/^curl .*--cacert .*who-am-i'?\n$/)
      const curl = await bash(`${r.stdout.trim()} -w '\\n%{http_code}'`)
      expect(curl.code, curl.stderr).toBe(0)
      expect(curl.stdout.trim().split('\n').at(-1)).toBe('200')
    },
    HANG_GUARD_MS,
  )

  it(
    'prints an export line and a header that carry a token the server issued',
    async () => {
      const exp = await cli.run(['token', id, '--as', 'export'])
      expect(exp.code, exp.stderr).toBe(0)
      const shell = await bash(`${exp.stdout}printf %s "$TOKENDECK_ACCESS_TOKEN"`)
      expect(sim.state.issuedSecrets()).toContain(shell.stdout)
      const header = await cli.run(['token', id, '--as', 'header'])
      expect(header.stdout).toBe(`Authorization: Bearer ${shell.stdout}\n`)
    },
    HANG_GUARD_MS,
  )

  it('refuses an unknown format as a usage error, naming the ones it knows', async () => {
    const r = await cli.run(['token', id, '--as', 'python'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--as takes one of token, header, export, curl/)
    expect(r.stdout).toBe('')
  })
})
