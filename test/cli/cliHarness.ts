/**
 * Runs the real `tokendeck` CLI as a child process (node --import tsx) with its own
 * TOKENDECK_HOME, against simulators started by the test. Every output is kept so a test can
 * check at the end that no password ever appeared in it.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KeytarSecretStore } from '../../src/main/core/secrets'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
/**
 * The CLI as users run it: the built JavaScript that `npm test` has just built. With
 * TOKENDECK_SKIP_BUILD=1 (iterating on one test) the build may be stale, so the TypeScript
 * source runs through tsx instead.
 */
const BUILT = join(REPO_ROOT, 'out/cli/tokendeck.mjs')
const SOURCE = join(REPO_ROOT, 'src/main/cli/tokendeck.ts')
export const CLI_ARGV =
  process.env['TOKENDECK_SKIP_BUILD'] !== '1' && existsSync(BUILT)
    ? [BUILT]
    : ['--import', 'tsx', SOURCE]

export interface CliResult {
  code: number | null
  /** Set when the process died of a signal (SIGSEGV from a native crash, say). */
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** Wall time of the run: the CLI must exit promptly once its work is done. */
  ms: number
  args: string[]
}

export class CliHarness {
  readonly home = mkdtempSync(join(tmpdir(), 'tokendeck-cli-'))
  readonly outputs: CliResult[] = []
  private readonly clusterIds = new Set<string>()

  run(
    args: string[],
    input?: string,
    home = this.home,
    env: Record<string, string> = {},
  ): Promise<CliResult> {
    const child = spawn(process.execPath, [...CLI_ARGV, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, TOKENDECK_HOME: home, NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const started = Date.now()
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.stdin.on('error', () => undefined)
    child.stdin.end(input ?? '')
    return new Promise((resolve, reject) => {
      // A hang guard, not a speed budget: a command that never exits is a bug; a slow machine
      // only makes commands slower.
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`tokendeck ${args.join(' ')} did not exit in 5 min\n${stderr}`))
      }, 5 * 60_000)
      child.once('error', reject)
      child.once('close', (code, signal) => {
        clearTimeout(timer)
        const result = { code, signal, stdout, stderr, ms: Date.now() - started, args }
        this.outputs.push(result)
        resolve(result)
      })
    })
  }

  /** `clusters add … --json`, returning the new cluster's id. */
  async add(args: string[]): Promise<string> {
    const r = await this.run(['clusters', 'add', ...args, '--json'])
    if (r.code !== 0) throw new Error(`clusters add failed (${r.code}): ${r.stderr}`)
    const id = (JSON.parse(r.stdout) as { id: string }).id
    this.track(id)
    return id
  }

  /** `login <id> --password-stdin`; throws with the CLI's stderr if it did not exit 0. */
  async login(id: string, password: string, home = this.home): Promise<void> {
    const r = await this.run(['login', id, '--password-stdin'], `${password}\n`, home)
    if (r.code !== 0) throw new Error(`login ${id} failed (${r.code}): ${r.stderr}`)
  }

  /** `clusters add` with `flags` (see wekaFlags & co.), then `login`: the new cluster's id. */
  async addSignedIn(flags: string[], password: string): Promise<string> {
    const id = await this.add(flags)
    await this.login(id, password)
    return id
  }

  /** Remove this cluster's keychain entries at the end. */
  track(id: string): void {
    this.clusterIds.add(id)
  }

  /** Nothing any run printed contains one of these. */
  leaked(secrets: string[]): string[] {
    const all = this.outputs.map((o) => o.stdout + o.stderr).join('\n')
    return secrets.filter((s) => all.includes(s))
  }

  async close(): Promise<void> {
    // The CLI uses the app's keychain service, namespaced by this home's profile id; inside the
    // private keyring that is throwaway, but the entries are removed anyway.
    const namespace = profileIdOf(this.home)
    if (namespace) {
      const store = new KeytarSecretStore({ service: 'Tokendeck', namespace })
      for (const id of this.clusterIds) await store.deleteCredential(id).catch(() => false)
    }
    rmSync(this.home, { recursive: true, force: true })
  }
}

/** The profile id a CLI run created in this data directory, if any. */
export function profileIdOf(home: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(home, 'profile.json'), 'utf8')) as { id: string }).id
  } catch {
    return undefined
  }
}

/** A simulator as `clusters add` needs it: where it listens and its certificate's fingerprint. */
export interface SimAddress {
  url: string
  fingerprint: string
}

/** `clusters add` flags for one of `vendor`'s simulators, pinned to its certificate. */
function pinnedFlags(
  vendor: 'weka' | 'qumulo' | 'swarm',
  sim: SimAddress,
  name: string,
  username: string,
  more: string[] = [],
): string[] {
  return [
    ...['--vendor', vendor, '--name', name, '--url', sim.url, '--username', username],
    ...more,
    ...['--trust-fingerprint', sim.fingerprint],
  ]
}

/**
 * The `clusters add` flags (what `CliHarness.add` takes) for a WEKA simulator, pinned to its
 * certificate; `username` defaults to the simulator's admin.
 */
export const wekaFlags = (sim: SimAddress, name: string, username = 'admin'): string[] =>
  pinnedFlags('weka', sim, name, username)

/** The `clusters add` flags for a Qumulo simulator, pinned to its certificate. */
export const qumuloFlags = (sim: SimAddress, name: string, username = 'admin'): string[] =>
  pinnedFlags('qumulo', sim, name, username)

/** The `clusters add` flags for a Swarm simulator's tenant admin (acmeadmin@acme), pinned. */
export function swarmFlags(
  sim: SimAddress & { s3Url?: string },
  name: string,
  options: { username?: string; tenant?: string; domain?: string; s3?: boolean } = {},
): string[] {
  return pinnedFlags('swarm', sim, name, options.username ?? 'acmeadmin', [
    ...['--tenant', options.tenant ?? 'acme', '--domain', options.domain ?? 'docs.acme.example'],
    ...(options.s3 && sim.s3Url ? ['--s3-url', sim.s3Url] : []),
  ])
}

/** `clusters add` for a WEKA simulator's admin, pinned to its certificate, with --json. */
export function addWekaArgs(sim: SimAddress, name: string): string[] {
  return ['clusters', 'add', ...wekaFlags(sim, name), '--json']
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`
}
