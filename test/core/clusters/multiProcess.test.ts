/**
 * Several processes on one data directory (the app, the CLI in three terminals, scripts): real
 * child processes (worker.ts) that each open the registry first, so each holds a copy the others
 * make stale, then act at the same moment (a barrier on stdin).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ClusterRegistry, type RegistryChange } from '../../../src/main/core/clusters/registry'
import { FILE_NAME } from '../../../src/main/core/clusters/registryFile'

const repo = path.resolve(import.meta.dirname, '../../..')
const workerScript = path.join(import.meta.dirname, 'worker.ts')
const FP = Array.from({ length: 32 }, () => 'AB').join(':')

/** What worker.ts prints: a result, or the error it met. */
interface Reply {
  ok: boolean
  id?: string
  created?: boolean
  code?: string
  message?: string
}

interface Worker {
  /** Resolves once the worker has done its setup and waits for `go`. */
  ready: Promise<void>
  go(): void
  /** Its JSON reply, once it has exited. */
  done: Promise<Reply>
}

function startWorker(...args: string[]): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript, ...args], {
    cwd: repo,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let onReady: () => void = () => undefined
  const ready = new Promise<void>((resolve) => (onReady = resolve))
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString()
    if (stdout.startsWith('ready\n')) onReady()
  })
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const done = new Promise<Reply>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => {
      const line = stdout.replace(/^ready\n/, '').trim()
      if (code !== 0 || line === '') {
        reject(new Error(`worker ${args.join(' ')} exited ${code}: ${stderr}${stdout}`))
      } else resolve(JSON.parse(line) as Reply)
    })
  })
  // A worker that dies before it is ready must fail the test, not hang it.
  const readyOrDied = Promise.race([ready, done.then(() => undefined)])
  return { ready: readyOrDied, go: () => child.stdin.end('go\n'), done }
}

/** Start workers, wait until every one is set up, release them together, collect replies. */
async function runTogether(argsList: string[][]): Promise<Reply[]> {
  const workers = argsList.map((args) => startWorker(...args))
  await Promise.all(workers.map((w) => w.ready))
  for (const w of workers) w.go()
  return Promise.all(workers.map((w) => w.done))
}

let dir: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'td-multiproc-'))
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

const readClusters = async (): Promise<Array<{ id: string; name: string }>> =>
  (JSON.parse(await fs.readFile(path.join(dir, FILE_NAME), 'utf8')) as { clusters: [] }).clusters

describe('several processes on one data directory', () => {
  it('8 processes adding at once: all 8 clusters are in the file, with distinct ids', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `Cluster ${i}`)
    const replies = await runTogether(names.map((name) => ['add', dir, name]))
    expect(replies.every((r) => r.ok)).toBe(true)
    const clusters = await readClusters()
    expect(clusters.map((c) => c.name).sort()).toEqual(names)
    expect(new Set(clusters.map((c) => c.id)).size).toBe(8)
    expect(clusters.map((c) => c.id).sort()).toEqual(replies.map((r) => r.id).sort())
    // Every lock was released.
    expect(await fs.readdir(dir)).toEqual([FILE_NAME])
  }, 60_000)

  it('2 processes adding the same name: exactly one succeeds, the other is told it exists', async () => {
    const replies = await runTogether([
      ['add', dir, 'dup'],
      ['add', dir, 'dup'],
    ])
    const won = replies.filter((r) => r.ok)
    const lost = replies.filter((r) => !r.ok)
    expect(won).toHaveLength(1)
    expect(lost).toEqual([
      {
        ok: false,
        code: 'INVALID_INPUT',
        message: `A cluster named "dup" already exists (id ${won[0]!.id}); choose another name.`,
      },
    ])
    expect((await readClusters()).map((c) => c.name)).toEqual(['dup'])
  }, 60_000)

  it("a process's settings save does not erase a cluster another process added after it opened", async () => {
    const app = await ClusterRegistry.open({ dir })
    const mine = await app.add({
      vendor: 'qumulo',
      name: 'Mine',
      url: 'https://qumulo.example.com:8000',
      username: 'admin',
      trust: { sha256: FP },
    })
    const heard: RegistryChange[] = []
    app.onChange((e) => heard.push(e))

    // The CLI, in another process, adds a cluster; the app has not looked since.
    const [cli] = await runTogether([['add', dir, 'From the CLI']])
    expect(cli).toMatchObject({ ok: true })
    expect(app.list().map((c) => c.name)).toEqual(['Mine'])

    await app.updateSettings({ theme: 'dark' })
    const onDisk = await readClusters()
    expect(onDisk.map((c) => c.name)).toEqual(['Mine', 'From the CLI'])
    expect(onDisk[1]!.id).toBe(cli!.id)
    // The app adopted what it found, and said so before its own change.
    expect(app.list().map((c) => c.id)).toEqual([mine.id, cli!.id])
    expect(heard.map((e) => e.kind)).toEqual(['cluster-added', 'settings-updated'])
    expect((await ClusterRegistry.open({ dir })).getSettings().theme).toBe('dark')
  }, 60_000)

  it('8 processes creating the profile id at once all get the same id, and one created it', async () => {
    const profileDir = path.join(dir, 'fresh', 'Tokendeck')
    const replies = await runTogether(Array.from({ length: 8 }, () => ['profile', profileDir]))
    expect(replies.every((r) => r.ok)).toBe(true)
    const ids = new Set(replies.map((r) => r.id))
    expect(ids.size).toBe(1)
    expect(replies.filter((r) => r.created === true)).toHaveLength(1)
    const onDisk = JSON.parse(await fs.readFile(path.join(profileDir, 'profile.json'), 'utf8'))
    expect(onDisk).toEqual({ version: 1, id: [...ids][0] })
    // No temp file left behind.
    expect(await fs.readdir(profileDir)).toEqual(['profile.json'])
  }, 60_000)
})
