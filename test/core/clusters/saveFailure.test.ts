/**
 * A save that fails at the last step (the rename over clusters.json), injected by wrapping
 * node:fs/promises: the previous file must stay intact, the temp file must go, memory must not
 * run ahead of the disk, and the next save must work.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ClusterRegistry } from '../../../src/main/core/clusters/registry'
import type { RegistryChange } from '../../../src/main/core/clusters/registry'

const fault = vi.hoisted(() => ({ failRename: false }))

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>()
  const rename: typeof actual.rename = async (from, to) => {
    // Only the save's last step (the rename over clusters.json) fails, not the lock's renames.
    if (fault.failRename && String(to).endsWith('clusters.json'))
      throw Object.assign(new Error('injected rename failure'), { code: 'EIO' })
    return actual.rename(from, to)
  }
  return { ...actual, rename, default: { ...actual, rename } }
})

let dir: string
let file: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'td-savefail-'))
  file = path.join(dir, 'clusters.json')
})
afterEach(async () => {
  fault.failRename = false
  await fs.rm(dir, { recursive: true, force: true })
})

const FP = Array.from({ length: 32 }, () => '9A').join(':')
const input = (name: string) =>
  ({
    vendor: 'swarm',
    name,
    url: 'https://swarm.example.com',
    username: 'u',
    trust: { sha256: FP },
  }) as const

describe('a save that fails mid-way', () => {
  it('keeps the previous file, leaves no temp file, changes nothing in memory, and recovers', async () => {
    const reg = await ClusterRegistry.open({ dir })
    const first = await reg.add(input('First'))
    const before = await fs.readFile(file, 'utf8')
    const events: RegistryChange[] = []
    reg.onChange((e) => events.push(e))

    fault.failRename = true
    await expect(reg.add(input('Second'))).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('Could not save the cluster list'),
    })
    await expect(reg.remove(first.id)).rejects.toMatchObject({ code: 'INTERNAL' })

    expect(await fs.readFile(file, 'utf8')).toBe(before)
    expect(await fs.readdir(dir)).toEqual(['clusters.json'])
    expect(reg.list().map((c) => c.id)).toEqual([first.id])
    expect(events).toEqual([])
    expect((await ClusterRegistry.open({ dir })).loadProblem).toBeUndefined()

    fault.failRename = false
    const second = await reg.add(input('Second'))
    expect(second.id).toMatch(/^second-[a-z0-9]{8}$/)
    expect((await ClusterRegistry.open({ dir })).list().map((c) => c.id)).toEqual([
      first.id,
      second.id,
    ])
    // The lock was released every time, failed saves included.
    expect(await fs.readdir(dir)).toEqual(['clusters.json'])
  })
})
