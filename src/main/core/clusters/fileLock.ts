/**
 * A cross-process exclusive lock on a file path, for short critical sections (a read-modify-write
 * of clusters.json takes milliseconds) shared by the app, CLIs in several terminals and scripts.
 *
 * Node has no flock and we use no native modules, so the lock is a file created exclusively
 * holding `{ pid, hostname, createdAt, nonce }`: written whole under a name of its own, then
 * hard-linked to the lock path (`link` fails with EEXIST when the lock exists: exactly one
 * creator wins, on every OS and on local file systems), so the lock never exists empty. Where
 * the file system has no hard links, `open(…, 'wx')` then a write. The holder removes it when
 * done, in `finally`.
 *
 * A holder that died without removing it (SIGKILL, power loss) must not block everyone forever,
 * so a lock is stale when its holder is on this host and no longer exists (`kill(pid, 0)` →
 * ESRCH), or when it is older than `staleMs` (30 s, thousands of times the longest critical
 * section; this also covers holders on other hosts and pids that were reused). Clearing a stale
 * lock must itself be race-free, because two waiters may judge the same lock stale at once: see
 * `removeIfSame`.
 *
 * Waiting is polling with short randomized backoff (so waiters do not retry in lockstep) up to
 * `waitMs` (10 s), then a TokendeckError naming the lock file and its holder.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { TokendeckError } from '../../../shared/errors'
import { errnoCode } from './atomicFile'

export interface LockOptions {
  /** How long to wait for a lock someone else holds before giving up (ms, default 10 000). */
  waitMs?: number
  /** Age after which a lock is taken to be abandoned whoever holds it (ms, default 30 000). */
  staleMs?: number
}

export const DEFAULT_LOCK_WAIT_MS = 10_000
export const DEFAULT_LOCK_STALE_MS = 30_000

/** What a lock file says about its holder. */
export interface LockHolder {
  pid: number
  hostname: string
  createdAt: string
  /** Random: makes every lock file's content unique, so "the same lock" can be told by content. */
  nonce: string
}

/** A lock file as seen at one moment: enough to recognise it later. */
interface Seen {
  content: string
  ino: number
  mtimeMs: number
  holder: LockHolder | undefined
}

/** Run `fn` holding the lock at `lockPath`; the lock is released however `fn` ends. */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const release = await acquireFileLock(lockPath, options)
  try {
    return await fn()
  } finally {
    // Best effort: `fn`'s outcome (a save that happened) must not turn into a failure here. A
    // lock we failed to remove is cleared as stale once this process exits, or after staleMs.
    await release().catch(() => undefined)
  }
}

/**
 * Take the lock at `lockPath` (creating its directory, 0700, if needed) and return the function
 * that releases it. @throws TokendeckError INTERNAL when it stays held for `waitMs`, or when the
 * file system refuses (e.g. EACCES), naming the lock file.
 */
export async function acquireFileLock(
  lockPath: string,
  options: LockOptions = {},
): Promise<() => Promise<void>> {
  try {
    return await acquire(lockPath, options)
  } catch (e) {
    if (e instanceof TokendeckError) throw e
    throw new TokendeckError(
      'INTERNAL',
      `Could not take the lock ${lockPath} (${errnoCode(e) ?? String(e)}).`,
      { cause: e },
    )
  }
}

async function acquire(lockPath: string, options: LockOptions): Promise<() => Promise<void>> {
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS
  const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS
  const deadline = Date.now() + waitMs
  await fs.mkdir(path.dirname(lockPath), { recursive: true, mode: 0o700 })
  let backoffMs = 2
  for (;;) {
    const content = JSON.stringify({
      pid: process.pid,
      hostname: os.hostname(),
      createdAt: new Date().toISOString(),
      nonce: randomBytes(8).toString('hex'),
    } satisfies LockHolder)
    if (await tryCreate(lockPath, content)) {
      await sweepAbandoned(lockPath, staleMs)
      return async () => {
        // Remove only our own lock: if ours was (wrongly) judged stale and someone else holds
        // the path now, deleting it would let a third process in beside them.
        await removeIfSame(lockPath, (seen) => seen.content === content)
      }
    }
    const seen = await inspect(lockPath)
    // Released between our attempt and our look: try again at once.
    if (seen === undefined) continue
    if (isStale(seen, staleMs)) {
      await removeIfSame(lockPath, (now) => now.ino === seen.ino && now.content === seen.content)
      continue
    }
    if (Date.now() >= deadline) throw timedOut(lockPath, seen, waitMs)
    // Randomized (50–100 % of the step) so that waiters spread out; capped so a released lock
    // is noticed quickly.
    await sleep(backoffMs * (0.5 + Math.random() / 2))
    backoffMs = Math.min(backoffMs * 2, 100)
  }
}

/**
 * Create the lock file exclusively with `content`, which it has from its first moment. False
 * when it already exists.
 *
 * Created empty and then written, a lock whose creator was killed in between (SIGKILL, power
 * loss) names no holder: only its age (30 s) could clear it, and every other process timed out
 * waiting (test/core/clusters/crash.test.ts caught it). A hard link of a file already written
 * appears whole or not at all; killed before `rm`, it leaves only the small temporary file.
 */
async function tryCreate(lockPath: string, content: string): Promise<boolean> {
  const whole = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  await fs.writeFile(whole, content, { encoding: 'utf8', mode: 0o600, flag: 'wx' })
  try {
    await fs.link(whole, lockPath)
    return true
  } catch (e) {
    const code = errnoCode(e)
    if (code === 'EEXIST') return false
    if (!NO_HARD_LINKS.has(code ?? '')) throw e
  } finally {
    await fs.rm(whole, { force: true }).catch(() => undefined)
  }
  return createInPlace(lockPath, content)
}

/**
 * Remove what a taker killed mid-way left beside the lock: its `*.tmp` record (tryCreate) or a
 * `*.removing` lock it had renamed aside (removeIfSame). Each lives a few ms while its maker
 * runs, so one older than `staleMs` is abandoned, whichever host made it. Best effort: the
 * lock is already ours, and a file we cannot remove harms nobody.
 */
async function sweepAbandoned(lockPath: string, staleMs: number): Promise<void> {
  const dir = path.dirname(lockPath)
  const prefix = `${path.basename(lockPath)}.`
  const names = await fs.readdir(dir).catch(() => [] as string[])
  for (const name of names) {
    if (!name.startsWith(prefix) || !(name.endsWith('.tmp') || name.endsWith('.removing'))) continue
    const file = path.join(dir, name)
    const stat = await fs.stat(file).catch(() => undefined)
    if (stat && Date.now() - stat.mtimeMs > staleMs)
      await fs.rm(file, { force: true }).catch(() => undefined)
  }
}

/** What `link` fails with on a file system without hard links (FAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'])

/** tryCreate where hard links are missing: exclusive create, then write (may exist empty). */
async function createInPlace(lockPath: string, content: string): Promise<boolean> {
  let handle: fs.FileHandle
  try {
    handle = await fs.open(lockPath, 'wx', 0o600)
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') return false
    throw e
  }
  try {
    await handle.writeFile(content, 'utf8')
  } catch (e) {
    // A lock we could not describe (disk full) is not one we hold: take it back.
    await handle.close().catch(() => undefined)
    await fs.rm(lockPath, { force: true }).catch(() => undefined)
    throw e
  }
  await handle.close()
  return true
}

/** The lock file at `file` now (content and inode read through one handle), or undefined if none. */
async function inspect(file: string): Promise<Seen | undefined> {
  let handle: fs.FileHandle
  try {
    handle = await fs.open(file, 'r')
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return undefined
    throw e
  }
  try {
    const stat = await handle.stat()
    const content = await handle.readFile('utf8')
    return { content, ino: stat.ino, mtimeMs: stat.mtimeMs, holder: parseHolder(content) }
  } finally {
    await handle.close()
  }
}

function parseHolder(content: string): LockHolder | undefined {
  try {
    const v = JSON.parse(content) as Partial<LockHolder> | null
    if (
      typeof v === 'object' &&
      v !== null &&
      Number.isSafeInteger(v.pid) &&
      (v.pid ?? 0) > 0 &&
      typeof v.hostname === 'string' &&
      typeof v.createdAt === 'string'
    ) {
      return v as LockHolder
    }
  } catch {
    // An empty or half-written file (its creator is between open and write, or died there).
  }
  return undefined
}

function isStale(seen: Seen, staleMs: number): boolean {
  const { holder } = seen
  if (holder !== undefined && holder.hostname === os.hostname() && !processExists(holder.pid)) {
    return true
  }
  // Without a readable holder (half-written file) only its age can tell.
  const created = holder !== undefined ? Date.parse(holder.createdAt) : NaN
  const since = Number.isFinite(created) ? created : seen.mtimeMs
  return Date.now() - since > staleMs
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it exists but belongs to someone else. Only ESRCH says it is gone.
    return errnoCode(e) !== 'ESRCH'
  }
}

/**
 * Delete the lock at `lockPath` if, and only if, it is the one `isIt` recognises. There is no
 * atomic compare-and-delete on files, so: rename whatever is there to a name unique to us (atomic:
 * from then on nobody else can touch it), inspect what we got, and delete it if it is the one we
 * meant. If it is not (someone cleared the stale lock and took a fresh one between our look and
 * our rename), put it back with `link`, which never replaces an existing file, so its holder
 * keeps its lock; if even that fails (a third process created a lock meanwhile) there is nothing
 * safe left to do and the caller simply tries again.
 */
async function removeIfSame(lockPath: string, isIt: (seen: Seen) => boolean): Promise<void> {
  const aside = `${lockPath}.${process.pid}-${randomBytes(6).toString('hex')}.removing`
  try {
    await fs.rename(lockPath, aside)
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return // already gone
    throw e
  }
  try {
    const moved = await inspect(aside)
    if (moved !== undefined && !isIt(moved)) {
      await fs.link(aside, lockPath).catch(() => undefined)
    }
  } finally {
    await fs.rm(aside, { force: true })
  }
}

function timedOut(lockPath: string, seen: Seen, waitMs: number): TokendeckError {
  const h = seen.holder
  const who =
    h === undefined
      ? 'by an unknown process'
      : `by process ${h.pid} on ${h.hostname === os.hostname() ? 'this computer' : h.hostname} since ${h.createdAt}`
  return new TokendeckError(
    'BUSY',
    `Timed out after ${Math.round(waitMs / 1000)} s waiting for the lock ${lockPath}, held ${who}. ` +
      `Another Tokendeck is changing the cluster list; try again. If that process is stuck, stop it, ` +
      `or delete the lock file if no Tokendeck is running.`,
  )
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
