/**
 * For the entry-point tests: run a TypeScript entry point (`tsx <file>`) in its own process
 * group, read its output line by line, and make sure it is gone when the test ends.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface Child {
  proc: ChildProcess
  stdout(): string
  stderr(): string
  /**
   * Resolves with the first stdout line matching `pattern`; rejects on exit, or after a hang
   * guard (not a speed budget: the child only gets slower on a busy machine).
   */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>
  /** Resolves with the exit code (a signal death gives `signal:NAME`). */
  exited: Promise<number | string>
  /** Send a signal to the whole process group, as a terminal's Ctrl-C does. */
  signal(sig: NodeJS.Signals): void
}

const live = new Set<Child>()

export function runTs(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  // `node --import tsx`, not the tsx command: the tsx command is a second process that relays
  // signals to the real one, and a signal sent to the group then raced that relay (the child
  // sometimes died of the signal, exit 130/143, before its own handlers could run).
  const proc = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let out = ''
  let err = ''
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
  const exited = new Promise<number | string>((resolve) =>
    proc.once('exit', (code, sig) => resolve(code ?? `signal:${sig ?? '?'}`)),
  )
  const child: Child = {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    signal(sig) {
      if (proc.pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
        try {
          process.kill(-proc.pid, sig)
        } catch {
          // Already gone.
        }
      }
    },
    waitForLine(pattern, timeoutMs = 5 * 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = out
            .split('\n')
            .slice(0, -1)
            .find((l) => pattern.test(l))
          if (line === undefined) return false
          cleanup()
          resolve(line)
          return true
        }
        const onExit = () => {
          if (check()) return
          cleanup()
          reject(new Error(`exited before printing ${pattern}\nstdout:\n${out}\nstderr:\n${err}`))
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(
            new Error(
              `no line matching ${pattern} within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`,
            ),
          )
        }, timeoutMs)
        const cleanup = () => {
          clearTimeout(timer)
          proc.stdout?.off('data', check)
          proc.off('exit', onExit)
        }
        if (check()) return
        proc.stdout?.on('data', check)
        proc.once('exit', onExit)
      })
    },
  }
  void exited.then(() => live.delete(child))
  live.add(child)
  return child
}

/** SIGKILL every child (and its process group) still running; for afterEach/afterAll. */
export async function killAll(): Promise<void> {
  const all = [...live]
  for (const c of all) c.signal('SIGKILL')
  await Promise.all(all.map((c) => c.exited))
}
