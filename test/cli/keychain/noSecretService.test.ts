/**
 * An SSH session or a headless box: no D-Bus session bus, so no Secret Service. Each command that
 * needs the keychain must give up promptly (no waiting for a keychain that cannot answer), say
 * the problem once, and offer what the CLI really has (`tokendeck agent --session-only`), not
 * the app's "This session only" button. Run through the real CLI with DBUS_SESSION_BUS_ADDRESS
 * pointing at a socket that does not exist.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CLI_ARGV, REPO_ROOT } from '../cliHarness'

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

/** Waits for the command to exit, however long that takes (the time is reported, not judged). */
function run(args: string[], input = ''): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, TOKENDECK_HOME: home, NO_COLOR: '1' }
  env['DBUS_SESSION_BUS_ADDRESS'] = NOWHERE
  // The CLI's own stderr is what the user reads: no log file to divert warnings into.
  delete env['TOKENDECK_LOG_FILE']
  delete env['TOKENDECK_HYGIENE_DIR']
  const child = spawn(process.execPath, [...CLI_ARGV, ...args], {
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
