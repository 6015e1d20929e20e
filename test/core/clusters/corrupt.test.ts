import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ClusterRegistry } from '../../../src/main/core/clusters/registry'
import { compactUtcStamp } from '../../../src/main/core/clusters/atomicFile'

const FP = Array.from({ length: 32 }, () => '0F').join(':')
const NOW = new Date('2026-11-23T09:15:00.123Z')
const now = () => NOW
const STAMP = '20261123T091500Z'
const goodCluster = {
  id: 'lab',
  vendor: 'qumulo',
  name: 'Lab',
  url: 'https://qumulo.lab:8000',
  username: 'admin',
  trust: { sha256: FP },
}

let dir: string
let file: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'td-corrupt-'))
  file = path.join(dir, 'clusters.json')
})
afterEach(async () => {
  await fs.chmod(file, 0o600).catch(() => undefined)
  await fs.rm(dir, { recursive: true, force: true })
})

/** Open over `content`, check it was moved aside intact and the registry works; return the error message. */
async function expectQuarantined(content: string | Buffer): Promise<string> {
  await fs.writeFile(file, content)
  const reg = await ClusterRegistry.open({ dir, now })
  const moved = `${file}.corrupt-${STAMP}`
  expect(reg.loadProblem?.code).toBe('CONFIG_CORRUPT')
  expect(reg.movedAsideTo).toBe(moved)
  expect(reg.loadProblem?.message).toContain(moved)
  // The user's bytes survive exactly, and nothing took the original's place yet.
  expect(await fs.readFile(moved)).toEqual(Buffer.from(content))
  await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' })
  // The app can carry on: empty registry that saves normally, beside the moved-aside file.
  expect(reg.list()).toEqual([])
  const { id: _id, ...input } = goodCluster
  await reg.add(input as never)
  expect((await ClusterRegistry.open({ dir })).list()).toHaveLength(1)
  expect(await fs.readFile(moved)).toEqual(Buffer.from(content))
  return reg.loadProblem?.message ?? ''
}

describe('a file that cannot be used is moved aside, never overwritten', () => {
  it('timestamps are compact UTC', () => {
    expect(compactUtcStamp(NOW)).toBe(STAMP)
  })

  it('invalid JSON', async () => {
    // A trailing comma: V8 reports the position, which we turn into line and column.
    const message = await expectQuarantined('{\n  "version": 1,\n  "clusters": [],\n}')
    expect(message).toContain('it is not valid JSON (line 4, column 1)')
  })

  it('invalid JSON: the message never quotes the file', async () => {
    const message = await expectQuarantined('{\n  "version": 1,\n  "password": hunter2\n}')
    expect(message).toContain('not valid JSON')
    expect(message).not.toContain('hunter2')
  })

  it('an empty file', async () => {
    expect(await expectQuarantined('')).toContain('the file is empty')
  })

  it('not an object', async () => {
    expect(await expectQuarantined('[]')).toContain('not a JSON object')
  })

  it('a wrong or missing version', async () => {
    expect(await expectQuarantined(JSON.stringify({ version: 2, clusters: [] }))).toContain(
      'version 2 (a newer Tokendeck may have written it); this Tokendeck reads version 1',
    )
  })

  it('a missing version', async () => {
    expect(await expectQuarantined(JSON.stringify({ clusters: [] }))).toContain(
      'no valid "version"',
    )
  })

  it('a schema failure names the field', async () => {
    const bad = {
      version: 1,
      clusters: [goodCluster, { ...goodCluster, id: 'b', url: 'http://plain' }],
      settings: {},
    }
    expect(await expectQuarantined(JSON.stringify(bad, null, 2))).toContain(
      'clusters[1].url: the cluster URL must use https://',
    )
  })

  it('an unknown field (e.g. a secret someone pasted in) is a schema failure, named without its value', async () => {
    const bad = { version: 1, clusters: [{ ...goodCluster, password: 'hunter2' }], settings: {} }
    const message = await expectQuarantined(JSON.stringify(bad))
    expect(message).toContain('clusters[0].password: unknown field')
    expect(message).not.toContain('hunter2')
  })

  it('invalid settings are schema failures', async () => {
    expect(
      await expectQuarantined(
        JSON.stringify({ version: 1, clusters: [], settings: { theme: 'pink' } }),
      ),
    ).toContain('settings.theme')
  })

  it('duplicate ids are schema failures', async () => {
    expect(
      await expectQuarantined(JSON.stringify({ version: 1, clusters: [goodCluster, goodCluster] })),
    ).toContain('clusters[1].id: duplicate id "lab"')
  })

  it('never replaces an earlier moved-aside file', async () => {
    await fs.writeFile(`${file}.corrupt-${STAMP}`, 'older')
    await fs.writeFile(file, 'newer')
    const reg = await ClusterRegistry.open({ dir, now })
    expect(reg.movedAsideTo).toBe(`${file}.corrupt-${STAMP}-2`)
    expect(await fs.readFile(`${file}.corrupt-${STAMP}`, 'utf8')).toBe('older')
    expect(await fs.readFile(`${file}.corrupt-${STAMP}-2`, 'utf8')).toBe('newer')
  })

  it('unreadable: a directory where the file should be', async () => {
    await fs.mkdir(file)
    await fs.writeFile(path.join(file, 'inside'), 'keep me')
    const reg = await ClusterRegistry.open({ dir, now })
    expect(reg.loadProblem).toMatchObject({
      code: 'CONFIG_CORRUPT',
      message: expect.stringContaining('could not be read (EISDIR)'),
    })
    expect(reg.loadProblem?.message).toContain(`${file}.corrupt-${STAMP}`)
    expect(await fs.readFile(path.join(`${file}.corrupt-${STAMP}`, 'inside'), 'utf8')).toBe(
      'keep me',
    )
    await expect(reg.updateSettings({ theme: 'dark' })).resolves.toMatchObject({ theme: 'dark' })
  })

  // root reads any file whatever its mode, so chmod 000 cannot make it unreadable there; the
  // directory-in-place test above covers the unreadable path for root.
  const isRoot = process.getuid?.() === 0
  it.skipIf(isRoot || process.platform === 'win32')(
    'unreadable: permissions 000 (skipped as root: root reads it anyway)',
    async () => {
      await fs.writeFile(file, JSON.stringify({ version: 1, clusters: [] }))
      await fs.chmod(file, 0o000)
      const reg = await ClusterRegistry.open({ dir, now })
      expect(reg.loadProblem?.message).toContain('could not be read (EACCES)')
      expect(reg.movedAsideTo).toBe(`${file}.corrupt-${STAMP}`)
    },
  )

  it('when the file can be neither read nor moved aside, the registry refuses to write', async () => {
    // A regular file where the data directory should be: reading and renaming both fail.
    const notADir = path.join(dir, 'not-a-dir')
    await fs.writeFile(notADir, 'precious')
    const reg = await ClusterRegistry.open({ dir: notADir, now })
    expect(reg.loadProblem).toMatchObject({
      code: 'CONFIG_CORRUPT',
      message: expect.stringContaining('could not be moved aside either'),
    })
    expect(reg.movedAsideTo).toBeUndefined()
    await expect(reg.updateSettings({ theme: 'dark' })).rejects.toBe(reg.loadProblem)
    expect(await fs.readFile(notADir, 'utf8')).toBe('precious')
  })
})
