/**
 * Runs the command of `tokendeck exec` as a child (argv, no shell, stdio inherited) and turns
 * how it ended into our exit status: its exit code, or 128 + the signal number when a signal
 * killed it (as shells report it); 127 when the command does not exist, 126 when it cannot be
 * run.
 *
 * Signals: SIGINT, SIGTERM, SIGHUP (and SIGQUIT) are caught from the moment the private
 * directory is about to be made, so none of them can end this process without the clean-up;
 * while the child runs they are forwarded to it and we wait for it to end. One exception: a
 * SIGINT or SIGQUIT typed at the terminal (Ctrl-C, Ctrl-\) already reached the child, which is in
 * the terminal's foreground process group with us. Sending it a second one would make, e.g., a
 * Python program's clean-up itself be interrupted, so those two are forwarded only when this
 * process is not the terminal's foreground (i.e. someone ran `kill -INT <pid>`).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { constants } from 'node:os'

const CAUGHT: NodeJS.Signals[] =
  process.platform === 'win32'
    ? ['SIGINT', 'SIGTERM', 'SIGHUP']
    : ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']

export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0)
}

/**
 * Whether the terminal delivered this signal to our whole process group (the child included):
 * a keyboard signal while we are the terminal's foreground process group. Linux reads it from
 * /proc (pgrp and tpgid of /proc/self/stat); elsewhere a terminal on stdin stands for it.
 */
export function terminalSentItToo(signal: NodeJS.Signals): boolean {
  if (signal !== 'SIGINT' && signal !== 'SIGQUIT') return false
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync('/proc/self/stat', 'utf8')
      // Fields after "(comm)": state ppid pgrp session tty_nr tpgid …
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const pgrp = Number(f[2])
      const tpgid = Number(f[5])
      return tpgid > 0 && tpgid === pgrp
    } catch {
      // fall through
    }
  }
  return process.stdin.isTTY === true
}

/** Catches the terminating signals for the life of one exec, and forwards them to its child. */
export class SignalGuard {
  /** The first signal received before there was a child to forward it to. */
  early: NodeJS.Signals | undefined
  private child: ChildProcess | undefined
  private childDone = false
  private readonly handlers = new Map<NodeJS.Signals, () => void>()

  install(): void {
    for (const signal of CAUGHT) {
      const handler = () => this.received(signal)
      this.handlers.set(signal, handler)
      process.on(signal, handler)
    }
  }

  uninstall(): void {
    for (const [signal, handler] of this.handlers) process.removeListener(signal, handler)
    this.handlers.clear()
  }

  forwardTo(child: ChildProcess): void {
    this.child = child
  }

  childExited(): void {
    this.childDone = true
  }

  private received(signal: NodeJS.Signals): void {
    if (!this.child) {
      this.early ??= signal
      return
    }
    if (this.childDone || terminalSentItToo(signal)) return
    try {
      this.child.kill(signal)
    } catch {
      // already gone
    }
  }
}

export interface ChildEnd {
  /** Our exit status. */
  code: number
  /** Set when the command could not be started (not found, not executable). */
  startError?: string
}

/** Starts the command and resolves once it has ended. */
export function runChild(
  command: string[],
  env: NodeJS.ProcessEnv,
  guard: SignalGuard,
): Promise<ChildEnd> {
  const [file, ...args] = command
  return new Promise((resolve) => {
    let settled = false
    const done = (end: ChildEnd) => {
      if (settled) return
      settled = true
      guard.childExited()
      resolve(end)
    }
    let child: ChildProcess
    try {
      child = spawn(file!, args, { stdio: 'inherit', env, shell: false })
    } catch (e) {
      done(startFailure(file!, e))
      return
    }
    guard.forwardTo(child)
    // 'error' after a successful start (a failed kill) is not the end of the child.
    child.on('error', (e) => {
      if (child.pid === undefined) done(startFailure(file!, e))
    })
    child.once('exit', (code, signal) =>
      done({ code: signal ? signalExitCode(signal) : (code ?? 1) }),
    )
  })
}

function startFailure(file: string, e: unknown): ChildEnd {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return { code: 127, startError: `${file}: command not found` }
  if (code === 'EACCES' || code === 'EISDIR' || code === 'ENOEXEC')
    return { code: 126, startError: `${file}: cannot run it (${code})` }
  return { code: 126, startError: `${file}: cannot start it (${code ?? 'unknown error'})` }
}
