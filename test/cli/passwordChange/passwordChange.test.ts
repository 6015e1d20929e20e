/**
 * `tokendeck login` on a WEKA account the server requires to change its password
 * (docs/protocols/weka.md §2.4): the real CLI against the WEKA simulator. On a terminal
 * (util-linux `script`) it asks for the new password twice with echo off and changes it; a
 * script changes it with `--new-password-stdin`; without either it exits 3 saying how. Each
 * password is sent once: the simulator's count of logins proves nothing was retried.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { keychainMissingReason } from '../../core/harness'
import { CLI_ARGV, CliHarness, REPO_ROOT, uniqueName, type CliResult } from '../cliHarness'

const missing = keychainMissingReason()
const noScript = existsSync('/usr/bin/script') ? undefined : 'util-linux script is not installed'
const OLD = 'WekaSim-Newbie-0001'
const NEW = 'Cli-Changed-Newbie-77'

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/**
 * Runs a command on a pseudo-terminal and answers each question when it appears on the screen
 * (waiting for the prompt's text, never for a time): how a person types at a terminal.
 */
function runOnTerminal(
  cli: CliHarness,
  args: string[],
  answers: [RegExp, string][],
): Promise<CliResult> {
  const line = [process.execPath, ...CLI_ARGV, ...args].map(shellQuote).join(' ')
  const child = spawn('script', ['-qec', line, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { ...process.env, TOKENDECK_HOME: cli.home, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const started = Date.now()
  let stdout = ''
  let stderr = ''
  let seen = 0
  const pending = [...answers]
  const answer = () => {
    const next = pending[0]
    if (!next) return
    const m = next[0].exec(stdout.slice(seen))
    if (!m) return
    seen += m.index + m[0].length
    pending.shift()
    child.stdin.write(next[1])
    if (pending.length === 0) child.stdin.end()
    else answer()
  }
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
    answer()
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => {
      if (pending.length) child.stdin.destroy()
      const result = { code, signal, stdout, stderr, ms: Date.now() - started, args }
      cli.outputs.push(result)
      resolve(result)
    })
  })
}

const skip = missing ?? noScript
describe.skipIf(skip)(
  `tokendeck login: a required password change${skip ? ` — SKIPPED: ${skip}` : ''}`,
  () => {
    let weka: WekaSim
    let cli: CliHarness
    let name: string

    beforeAll(async () => {
      cli = new CliHarness()
    })
    beforeEach(async () => {
      await weka?.close()
      weka = await startWekaSim()
      name = uniqueName('weka-newbie')
      await cli.add([
        '--vendor',
        'weka',
        '--name',
        name,
        '--url',
        weka.url,
        '--username',
        'newbie',
        '--trust-fingerprint',
        weka.fingerprint,
      ])
    })
    afterAll(async () => {
      await cli?.close()
      await weka?.close()
    })

    const puts = () => weka.requests.filter((r) => r.method === 'PUT').length

    it('on a terminal: asks for the new password twice without echo, changes it and signs in', async () => {
      const r = await runOnTerminal(
        cli,
        ['login', name],
        [
          [/Password for newbie/, `${OLD}\r`],
          [/New password for newbie/, `${NEW}\r`],
          [/again/, `${NEW}\r`],
        ],
      )
      const screen = r.stdout + r.stderr
      expect(r.code, screen).toBe(0)
      expect(screen).toMatch(/at least 8 characters/)
      expect(screen).toMatch(/Changed the password of newbie/)
      expect(screen).toMatch(/Signed in to/)
      expect(screen).not.toContain(OLD)
      expect(screen).not.toContain(NEW)
      expect(puts()).toBe(1)
      expect(weka.state.loginAttempts('newbie')).toBe(2)
      expect((await cli.run(['status', name])).code).toBe(0)
      // The old password is refused now; the new one works.
      expect((await cli.run(['login', name, '--password-stdin'], `${OLD}\n`)).code).toBe(3)
      expect((await cli.run(['login', name, '--password-stdin'], `${NEW}\n`)).code).toBe(0)
    })

    it('on a terminal: two different new passwords send nothing more', async () => {
      const r = await runOnTerminal(
        cli,
        ['login', name],
        [
          [/Password for newbie/, `${OLD}\r`],
          [/New password for newbie/, `${NEW}\r`],
          [/again/, `Other-${NEW}\r`],
        ],
      )
      expect(r.code).toBe(2)
      expect(r.stdout + r.stderr).toMatch(/differ; nothing was sent/)
      expect(puts()).toBe(0)
      expect(weka.state.loginAttempts('newbie')).toBe(1)
    })

    it('without a terminal: exit 3 saying how; --new-password-stdin changes it', async () => {
      const r = await cli.run(['login', name, '--password-stdin'], `${OLD}\n`)
      expect(r.code).toBe(3)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(/--new-password-stdin/)
      expect(r.stderr).toMatch(/on a terminal/)
      expect(puts()).toBe(0)

      const weak = await cli.run(
        ['login', name, '--password-stdin', '--new-password-stdin'],
        `${OLD}\nshort\n`,
      )
      expect(weak.code).toBe(2)
      expect(weak.stderr).toMatch(/at least 8 characters/)
      expect(weak.stderr).not.toContain('short\n')
      expect(puts()).toBe(1)
      expect(weka.state.loginAttempts('newbie')).toBe(2)

      const ok = await cli.run(
        ['login', name, '--password-stdin', '--new-password-stdin', '--json'],
        `${OLD}\n${NEW}\n`,
      )
      expect(ok.code, ok.stderr).toBe(0)
      expect(JSON.parse(ok.stdout)).toMatchObject({ session: { state: 'active' } })
      expect(puts()).toBe(2)
      // Sign-in that asked, then the new password's sign-in: no retry in between.
      expect(weka.state.loginAttempts('newbie')).toBe(4)
      expect(ok.stderr + ok.stdout).not.toContain(NEW)
    })
  },
)
