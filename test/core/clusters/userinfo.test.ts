/**
 * A clusters.json entry whose URL carries userinfo (`https://admin:pw@host`, hand-edited or from
 * an older version) is loaded without it, not moved aside as corrupt: the password is removed
 * from memory and from the file, and the user is told once, by cluster name.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ClusterRegistry } from '../../../src/main/core/clusters/registry'

const FP = Array.from({ length: 32 }, () => '0F').join(':')
const PASSWORD = 'Hunter2-in-the-url'

let dir: string
let file: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'td-userinfo-'))
  file = path.join(dir, 'clusters.json')
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

function fileWith(url: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: 1,
    clusters: [
      {
        id: 'prod',
        vendor: 'weka',
        name: 'Prod WEKA',
        url,
        username: 'admin',
        trust: { sha256: FP },
        ...extra,
      },
      {
        id: 'lab',
        vendor: 'qumulo',
        name: 'Lab',
        url: 'https://qumulo.lab:8000',
        username: 'admin',
        trust: { sha256: FP },
      },
    ],
  })
}

describe('userinfo in a stored cluster URL', () => {
  it('is stripped on load, never kept, and reported once naming the cluster', async () => {
    await fs.writeFile(file, fileWith(`https://admin:${PASSWORD}@weka01:14000`))
    const reg = await ClusterRegistry.open({ dir })
    expect(reg.loadProblem).toBeUndefined()
    expect(reg.list().map((c) => [c.name, c.url])).toEqual([
      ['Prod WEKA', 'https://weka01:14000'],
      ['Lab', 'https://qumulo.lab:8000'],
    ])
    expect(reg.notices).toHaveLength(1)
    expect(reg.notices[0]).toContain('"Prod WEKA"')
    expect(reg.notices[0]).not.toContain(PASSWORD)
    // The file itself no longer holds the password, and nothing was moved aside.
    const onDisk = await fs.readFile(file, 'utf8')
    expect(onDisk).not.toContain(PASSWORD)
    expect(onDisk).toContain('"url": "https://weka01:14000"')
    expect((await fs.readdir(dir)).filter((n) => n.includes('corrupt'))).toEqual([])
    // Opening again: nothing left to say.
    expect((await ClusterRegistry.open({ dir })).notices).toEqual([])
  })

  it('a Swarm S3 URL and a user name alone are stripped too; the path is kept', async () => {
    await fs.writeFile(
      file,
      fileWith('https://admin@gw.example:8443/base', {
        vendor: 'swarm',
        s3Url: `https://k:${PASSWORD}@s3.example`,
      }),
    )
    const reg = await ClusterRegistry.open({ dir })
    expect(reg.loadProblem).toBeUndefined()
    expect(reg.get('prod').url).toBe('https://gw.example:8443/base')
    expect(reg.get('prod').s3Url).toBe('https://s3.example')
    expect(reg.notices).toHaveLength(1)
    expect(await fs.readFile(file, 'utf8')).not.toContain(PASSWORD)
  })

  it('written by another process later: ignored and reported once, never adopted with the password', async () => {
    await fs.writeFile(file, fileWith('https://weka01:14000'))
    const problems: string[] = []
    const reg = await ClusterRegistry.open({ dir, onProblem: (p) => problems.push(p.message) })
    await fs.writeFile(file, fileWith(`https://admin:${PASSWORD}@weka02:14000`))
    await reg.reload()
    expect(reg.get('prod').url).toBe('https://weka02:14000')
    await fs.writeFile(file, fileWith(`https://admin:${PASSWORD}@weka03:14000`))
    await reg.reload()
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('"Prod WEKA"')
    expect(problems[0]).not.toContain(PASSWORD)
    // The next save writes it without the password.
    await reg.updateSettings({})
    await reg.update('lab', { name: 'Lab 2' })
    expect(await fs.readFile(file, 'utf8')).not.toContain(PASSWORD)
  })
})
