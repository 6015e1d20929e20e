/**
 * The one place `tokendeck exec` writes: a fresh directory only this user can enter (0700),
 * under `$XDG_RUNTIME_DIR` when there is one (a per-user tmpfs: the tokens never reach a disk,
 * and it is emptied at log-out), else the system temporary directory. Files in it are 0600 and
 * replaced atomically (temp file + rename in the same directory), so a tool reading one while it
 * is renewed sees the old token or the new one, never half of either.
 *
 * Removal happens on every way out that runs code: the command's exit, our own signal, an error
 * before the command started, even `process.exit` from an internal error (an 'exit' hook).
 * Only SIGKILL leaves a directory behind; the name carries our pid, and the next
 * `tokendeck exec` removes directories whose process is gone.
 *
 * All of it is synchronous on purpose: a rewrite and the removal can never interleave.
 */
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const PREFIX = 'tokendeck-exec-'

/** Where the private directories are made. */
export function privateDirBase(env: NodeJS.ProcessEnv = process.env): string {
  const runtime = env['XDG_RUNTIME_DIR']
  if (runtime && path.isAbsolute(runtime)) {
    try {
      const st = lstatSync(runtime)
      const uid = typeof process.getuid === 'function' ? process.getuid() : undefined
      if (st.isDirectory() && (uid === undefined || st.uid === uid)) return runtime
    } catch {
      // not there: fall back to the temporary directory
    }
  }
  return os.tmpdir()
}

/** The directory-name prefix of one process's private directories. */
export function privateDirPrefix(pid = process.pid): string {
  return `${PREFIX}${pid}-`
}

export class PrivateDir {
  private removed = false
  private readonly onExit = () => this.remove()

  private constructor(readonly dir: string) {
    process.once('exit', this.onExit)
  }

  static create(base = privateDirBase()): PrivateDir {
    const dir = mkdtempSync(path.join(base, privateDirPrefix()))
    // mkdtemp makes it 0700 already; say so explicitly rather than rely on it.
    if (process.platform !== 'win32') chmodSync(dir, 0o700)
    return new PrivateDir(dir)
  }

  file(name: string): string {
    return path.join(this.dir, name)
  }

  /** Write (or atomically replace) a file, 0600. Does nothing once removed. */
  write(name: string, text: string): void {
    if (this.removed) return
    const temp = this.file(`.${name}.${randomBytes(6).toString('hex')}.tmp`)
    try {
      writeFileSync(temp, text, { mode: 0o600, flag: 'wx' })
      renameSync(temp, this.file(name))
    } catch (e) {
      rmSync(temp, { force: true })
      throw e
    }
  }

  /** Idempotent; never throws (it runs on the way out). */
  remove(): void {
    if (this.removed) return
    this.removed = true
    process.removeListener('exit', this.onExit)
    try {
      rmSync(this.dir, { recursive: true, force: true, maxRetries: 2 })
    } catch {
      // Nothing more can be done on the way out; the next exec sweeps it (sweepStaleDirs).
    }
  }
}

/**
 * Removes the private directories of `tokendeck exec` processes that no longer exist (killed
 * with SIGKILL). Only directories of ours (same uid, not symlinks) whose pid is gone.
 */
export function sweepStaleDirs(base = privateDirBase()): void {
  if (typeof process.getuid !== 'function') return
  const uid = process.getuid()
  let names: string[]
  try {
    names = readdirSync(base)
  } catch {
    return
  }
  for (const name of names) {
    const m = /^tokendeck-exec-(\d+)-[A-Za-z0-9]{6}$/.exec(name)
    if (!m) continue
    const pid = Number(m[1])
    if (pid === process.pid || isAlive(pid)) continue
    const full = path.join(base, name)
    try {
      const st = lstatSync(full)
      if (!st.isDirectory() || st.uid !== uid) continue
      rmSync(full, { recursive: true, force: true })
    } catch {
      // someone else's, or already gone
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it exists but is not ours to signal.
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}
