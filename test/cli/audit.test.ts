/**
 * `tokendeck audit` through the real CLI against the WEKA simulator: a command in its own process
 * is recorded as `cli`; the same command served by a running `tokendeck agent` is recorded once,
 * by the agent, as `agent-client` with the client's pid; exec's start and end; filters; JSON
 * lines; a damaged or cut-short line is skipped with a note and the rest is still printed.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditRecord } from '../../src/shared/audit'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { keychainMissingReason } from '../core/harness'
import { CLI_ARGV, CliHarness, REPO_ROOT, addWekaArgs } from './cliHarness'

const missing = keychainMissingReason()
const PASSWORD = 'WekaSim-Admin-7341'

function startAgent(home: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...CLI_ARGV, 'agent'], {
    cwd: REPO_ROOT,
    env: { ...process.env, TOKENDECK_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d
      if (/owns the sessions of/.test(err)) resolve(child)
    })
    child.once('exit', (code) => reject(new Error(`agent exited ${code}: ${err}`)))
  })
}

describe.skipIf(missing)(`tokendeck audit${missing ? ` — SKIPPED: ${missing}` : ''}`, () => {
  let sim: WekaSim
  const cli = new CliHarness()
  const log = () => join(cli.home, 'audit.log')
  const records = async (...args: string[]): Promise<AuditRecord[]> => {
    const r = await cli.run(['audit', '--json', ...args])
    expect(r.code).toBe(0)
    return r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditRecord)
  }

  beforeAll(async () => {
    sim = await startWekaSim()
  })
  afterAll(async () => {
    await cli.close()
    await sim?.close()
  })

  it('records a command run in its own process as cli, once', async () => {
    const r0 = await cli.run(['audit'])
    expect(r0.code).toBe(0)
    expect(r0.stdout).toMatch(/Nothing recorded yet/)
    const id = await cli.add(addWekaArgs(sim, 'Audit Lab').slice(2, -1))
    expect((await cli.run(['login', id, '--password-stdin'], `${PASSWORD}\n`)).code).toBe(0)
    const token = await cli.run(['token', id])
    expect(token.code).toBe(0)
    const exec = await cli.run(['exec', id, '--', 'sh', '-c', 'exit 3'])
    expect(exec.code).toBe(3)

    const all = await records()
    expect(all.map((r) => `${r.event} ${r.outcome} ${r.actor} ${r.clusterName}`)).toEqual([
      'session:sign-in ok cli Audit Lab',
      'copy ok cli Audit Lab',
      'exec:start ok cli Audit Lab',
      'exec:end ok cli Audit Lab',
    ])
    expect(all[1]).toMatchObject({ what: 'access-token', to: 'terminal', vendor: 'weka' })
    expect(all[3]).toMatchObject({ command: 'sh', exitCode: 3 })
    // The token and the password never reach the log.
    const text = readFileSync(log(), 'utf8')
    expect(text).not.toContain(token.stdout.trim())
    expect(text).not.toContain(PASSWORD)

    const shown = await cli.run(['audit'])
    expect(shown.stdout).toMatch(/TIME\s+EVENT\s+OUTCOME\s+BY\s+CLUSTER\s+DETAILS/)
    expect(shown.stdout).toMatch(/session:sign-in\s+ok\s+cli\s+Audit Lab \(weka\)/)
    expect(shown.stdout).toMatch(/access-token → terminal/)
    expect(shown.stdout).toMatch(/command sh, exit 3/)
    // Local time, to the second.
    expect(shown.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /m)
  })

  it('records a command served by the running agent once, by the agent, naming the client', async () => {
    const before = (await records()).length
    const agent = await startAgent(cli.home)
    try {
      const r = await cli.run(['login', 'Audit Lab', '--password-stdin'], `${PASSWORD}\n`)
      expect(r.code).toBe(0)
      const bad = await cli.run(['login', 'Audit Lab', '--password-stdin'], 'not-the-password\n')
      expect(bad.code).not.toBe(0)
      const added = (await records()).slice(before)
      expect(added.map((x) => `${x.event} ${x.outcome} ${x.actor}`)).toEqual([
        'session:sign-in ok agent-client',
        'session:sign-in BAD_CREDENTIALS agent-client',
      ])
      // The owner wrote them (its pid), on behalf of two different terminals.
      expect(added[0]!.pid).toBe(agent.pid)
      expect(added[0]!.clientPid).toBeGreaterThan(0)
      expect(added[0]!.clientPid).not.toBe(added[1]!.clientPid)
    } finally {
      agent.kill('SIGTERM')
      await new Promise((resolve) => agent.once('exit', resolve))
    }
  })

  it('filters by time and cluster, and skips a damaged line with a note', async () => {
    const old = {
      v: 1,
      time: new Date(Date.now() - 30 * 86_400_000).toISOString(),
      event: 'session:sign-in',
      actor: 'app',
      outcome: 'ok',
      clusterId: 'old-cluster-abcdefgh',
      clusterName: 'Gone',
    }
    appendFileSync(log(), `${JSON.stringify(old)}\n{"v":1,"time":garbage\n`)
    expect((await records()).some((r) => r.clusterName === 'Gone')).toBe(true)
    expect((await records('--since', '7d')).some((r) => r.clusterName === 'Gone')).toBe(false)
    expect((await records('--cluster', 'Gone')).map((r) => r.clusterId)).toEqual([
      'old-cluster-abcdefgh',
    ])

    appendFileSync(log(), '{"v":1,"time":"2026-01-01T00:00:00.000Z","ev')
    const r = await cli.run(['audit', '--cluster', 'Audit Lab'])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/Line \d+ of .*audit\.log is damaged and was skipped/)
    expect(r.stderr).toMatch(/The last line of .*audit\.log \(line \d+\) was cut short/)
    expect(r.stdout).toMatch(/exec:end/)
    expect(r.stdout).not.toMatch(/Gone/)
    const bad = await cli.run(['audit', '--since', 'yesterday'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--since "yesterday" is not a duration/)
  })
})
