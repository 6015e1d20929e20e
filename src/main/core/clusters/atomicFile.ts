/**
 * File mechanics for the config file, kept apart from what the file means: read-if-present,
 * crash-safe replace, and moving a bad file aside without ever destroying its bytes.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'

/** The file's text, or undefined when it does not exist. Any other failure is thrown. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined
    throw e
  }
}

export interface WriteOptions {
  /** Mode of the written file (default 0600: only the user may read their cluster list). */
  mode?: number
  /** Mode for the directory if it has to be created (default 0700). */
  dirMode?: number
}

/**
 * Replace `file` with `data` so that a reader (or the next start after a crash or power loss)
 * sees either the old content or the new, never a mix: write a uniquely named temp file in the
 * same directory (a rename is only atomic within one file system), fsync it, rename it over the
 * target, then fsync the directory so the rename itself is durable.
 */
export async function writeFileAtomic(
  file: string,
  data: string,
  options: WriteOptions = {},
): Promise<void> {
  const mode = options.mode ?? 0o600
  const dir = path.dirname(file)
  // Only a directory we create gets 0700; an existing one (perhaps a TOKENDECK_HOME the user
  // chose, even /tmp) is not ours to re-permission.
  await fs.mkdir(dir, { recursive: true, mode: options.dirMode ?? 0o700 })

  // pid + random: two processes (app and CLI) or two registries never pick the same name.
  const temp = path.join(
    dir,
    `${path.basename(file)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`,
  )
  try {
    // 'wx': fail rather than write through something already at that name (e.g. a symlink).
    const handle = await fs.open(temp, 'wx', mode)
    try {
      // The umask may have narrowed the mode but never widened it; chmod makes it exact.
      await handle.chmod(mode)
      await handle.writeFile(data, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await fs.rename(temp, file)
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined)
    throw e
  }
  await syncDirectory(dir)
}

/**
 * Make a rename in `dir` durable. Best effort: Windows cannot open a directory for fsync, and
 * some file systems refuse it; the content is already safely in place by then.
 */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  let handle: fs.FileHandle | undefined
  try {
    handle = await fs.open(dir, 'r')
    await handle.sync()
  } catch {
    // Durability of the directory entry is a bonus, not a reason to fail a save that succeeded.
  } finally {
    await handle?.close().catch(() => undefined)
  }
}

/** UTC timestamp in the compact ISO 8601 basic form used for moved-aside files: 20261123T091500Z. */
export function compactUtcStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')
}

/**
 * Move a file (or whatever sits at that path) aside to `<file>.corrupt-<stamp>`, never replacing
 * an earlier moved-aside file: a second problem within the same second gets `-2`, `-3`, ….
 * Returns the new path. A rename keeps the original bytes exactly, for the user to inspect or fix.
 */
export async function moveAside(file: string, now: Date): Promise<string> {
  const base = `${file}.corrupt-${compactUtcStamp(now)}`
  for (let n = 1; ; n++) {
    const target = n === 1 ? base : `${base}-${n}`
    // Check first because rename would silently replace an existing file on POSIX. The window
    // between check and rename only matters if two processes quarantine in the same second.
    if (await exists(target)) continue
    await fs.rename(file, target)
    return target
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p)
    return true
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return false
    throw e
  }
}

/** The Node errno code ('ENOENT', 'EACCES', …) of an error, if it has one. */
export function errnoCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string')
    return e.code
  return undefined
}
