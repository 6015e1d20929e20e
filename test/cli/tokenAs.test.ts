/**
 * `tokendeck token <cluster> --as header|export|curl`, through the real CLI against a simulator:
 * what it prints works when pasted into bash (the curl command with the real curl, trusting the
 * pinned certificate through the PEM it keeps in the data directory).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startQumuloSim, type QumuloSim } from '../sim/qumulo'
import { keychainMissingReason } from '../core/harness'
import { bash, curlMissingReason } from '../support/tools'
import { CliHarness, qumuloFlags, uniqueName } from './cliHarness'

const missing = keychainMissingReason() ?? (await curlMissingReason())
/** Not a speed budget: only turns a hang into a failure. */
const HANG_GUARD_MS = 10 * 60_000

describe.skipIf(missing)(`tokendeck token --as${missing ? ` — SKIPPED: ${missing}` : ''}`, () => {
  let sim: QumuloSim
  let cli: CliHarness
  let id: string

  beforeAll(async () => {
    sim = await startQumuloSim()
    cli = new CliHarness()
    id = await cli.addSignedIn(qumuloFlags(sim, uniqueName('qumulo-as')), 'Qumulo-Admin-Demo-1')
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
