/**
 * Picking up other processes' changes: `reload` and `watch` adopt what is on disk and announce
 * the differences as ordinary change events; a file broken after open is never overwritten.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  ClusterRegistry,
  type ClusterInput,
  type RegistryChange,
} from '../../../src/main/core/clusters/registry'
import type { TokendeckError } from '../../../src/shared/errors'

const FP = Array.from({ length: 32 }, () => 'EF').join(':')
const swarm = (name: string): ClusterInput => ({
  vendor: 'swarm',
  name,
  url: 'https://swarm.example.com',
  username: 'ops',
  trust: { sha256: FP },
})

let dir: string
let file: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'td-reload-'))
  file = path.join(dir, 'clusters.json')
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

/** Everything `reg` announces, and a way to wait for the next announcement of a kind. */
function listen(reg: ClusterRegistry) {
  const events: RegistryChange[] = []
  const waiters: Array<{ kind: RegistryChange['kind']; resolve: (e: RegistryChange) => void }> = []
  reg.onChange((e) => {
    events.push(e)
    const i = waiters.findIndex((w) => w.kind === e.kind)
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(e)
  })
  const next = (kind: RegistryChange['kind']) =>
    new Promise<RegistryChange>((resolve) => waiters.push({ kind, resolve }))
  return { events, next }
}

describe('reload', () => {
  it("makes one registry's changes visible to another, with the same events", async () => {
    const app = await ClusterRegistry.open({ dir })
    const cli = await ClusterRegistry.open({ dir })
    const { events } = listen(app)

    const a = await cli.add(swarm('A'))
    const b = await cli.add(swarm('B'))
    await cli.updateSettings({ clipboardClearSeconds: 5 })
    expect(app.list()).toEqual([])
    await app.reload()
    expect(app.list()).toEqual([a, b])
    expect(app.getSettings().clipboardClearSeconds).toBe(5)
    expect(events).toEqual([
      { kind: 'cluster-added', cluster: a },
      { kind: 'cluster-added', cluster: b },
      {
        kind: 'settings-updated',
        settings: app.getSettings(),
        previous: expect.objectContaining({ clipboardClearSeconds: 30 }),
      },
    ])

    events.length = 0
    const renamed = await cli.update(a.id, { name: 'A2' })
    await cli.remove(b.id)
    await app.reload()
    expect(events).toEqual([
      { kind: 'cluster-updated', cluster: renamed, previous: a },
      { kind: 'cluster-removed', cluster: b },
    ])
    expect(app.list()).toEqual(cli.list())

    // Nothing new on disk: nothing to say.
    events.length = 0
    await app.reload()
    expect(events).toEqual([])
  })

  it('a file broken by someone else is reported, not adopted, and not touched', async () => {
    const problems: TokendeckError[] = []
    const reg = await ClusterRegistry.open({ dir, onProblem: (p) => problems.push(p) })
    const kept = await reg.add(swarm('Kept'))
    const { events } = listen(reg)
    await fs.writeFile(file, '{ "version": 1, "clusters": [')
    await expect(reg.reload()).resolves.toBeUndefined()
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({
      code: 'CONFIG_CORRUPT',
      message: expect.stringContaining(file),
    })
    expect(reg.list()).toEqual([kept])
    expect(events).toEqual([])
    expect(await fs.readFile(file, 'utf8')).toBe('{ "version": 1, "clusters": [')
  })

  it('a deleted file means no clusters any more', async () => {
    const reg = await ClusterRegistry.open({ dir })
    const gone = await reg.add(swarm('Gone'))
    const { events } = listen(reg)
    await fs.rm(file)
    await reg.reload()
    expect(reg.list()).toEqual([])
    expect(events).toEqual([{ kind: 'cluster-removed', cluster: gone }])
  })
})

describe('a file broken after open, at mutation time', () => {
  it.each([
    ['invalid JSON', '{ not json'],
    ['a newer version', JSON.stringify({ version: 2, clusters: [] })],
  ])('%s: the mutation fails with CONFIG_CORRUPT and the file is left as it is', async (_, bad) => {
    const reg = await ClusterRegistry.open({ dir })
    const kept = await reg.add(swarm('Kept'))
    await fs.writeFile(file, bad)
    for (const attempt of [
      reg.add(swarm('New')),
      reg.update(kept.id, { name: 'Renamed' }),
      reg.remove(kept.id),
      reg.updateSettings({ theme: 'dark' }),
    ]) {
      await expect(attempt).rejects.toMatchObject({
        code: 'CONFIG_CORRUPT',
        message: expect.stringContaining(`The cluster list ${file}`),
      })
    }
    expect(await fs.readFile(file, 'utf8')).toBe(bad)
    expect((await fs.readdir(dir)).sort()).toEqual(['clusters.json'])
    expect(reg.list()).toEqual([kept])
  })
})

describe('watch', () => {
  it('picks up changes from another registry by itself', async () => {
    const app = await ClusterRegistry.open({ dir })
    const cli = await ClusterRegistry.open({ dir })
    const { events, next } = listen(app)
    const stop = app.watch()
    try {
      const mine = await app.add(swarm('Mine'))
      const added = next('cluster-added')
      const theirs = await cli.add(swarm('Theirs'))
      // The app's own save may also wake the watcher: it must not be announced twice.
      await expect(added).resolves.toEqual({ kind: 'cluster-added', cluster: theirs })
      const removed = next('cluster-removed')
      await cli.remove(mine.id)
      await expect(removed).resolves.toEqual({ kind: 'cluster-removed', cluster: mine })
      expect(events.map((e) => e.kind)).toEqual([
        'cluster-added',
        'cluster-added',
        'cluster-removed',
      ])
      expect(app.list()).toEqual([theirs])
    } finally {
      stop()
    }
  }, 15_000)

  it('reports a file broken by someone else through onProblem, and keeps going', async () => {
    let problem: (p: TokendeckError) => void = () => undefined
    const reported = new Promise<TokendeckError>((resolve) => (problem = resolve))
    const app = await ClusterRegistry.open({ dir, onProblem: (p) => problem(p) })
    const cli = await ClusterRegistry.open({ dir })
    const { next } = listen(app)
    const stop = app.watch()
    try {
      await fs.writeFile(file, 'garbage')
      await expect(reported).resolves.toMatchObject({ code: 'CONFIG_CORRUPT' })
      // Fixed again: the watcher still works.
      await fs.rm(file)
      const added = next('cluster-added')
      const c = await cli.add(swarm('Back'))
      await expect(added).resolves.toMatchObject({ cluster: c })
    } finally {
      stop()
    }
  }, 15_000)

  it('a directory that cannot be watched is reported, never thrown', async () => {
    const notADir = path.join(dir, 'not-a-dir')
    await fs.writeFile(notADir, 'x')
    const problems: TokendeckError[] = []
    const reg = await ClusterRegistry.open({ dir: notADir, onProblem: (p) => problems.push(p) })
    const stop = reg.watch()
    expect(problems).toHaveLength(1)
    expect(problems[0]!.message).toContain(`Cannot watch ${notADir}`)
    stop()
  })
})
