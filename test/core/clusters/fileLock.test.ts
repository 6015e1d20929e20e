/**
 * The cross-process lock (fileLock.ts) and the registry's use of it: mutual exclusion, waiting,
 * a clear error when the wait is too long, and locks abandoned by dead processes being cleared.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { acquireFileLock, withFileLock } from '../../../src/main/core/clusters/fileLock'
import { ClusterRegistry, LOCK_FILE_NAME } from '../../../src/main/core/clusters/registry'

const FP = Array.from({ length: 32 }, () => 'CD').join(':')
const input = (name: string) =>
  ({
    vendor: 'weka',
    name,
    url: 'https://weka.example.com:14000',
    username: 'admin',
    trust: { sha256: FP },
  }) as const

let dir: string
let lock: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'td-lock-'))
  lock = path.join(dir, LOCK_FILE_NAME)
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

/** The pid of a process that has exited (and been reaped): nothing runs under it now. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((resolve) => child.on('exit', resolve))
  return child.pid!
}

const holder = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    pid: process.pid,
    hostname: os.hostname(),
    createdAt: new Date().toISOString(),
    nonce: 'test',
    ...over,
  })

describe('fileLock', () => {
  it('lets one holder in at a time and leaves nothing behind', async () => {
    let inside = 0
    let most = 0
    let done = 0
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(lock, async () => {
          inside++
          most = Math.max(most, inside)
          // Give the others every chance to barge in.
          await fs.readdir(dir)
          await new Promise((r) => setImmediate(r))
          inside--
          done++
        }),
      ),
    )
    expect(most).toBe(1)
    expect(done).toBe(20)
    expect(await fs.readdir(dir)).toEqual([])
  })

  it('records who holds it, and a waiter gets it as soon as it is released', async () => {
    const release = await acquireFileLock(lock)
    expect(JSON.parse(await fs.readFile(lock, 'utf8'))).toMatchObject({
      pid: process.pid,
      hostname: os.hostname(),
      createdAt: expect.any(String),
    })
    if (process.platform !== 'win32') expect((await fs.stat(lock)).mode & 0o777).toBe(0o600)
    let got = false
    const waiter = acquireFileLock(lock).then((r) => {
      got = true
      return r
    })
    // Some I/O turns later it is still waiting: the lock is held.
    await fs.readFile(lock)
    expect(got).toBe(false)
    await release()
    const second = await waiter
    expect(got).toBe(true)
    await second()
    expect(await fs.readdir(dir)).toEqual([])
  })

  it('gives up after waitMs with BUSY naming the lock file and the holder pid', async () => {
    const release = await acquireFileLock(lock)
    const started = Date.now()
    const error = await acquireFileLock(lock, { waitMs: 150 }).catch((e: unknown) => e)
    expect(Date.now() - started).toBeGreaterThanOrEqual(150)
    expect(error).toMatchObject({
      code: 'BUSY',
      message: expect.stringContaining(lock),
    })
    expect((error as Error).message).toContain(`held by process ${process.pid} on this computer`)
    await release()
  })

  it('clears a lock left by a process that no longer exists', async () => {
    const pid = await deadPid()
    await fs.writeFile(lock, holder({ pid }))
    const started = Date.now()
    const release = await acquireFileLock(lock, { waitMs: 5_000 })
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(JSON.parse(await fs.readFile(lock, 'utf8'))).toMatchObject({ pid: process.pid })
    await release()
    expect(await fs.readdir(dir)).toEqual([])
  })

  it('clears a lock older than staleMs even when its holder cannot be checked (another host)', async () => {
    const old = new Date(Date.now() - 60_000).toISOString()
    await fs.writeFile(lock, holder({ hostname: 'elsewhere.example', pid: 1, createdAt: old }))
    const release = await acquireFileLock(lock, { waitMs: 2_000 })
    await release()
    expect(await fs.readdir(dir)).toEqual([])
  })

  it('respects a fresh lock held on another host', async () => {
    await fs.writeFile(lock, holder({ hostname: 'elsewhere.example', pid: 4242 }))
    await expect(acquireFileLock(lock, { waitMs: 100 })).rejects.toMatchObject({
      code: 'BUSY',
      message: expect.stringContaining('held by process 4242 on elsewhere.example'),
    })
    expect(await fs.readFile(lock, 'utf8')).toContain('elsewhere.example')
  })

  it('a half-written lock (no holder yet) is waited for while young, cleared once old', async () => {
    await fs.writeFile(lock, '')
    await expect(acquireFileLock(lock, { waitMs: 100 })).rejects.toMatchObject({
      message: expect.stringContaining('held by an unknown process'),
    })
    const old = new Date(Date.now() - 60_000)
    await fs.utimes(lock, old, old)
    const release = await acquireFileLock(lock, { waitMs: 2_000 })
    await release()
    expect(await fs.readdir(dir)).toEqual([])
  })

  it('a taker killed at any moment never leaves a lock that blocks the next one (no empty lock)', async () => {
    const lockModule = pathToFileURL(
      path.resolve(import.meta.dirname, '../../../src/main/core/clusters/fileLock.ts'),
    ).href
    const script = path.join(dir, 'lock-loop.mts')
    await fs.writeFile(
      script,
      `import { acquireFileLock } from ${JSON.stringify(lockModule)}
for (let i = 0; ; i++) {
  const release = await acquireFileLock(process.argv[2])
  await release()
  if (i === 0) process.stdout.write('locked\\n')
}
`,
    )
    // Watched from outside while a taker loops: the lock is never seen without its holder.
    const looping = spawn(process.execPath, ['--import', 'tsx', script, lock], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let gone = false
    const loopingExited = new Promise((resolve) =>
      looping.on('exit', (code) => {
        gone = true
        resolve(code)
      }),
    )
    await new Promise<void>((resolve) => looping.stdout.on('data', () => resolve()))
    let seen = 0
    const empty: string[] = []
    while (seen < 300 && !gone) {
      const now = await fs.readFile(lock, 'utf8').catch(() => undefined)
      if (now === undefined) continue
      seen++
      if (now === '') empty.push(now)
    }
    expect(gone).toBe(false) // it was still taking the lock when the reads were done
    looping.kill('SIGKILL')
    await loopingExited
    expect(empty).toHaveLength(0)
    await fs.rm(lock, { force: true })

    for (const delayMs of [0, 1, 3, 7, 13, 29]) {
      const child = spawn(process.execPath, ['--import', 'tsx', script, lock], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      const exited = new Promise((resolve) => child.on('exit', resolve))
      await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()))
      await new Promise((r) => setTimeout(r, delayMs))
      child.kill('SIGKILL')
      await exited
      // Whatever the moment, a lock left behind names its (dead) holder: cleared at once, not
      // after the 30 s age. A wait far shorter than that proves it.
      const left = await fs.readFile(lock, 'utf8').catch(() => undefined)
      if (left !== undefined) expect(JSON.parse(left)).toMatchObject({ pid: child.pid })
      const release = await acquireFileLock(lock, { waitMs: 5_000 })
      await release()
    }
  })

  it('clears the temporary files a killed taker left beside the lock once they are old, never a young one', async () => {
    const abandoned = [`${lock}.99999.a1b2c3d4e5f6.tmp`, `${lock}.99999-a1b2c3d4e5f6.removing`]
    const young = `${lock}.99998.0a1b2c3d4e5f.tmp`
    const unrelated = path.join(dir, 'clusters.json.tmp')
    const old = new Date(Date.now() - 60_000)
    for (const f of [...abandoned, young, unrelated]) await fs.writeFile(f, holder())
    for (const f of [...abandoned, unrelated]) await fs.utimes(f, old, old)
    const release = await acquireFileLock(lock, { staleMs: 30_000 })
    await release()
    // Someone else's young record may be about to become the lock; files not of this lock are not ours.
    expect((await fs.readdir(dir)).sort()).toEqual(
      [path.basename(young), path.basename(unrelated)].sort(),
    )
  })

  it('works where the file system has no hard links (exclusive create, then write)', async () => {
    const link = vi
      .spyOn(fs, 'link')
      .mockRejectedValue(Object.assign(new Error('no hard links here'), { code: 'EPERM' }))
    try {
      const release = await acquireFileLock(lock)
      expect(JSON.parse(await fs.readFile(lock, 'utf8'))).toMatchObject({ pid: process.pid })
      await expect(acquireFileLock(lock, { waitMs: 50 })).rejects.toMatchObject({ code: 'BUSY' })
      await release()
      expect(link).toHaveBeenCalled()
      expect(await fs.readdir(dir)).toEqual([])
    } finally {
      link.mockRestore()
    }
  })

  it('a file system refusal is INTERNAL naming the lock file', async () => {
    await fs.writeFile(path.join(dir, 'a-file'), '')
    const blocked = path.join(dir, 'a-file', LOCK_FILE_NAME)
    await expect(acquireFileLock(blocked)).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining(`Could not take the lock ${blocked} (`),
    })
  })

  it('release removes only its own lock (not one someone else took over meanwhile)', async () => {
    const release = await acquireFileLock(lock)
    // As if ours had been judged stale and another process had taken the path.
    const theirs = holder({ pid: 4242, nonce: 'theirs' })
    await fs.rm(lock)
    await fs.writeFile(lock, theirs)
    await release()
    expect(await fs.readFile(lock, 'utf8')).toBe(theirs)
    expect(await fs.readdir(dir)).toEqual([LOCK_FILE_NAME])
  })
})

describe('the registry under the lock', () => {
  it('a lock left by a dead process is cleared and the mutation succeeds', async () => {
    const reg = await ClusterRegistry.open({ dir })
    await fs.writeFile(lock, holder({ pid: await deadPid() }))
    const started = Date.now()
    const added = await reg.add(input('After a crash'))
    expect(Date.now() - started).toBeLessThan(2_000)
    expect((await ClusterRegistry.open({ dir })).get(added.id).name).toBe('After a crash')
    expect(await fs.readdir(dir)).toEqual(['clusters.json'])
  })

  it('a lock held too long fails the mutation clearly and changes nothing', async () => {
    const reg = await ClusterRegistry.open({ dir, lock: { waitMs: 100 } })
    const release = await acquireFileLock(lock)
    await expect(reg.add(input('Blocked'))).rejects.toMatchObject({
      code: 'BUSY',
      message: expect.stringMatching(
        /waiting for the lock .*clusters\.json\.lock, held by process/,
      ),
    })
    expect(reg.list()).toEqual([])
    await release()
    // The queue is not stuck: the next mutation goes through.
    await expect(reg.add(input('Unblocked'))).resolves.toMatchObject({ name: 'Unblocked' })
  })

  it('mutations of two registries in one process on one directory never lose each other', async () => {
    const a = await ClusterRegistry.open({ dir })
    const b = await ClusterRegistry.open({ dir })
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).add(input(`Cluster ${i}`))),
    )
    const names = (await ClusterRegistry.open({ dir })).list().map((c) => c.name)
    expect(names.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Cluster ${i}`))
  })
})
