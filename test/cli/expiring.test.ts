/**
 * `tokendeck tokens expiring` as a user runs it: the real CLI against the WEKA and Qumulo
 * simulators, soonest first, --within, --json, and a cluster that could not be looked at named
 * on stderr (exit 1) without hiding the others.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { startQumuloSim, type QumuloSim } from '../sim/qumulo'
import { keychainMissingReason } from '../core/harness'
import type { ExpiringReport } from '../../src/shared/model'
import { CLI_ARGV, CliHarness, REPO_ROOT, addWekaArgs, uniqueName } from './cliHarness'

/** `tokendeck agent --session-only`, resolved once it says it owns the sessions. */
function startAgent(home: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...CLI_ARGV, 'agent', '--session-only'], {
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
    child.once('exit', (code) =>
      reject(new Error(`agent exited ${code} before it was ready: ${err}`)),
    )
  })
}

const missing = keychainMissingReason()

describe.skipIf(missing)(
  `tokendeck tokens expiring${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    let weka: WekaSim
    let qumulo: QumuloSim
    let cli: CliHarness
    const name = {
      weka: uniqueName('weka'),
      qumulo: uniqueName('qumulo'),
      idle: uniqueName('idle'),
    }
    const tokenIds: Record<string, string> = {}

    const ok = async (args: string[], input?: string) => {
      const r = await cli.run(args, input)
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
      return r
    }

    beforeAll(async () => {
      ;[weka, qumulo] = await Promise.all([startWekaSim(), startQumuloSim()])
      cli = new CliHarness()
      cli.track((JSON.parse((await ok(addWekaArgs(weka, name.weka))).stdout) as { id: string }).id)
      const qumuloArgs = (n: string) => [
        '--vendor',
        'qumulo',
        '--name',
        n,
        '--url',
        qumulo.url,
        '--username',
        'admin',
        '--trust-fingerprint',
        qumulo.fingerprint,
      ]
      await cli.add(qumuloArgs(name.qumulo))
      await ok(['login', name.weka, '--password-stdin'], 'WekaSim-Admin-7341\n')
      await ok(['login', name.qumulo, '--password-stdin'], 'Qumulo-Admin-Demo-1\n')
      for (const [key, expiresIn] of [
        ['2d', '2d'],
        ['never', 'never'],
      ] as const) {
        const r = await ok([
          'tokens',
          'create',
          name.qumulo,
          '--owner',
          key === 'never' ? 'bob' : 'alice',
          '--expires-in',
          expiresIn,
          '--yes',
          '--json',
        ])
        tokenIds[key] = (JSON.parse(r.stdout) as { token: { id: string } }).token.id
      }
    })
    afterAll(async () => {
      await cli?.close()
      await Promise.all([weka?.close(), qumulo?.close()])
    })

    it('--json: every token and session, soonest first, "never" last, exit 0', async () => {
      const r = await ok(['tokens', 'expiring', '--json'])
      const report = JSON.parse(r.stdout) as ExpiringReport
      expect(report.notes).toEqual([])
      const expiries = report.items.map((i) => i.expiresAt ?? Infinity)
      expect(expiries).toEqual([...expiries].sort((a, b) => a - b))
      const alice = report.items.find((i) => i.tokenId === tokenIds['2d'])
      expect(alice).toMatchObject({
        kind: 'token',
        clusterName: name.qumulo,
        vendor: 'qumulo',
        owner: 'alice',
        actions: ['rotate', 'extend', 'revoke'],
      })
      expect(report.items.find((i) => i.tokenId === tokenIds['never'])!.expiresAt).toBeUndefined()
      expect(
        report.items.find((i) => i.clusterName === name.weka && i.kind === 'session')!.expiresAt,
      ).toBeGreaterThan(Date.now())
    })

    it('--within 3d prints a table of what expires within three days, without "never"', async () => {
      const r = await ok(['tokens', 'expiring', '--within', '3d'])
      const lines = r.stdout.trim().split('\n')
      expect(lines[0]).toMatch(/^EXPIRES\s+IN\s+CLUSTER\s+VENDOR\s+KIND\s+OWNER\s+ID\s+ACTIONS$/)
      const alice = lines.find((l) => l.includes(tokenIds['2d']!))
      expect(alice).toMatch(/in 1d 23h|in 2d/)
      expect(alice).toContain('rotate,extend,revoke')
      expect(r.stdout).not.toContain(tokenIds['never']!)
      expect(r.stdout).not.toContain('never')
    })

    it('a signed-out cluster is named on stderr with exit 1; the rest is still printed', async () => {
      await cli.add([
        '--vendor',
        'qumulo',
        '--name',
        name.idle,
        '--url',
        qumulo.url,
        '--username',
        'admin',
        '--trust-fingerprint',
        qumulo.fingerprint,
      ])
      const r = await cli.run(['tokens', 'expiring', '--json'])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`${name.idle}: not checked: Sign in to include its tokens`)
      const report = JSON.parse(r.stdout) as ExpiringReport
      expect(report.notes).toEqual([
        expect.objectContaining({
          clusterName: name.idle,
          error: expect.objectContaining({ code: 'NOT_SIGNED_IN' }),
        }),
      ])
      expect(report.items.map((i) => i.tokenId)).toContain(tokenIds['2d'])
    })

    it('a bad --within is a usage error (exit 2); --help documents the exit codes', async () => {
      const bad = await cli.run(['tokens', 'expiring', '--within', 'never'])
      expect(bad.code).toBe(2)
      expect(bad.stderr).toContain('--within never is not a window')
      const help = await cli.run(['tokens', 'expiring', '--help'])
      expect(help.stdout).toContain('Exit codes of this command:')
      expect(help.stdout).toContain('some clusters could not be looked at')
    })

    it('never printed a password', () => {
      expect(cli.leaked(['WekaSim-Admin-7341', 'Qumulo-Admin-Demo-1'])).toEqual([])
    })
  },
)

describe.skipIf(missing)(
  `tokendeck tokens expiring, served by the running owner${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    let qumulo: QumuloSim
    let cli: CliHarness
    let agent: ChildProcess | undefined

    beforeAll(async () => {
      qumulo = await startQumuloSim()
      cli = new CliHarness()
    })
    afterAll(async () => {
      if (agent && agent.exitCode === null) {
        await cli.run(['agent', 'stop'])
      }
      await cli?.close()
      await qumulo?.close()
    })

    it('answers from the agent’s in-memory session; without the agent that cluster is not signed in', async () => {
      const name = uniqueName('qumulo-agent')
      await cli.add([
        '--vendor',
        'qumulo',
        '--name',
        name,
        '--url',
        qumulo.url,
        '--username',
        'admin',
        '--trust-fingerprint',
        qumulo.fingerprint,
      ])
      // --session-only: the session lives in the agent's memory only, so only the agent can
      // answer for it.
      agent = await startAgent(cli.home)
      const login = await cli.run(['login', name, '--password-stdin'], 'Qumulo-Admin-Demo-1\n')
      expect(login.code, login.stderr).toBe(0)
      const served = await cli.run(['tokens', 'expiring', '--json'])
      expect(served.code, served.stderr).toBe(0)
      const report = JSON.parse(served.stdout) as ExpiringReport
      expect(report.notes).toEqual([])
      expect(report.items).toContainEqual(
        expect.objectContaining({ kind: 'session', clusterName: name, owner: 'admin' }),
      )

      const stop = await cli.run(['agent', 'stop'])
      expect(stop.code, stop.stderr).toBe(0)
      const alone = await cli.run(['tokens', 'expiring', '--json'])
      expect(alone.code).toBe(1)
      expect((JSON.parse(alone.stdout) as ExpiringReport).notes).toEqual([
        expect.objectContaining({
          clusterName: name,
          error: expect.objectContaining({ code: 'NOT_SIGNED_IN' }),
        }),
      ])
    })
  },
)
