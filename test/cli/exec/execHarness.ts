/**
 * For `tokendeck exec` tests: the real CLI as a long-running child the test can signal and talk
 * to (CliHarness.run only returns once the process is over), and a probe program for the
 * command, which reports what it was given to a file (never to stdout: the command's output is
 * tokendeck's output, and that must stay free of secrets).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT, type CliHarness, type CliResult } from '../cliHarness'

const ENTRY = join(REPO_ROOT, 'src/main/cli/tokendeck.ts')
/**
 * Only turns a hang into a failure; not a speed budget. As generous as the CLI harness's own
 * guard: one CLI start through tsx takes several seconds on a loaded 2-core machine.
 */
export const HANG_GUARD_MS = 5 * 60_000

export interface RunningCli {
  child: ChildProcess
  pid: number
  stdout(): string
  stderr(): string
  /** Resolves once stdout matches (the command said it is ready). */
  waitForStdout(re: RegExp): Promise<void>
  /** Resolves when the process has ended; the result is also kept in cli.outputs. */
  exited: Promise<CliResult>
}

/**
 * Starts `tokendeck …` and leaves stdin open (the command inherits it). The process gets its own
 * session (no controlling terminal), as under a service manager or cron, so whether a SIGINT is
 * forwarded never depends on the terminal the tests happen to run in.
 */
export function startCli(cli: CliHarness, args: string[]): RunningCli {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, TOKENDECK_HOME: cli.home, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  })
  const started = Date.now()
  let stdout = ''
  let stderr = ''
  const waiters: { re: RegExp; resolve: () => void }[] = []
  const check = () => {
    for (const w of [...waiters]) {
      if (w.re.test(stdout)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
    }
  }
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
    check()
  })
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  child.stdin!.on('error', () => undefined)
  const exited = new Promise<CliResult>((resolve, reject) => {
    const guard = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`tokendeck ${args.join(' ')} did not exit in time\n${stderr}`))
    }, HANG_GUARD_MS)
    child.once('close', (code, signal) => {
      clearTimeout(guard)
      const result = { code, signal, stdout, stderr, ms: Date.now() - started, args }
      cli.outputs.push(result)
      resolve(result)
    })
  })
  return {
    child,
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStdout: (re) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(stdout)) return resolve()
        waiters.push({ re, resolve })
        exited.then(
          (r) =>
            reject(new Error(`tokendeck exited (${r.code}) before printing ${re}:\n${r.stderr}`)),
          reject,
        )
      }),
    exited,
  }
}

/** What the probe saw: the variables `tokendeck exec` sets, and the files they name. */
export interface ProbeReport {
  env: Record<string, string | undefined>
  files: Record<string, { text: string; mode: number; dirMode: number; dir: string }>
}

const PROBE = String.raw`
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
const [mode, report, arg] = process.argv.slice(2)
const names = ${JSON.stringify([
  'TOKENDECK_CLUSTER',
  'TOKENDECK_CLUSTER_ID',
  'TOKENDECK_CLUSTER_URL',
  'TOKENDECK_VENDOR',
  'TOKENDECK_ACCESS_TOKEN',
  'TOKENDECK_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'REQUESTS_CA_BUNDLE',
  'WEKA_TOKEN',
  'TOKENDECK_QQ_CREDENTIALS',
  'TOKENDECK_COOKIE',
  'SSL_CERT_FILE',
  'NODE_EXTRA_CA_CERTS',
])}
const env = Object.fromEntries(names.map((n) => [n, process.env[n]]))
const files = {}
for (const n of ['WEKA_TOKEN', 'TOKENDECK_QQ_CREDENTIALS', 'TOKENDECK_CA_BUNDLE']) {
  const p = process.env[n]
  if (!p) continue
  files[n] = {
    text: readFileSync(p, 'utf8'),
    mode: statSync(p).mode & 0o777,
    dirMode: statSync(dirname(p)).mode & 0o777,
    dir: dirname(p),
  }
}
writeFileSync(report, JSON.stringify({ env, files }))
if (mode === 'exit') process.exit(Number(arg))
if (mode === 'signal') {
  process.on(arg, () => {
    appendFileSync(report + '.signal', arg)
    process.removeAllListeners(arg)
    process.kill(process.pid, arg)
  })
  console.log('ready')
  setInterval(() => undefined, 60_000)
}
if (mode === 'wait') {
  console.log('ready')
  let input = ''
  process.stdin.setEncoding('utf8').on('data', (d) => {
    input += d
    if (input.includes('quit')) process.exit(0)
  })
}
`

/** A scratch directory with the probe program; reports go here too. */
export class Probe {
  readonly dir = mkdtempSync(join(tmpdir(), 'tokendeck-probe-'))
  readonly script = join(this.dir, 'probe.mjs')
  private n = 0

  constructor() {
    writeFileSync(this.script, PROBE)
  }

  /** A fresh report path for one run. */
  reportPath(): string {
    return join(this.dir, `report-${++this.n}.json`)
  }

  /** The command line of the probe: `exit <code>`, `signal <SIGNAME>` or `wait`. */
  argv(report: string, mode: 'exit' | 'signal' | 'wait', arg = ''): string[] {
    return [process.execPath, this.script, mode, report, arg]
  }

  read(report: string): ProbeReport {
    return JSON.parse(readFileSync(report, 'utf8')) as ProbeReport
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
