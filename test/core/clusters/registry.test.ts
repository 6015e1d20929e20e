import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  ClusterRegistry,
  type ClusterInput,
  type RegistryChange,
} from '../../../src/main/core/clusters/registry'
import { newClusterId, slugify } from '../../../src/main/core/clusters/clusterId'
import { DEFAULT_SETTINGS, type Cluster } from '../../../src/shared/model'

const FP = Array.from({ length: 32 }, () => 'AB').join(':')
const weka = (over: Partial<ClusterInput> = {}): ClusterInput => ({
  vendor: 'weka',
  name: 'Prod WEKA',
  url: 'https://weka.example.com:14000',
  username: 'admin',
  org: 'Root',
  trust: { sha256: FP },
  ...over,
})

let dir: string
let file: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'td-registry-'))
  file = path.join(dir, 'clusters.json')
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

const readJson = async (): Promise<unknown> => JSON.parse(await fs.readFile(file, 'utf8'))
const byName = (reg: ClusterRegistry, name: string): Cluster => {
  const found = reg.list().find((c) => c.name === name)
  if (found === undefined) throw new Error(`no cluster named ${name}`)
  return found
}
/** A new id: the slug of the name, '-', 8 random characters of [a-z0-9]. */
const idOf = (slug: string) => new RegExp(`^${slug}-[a-z0-9]{8}$`)

describe('ClusterRegistry: load and save', () => {
  it('a missing file opens an empty registry with default settings and no problem', async () => {
    const reg = await ClusterRegistry.open({ dir })
    expect(reg.list()).toEqual([])
    expect(reg.getSettings()).toEqual(DEFAULT_SETTINGS)
    expect(reg.loadProblem).toBeUndefined()
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('round-trips clusters and settings through clusters.json', async () => {
    const reg = await ClusterRegistry.open({ dir })
    const a = await reg.add(weka())
    const b = await reg.add({
      vendor: 'swarm',
      name: 'Archive',
      url: 'https://swarm.example.com',
      username: 'ops',
      tenant: 't1',
      domain: 'd.example.com',
      trust: { caPath: '/etc/ssl/ca.pem' },
    })
    await reg.updateSettings({ theme: 'dark', notifications: { expiring: false } })

    const again = await ClusterRegistry.open({ dir })
    expect(again.loadProblem).toBeUndefined()
    expect(again.list()).toEqual([a, b])
    expect(again.getSettings()).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      notifications: { ...DEFAULT_SETTINGS.notifications, expiring: false },
    })
    expect(await readJson()).toEqual({
      version: 1,
      clusters: [a, b],
      settings: again.getSettings(),
    })
  })

  it('writes atomically: no temp files left, file 0600, created directory 0700', async () => {
    const nested = path.join(dir, 'a', 'Tokendeck')
    const reg = await ClusterRegistry.open({ dir: nested })
    await reg.add(weka())
    await reg.add(weka({ name: 'Second' }))
    expect(await fs.readdir(nested)).toEqual(['clusters.json'])
    if (process.platform !== 'win32') {
      expect((await fs.stat(path.join(nested, 'clusters.json'))).mode & 0o777).toBe(0o600)
      expect((await fs.stat(nested)).mode & 0o777).toBe(0o700)
    }
  })

  it('tightens an existing file to 0600 on save', async () => {
    await fs.writeFile(file, JSON.stringify({ version: 1, clusters: [], settings: {} }), {
      mode: 0o644,
    })
    const reg = await ClusterRegistry.open({ dir })
    await reg.add(weka())
    if (process.platform !== 'win32') expect((await fs.stat(file)).mode & 0o777).toBe(0o600)
  })

  it('accepts a hand-written file without settings (defaults apply)', async () => {
    await fs.writeFile(file, JSON.stringify({ version: 1, clusters: [] }))
    const reg = await ClusterRegistry.open({ dir })
    expect(reg.loadProblem).toBeUndefined()
    expect(reg.getSettings()).toEqual(DEFAULT_SETTINGS)
  })

  it('concurrent mutations are serialized and none is lost', async () => {
    const reg = await ClusterRegistry.open({ dir })
    const added = await Promise.all(
      Array.from({ length: 25 }, (_, i) => reg.add(weka({ name: `Prod WEKA ${i}` }))),
    )
    const ids = added.map((c) => c.id)
    expect(new Set(ids).size).toBe(25)
    expect(ids[0]).toMatch(idOf('prod-weka-0'))
    expect(ids[24]).toMatch(idOf('prod-weka-24'))

    // Mixed operations racing each other still all land.
    await Promise.all([
      reg.update(ids[0]!, { name: 'Renamed' }),
      reg.remove(ids[1]!),
      reg.updateSettings({ theme: 'light' }),
      reg.add(weka({ name: 'Late' })),
    ])
    const again = await ClusterRegistry.open({ dir })
    expect(again.list()).toHaveLength(25)
    expect(again.get(ids[0]!).name).toBe('Renamed')
    expect(again.list().map((c) => c.id)).not.toContain(ids[1])
    expect(byName(again, 'Late').id).toMatch(idOf('late'))
    expect(again.getSettings().theme).toBe('light')
  })

  it('a failed mutation does not block the ones queued after it', async () => {
    const reg = await ClusterRegistry.open({ dir })
    const results = await Promise.allSettled([reg.remove('nope'), reg.add(weka())])
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { code: 'NOT_FOUND' } })
    expect(results[1]).toMatchObject({ status: 'fulfilled' })
  })

  it('returns copies a caller cannot change the registry through: frozen, replaced on change', async () => {
    const reg = await ClusterRegistry.open({ dir })
    const c = await reg.add(weka())
    c.name = 'mutated'
    expect(() => {
      reg.list()[0]!.name = 'mutated too'
    }).toThrow(TypeError)
    expect(() => {
      reg.get(c.id).trust = { ca: '/elsewhere' } as never
    }).toThrow(TypeError)
    expect(() => {
      reg.getSettings().theme = 'dark'
    }).toThrow(TypeError)
    expect(reg.get(c.id).name).toBe('Prod WEKA')
    expect(reg.getSettings().theme).toBe('system')
    // The list is the caller's own: sorting it changes nothing in the registry.
    await reg.add(weka({ name: 'Another', url: 'https://127.0.0.1:9443' }))
    const mine = reg.list()
    mine.reverse()
    expect(reg.list().map((x) => x.name)).toEqual(['Prod WEKA', 'Another'])
    // A change replaces the copy readers get; older copies keep what they said.
    const before = reg.get(c.id)
    await reg.update(c.id, { name: 'Renamed' })
    expect(reg.get(c.id).name).toBe('Renamed')
    expect(before.name).toBe('Prod WEKA')
    await reg.updateSettings({ theme: 'dark' })
    expect(reg.getSettings().theme).toBe('dark')
  })
})

describe('ClusterRegistry: clusters', () => {
  it('generates readable ids from names, with a random suffix', async () => {
    const reg = await ClusterRegistry.open({ dir })
    expect((await reg.add(weka())).id).toMatch(idOf('prod-weka'))
    expect((await reg.add(weka({ name: '  Zürich  Qumulo!! ', vendor: 'qumulo' }))).id).toMatch(
      idOf('zurich-qumulo'),
    )
    // No ASCII letter or digit in the name: the vendor is the stem.
    expect((await reg.add(weka({ name: '生产' }))).id).toMatch(idOf('weka'))
    expect((await reg.add(weka({ name: '测试', vendor: 'swarm' }))).id).toMatch(idOf('swarm'))
  })

  it('never reuses an id: a cluster removed and added again under the same name gets a new one', async () => {
    const reg = await ClusterRegistry.open({ dir })
    const seen = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const c = await reg.add(weka())
      expect(seen.has(c.id)).toBe(false)
      seen.add(c.id)
      await reg.remove(c.id)
    }
  })

  it('ids of long names stay within 64 characters and stay distinct', () => {
    const long = 'x'.repeat(100)
    const first = newClusterId(long, 'weka')
    const second = newClusterId(long, 'weka', new Set([first]))
    expect(first).toHaveLength(64)
    expect(first).toMatch(/^x{55}-[a-z0-9]{8}$/)
    expect(second).not.toBe(first)
    // A name that slugs to a trailing '-' at the cut keeps a valid id (no '--').
    expect(newClusterId(`${'a'.repeat(54)} b`, 'weka')).toMatch(/^a{54}-[a-z0-9]{8}$/)
    expect(slugify('A--B__c')).toBe('a-b-c')
  })

  it('an id already taken is never returned, even on a random collision', () => {
    const draws = ['aaaaaaaa', 'aaaaaaaa', 'bbbbbbbb']
    const random = () => draws.shift()!
    expect(newClusterId('Lab', 'weka', new Set(['lab-aaaaaaaa']), random)).toBe('lab-bbbbbbbb')
  })

  it('suffixes are uniformly random enough: 2000 ids, no repeat, every character used', () => {
    const ids = Array.from({ length: 2000 }, () => newClusterId('x', 'weka'))
    expect(new Set(ids).size).toBe(2000)
    const chars = new Set(ids.flatMap((id) => [...id.slice(2)]))
    expect(chars.size).toBe(36)
  })

  it('rejects a name already in use (ignoring case and spaces), naming the existing cluster', async () => {
    const reg = await ClusterRegistry.open({ dir })
    const dup = await reg.add(weka({ name: 'dup' }))
    for (const name of ['dup', '  DUP ', 'Dup']) {
      await expect(reg.add(weka({ name }))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: `A cluster named "dup" already exists (id ${dup.id}); choose another name.`,
      })
    }
    // Renaming onto another cluster's name is refused too; renaming to itself is fine.
    const other = await reg.add(weka({ name: 'other' }))
    await expect(reg.update(other.id, { name: 'DUP' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining(`A cluster named "dup" already exists (id ${dup.id})`),
    })
    await expect(reg.update(dup.id, { name: 'Dup' })).resolves.toMatchObject({ name: 'Dup' })
    expect(reg.list().map((c) => c.name)).toEqual(['Dup', 'other'])
  })

  it('clusters that already share a name (older files) stay usable and editable', async () => {
    const twin = (id: string) => ({ ...weka(), id, name: 'Twin' })
    await fs.writeFile(file, JSON.stringify({ version: 1, clusters: [twin('a'), twin('b')] }))
    const reg = await ClusterRegistry.open({ dir })
    expect(reg.loadProblem).toBeUndefined()
    await expect(reg.update('a', { username: 'ops' })).resolves.toMatchObject({ username: 'ops' })
    await expect(reg.update('b', { name: 'Twin 2' })).resolves.toMatchObject({ name: 'Twin 2' })
    // Old-style ids keep working.
    expect(reg.get('a').name).toBe('Twin')
  })

  it('trims names and stores no undefined keys', async () => {
    const reg = await ClusterRegistry.open({ dir })
    const c = await reg.add(weka({ name: '  Lab  ', org: undefined }))
    expect(c.name).toBe('Lab')
    expect('org' in c).toBe(false)
  })

  it('get and remove of an unknown id fail with NOT_FOUND', async () => {
    const reg = await ClusterRegistry.open({ dir })
    expect(() => reg.get('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
    await expect(reg.remove('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(reg.update('nope', { name: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('find gives the cluster by id, and undefined once it is removed (the audit names it so)', async () => {
    const reg = await ClusterRegistry.open({ dir })
    const c = await reg.add(weka({ name: 'Found' }))
    expect(reg.find(c.id)).toEqual(c)
    expect(Object.isFrozen(reg.find(c.id))).toBe(true)
    await reg.remove(c.id)
    expect(reg.find(c.id)).toBeUndefined()
  })

  it('add rejects invalid input with INVALID_INPUT naming the field', async () => {
    const reg = await ClusterRegistry.open({ dir })
    await expect(reg.add(weka({ url: 'http://weka.example.com' }))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('url: the cluster URL must use https://'),
    })
    await expect(reg.add(weka({ trust: { sha256: 'not-a-fingerprint' } }))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('trust.sha256: a SHA-256 fingerprint'),
    })
    await expect(reg.add(weka({ name: '   ' }))).rejects.toMatchObject({
      message: expect.stringContaining('name:'),
    })
    // The registry chooses ids.
    await expect(reg.add({ ...weka(), id: 'mine' } as ClusterInput)).rejects.toMatchObject({
      message: expect.stringContaining('id: unknown field'),
    })
    expect(reg.list()).toEqual([])
  })

  it.each(['password', 'refreshToken', 'accessToken', 'secret'])(
    'a cluster carrying "%s" is rejected and nothing reaches disk',
    async (field) => {
      const reg = await ClusterRegistry.open({ dir })
      const existing = await reg.add(weka({ name: 'Existing' }))
      const before = await fs.readFile(file, 'utf8')
      const secret = 'hunter2-very-secret'
      const attempt = reg.add({ ...weka(), [field]: secret } as ClusterInput)
      await expect(attempt).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining(field),
      })
      await expect(attempt).rejects.not.toMatchObject({ message: expect.stringContaining(secret) })
      // Nor through update, nor nested inside trust.
      await expect(
        reg.update(existing.id, { [field]: secret } as Partial<Cluster>),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      await expect(
        reg.update(existing.id, {
          trust: { sha256: FP, [field]: secret } as Cluster['trust'],
        }),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      const after = await fs.readFile(file, 'utf8')
      expect(after).toBe(before)
      expect(after).not.toContain(secret)
      expect((await fs.readdir(dir)).sort()).toEqual(['clusters.json'])
    },
  )

  it('update changes fields, clears optional ones, and keeps id and vendor', async () => {
    const reg = await ClusterRegistry.open({ dir })
    const c = await reg.add(weka())
    const updated = await reg.update(c.id, {
      name: 'Prod WEKA (DC2)',
      org: undefined,
      seen: { clusterName: 'wekaprod', version: '4.4.2' },
    })
    expect(updated).toMatchObject({
      id: c.id,
      name: 'Prod WEKA (DC2)',
      seen: { clusterName: 'wekaprod' },
    })
    expect('org' in updated).toBe(false)
    expect((await ClusterRegistry.open({ dir })).get(c.id)).toEqual(updated)
    // Renaming does not change the id.
    expect(updated.id).toBe(c.id)
    // Restating the same id and vendor is allowed (a UI may send the whole cluster back).
    await expect(reg.update(c.id, { ...updated, username: 'ops' })).resolves.toMatchObject({
      username: 'ops',
    })

    await expect(reg.update(c.id, { vendor: 'qumulo' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('vendor'),
    })
    await expect(reg.update(c.id, { id: 'other' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('id'),
    })
    await expect(reg.update(c.id, { url: 'ftp://x' })).rejects.toMatchObject({
      message: expect.stringContaining('url'),
    })
    await expect(reg.update(c.id, { name: undefined })).rejects.toMatchObject({
      message: expect.stringContaining('name'),
    })
    expect(reg.get(c.id).username).toBe('ops')
  })

  it('emits change events after saving, and not for no-op updates', async () => {
    const reg = await ClusterRegistry.open({ dir })
    const events: RegistryChange[] = []
    const stop = reg.onChange((e) => {
      events.push(e)
      // Listeners hear of a change only once it is on disk.
      const saved = readFileSync(file, 'utf8')
      if (e.kind === 'cluster-removed') expect(saved).not.toContain(`"${e.cluster.id}"`)
      else if (e.kind !== 'settings-updated') expect(saved).toContain(`"name": "${e.cluster.name}"`)
      else expect(saved).toContain(`"clipboardClearSeconds": ${e.settings.clipboardClearSeconds}`)
    })
    const c = await reg.add(weka())
    await reg.update(c.id, { name: 'New' })
    await reg.update(c.id, { name: 'New' })
    await reg.updateSettings({ clipboardClearSeconds: 10 })
    await reg.updateSettings({ clipboardClearSeconds: 10 })
    await reg.remove(c.id)
    stop()
    await reg.add(weka({ name: 'Unheard' }))
    expect(events.map((e) => e.kind)).toEqual([
      'cluster-added',
      'cluster-updated',
      'settings-updated',
      'cluster-removed',
    ])
    expect(events[1]).toMatchObject({ cluster: { name: 'New' }, previous: { name: 'Prod WEKA' } })
    expect(events[2]).toMatchObject({
      settings: { clipboardClearSeconds: 10 },
      previous: { clipboardClearSeconds: 30 },
    })
  })

  it('a throwing listener neither fails the mutation nor silences other listeners', async () => {
    const reg = await ClusterRegistry.open({ dir })
    const heard: string[] = []
    reg.onChange(() => {
      throw new Error('listener bug')
    })
    reg.onChange((e) => heard.push(e.kind))
    const quiet = console.error
    console.error = () => undefined
    try {
      await expect(reg.add(weka())).resolves.toMatchObject({ name: 'Prod WEKA' })
    } finally {
      console.error = quiet
    }
    expect(heard).toEqual(['cluster-added'])
  })
})

describe('ClusterRegistry: settings', () => {
  it('starts from the defaults', async () => {
    const reg = await ClusterRegistry.open({ dir })
    expect(reg.getSettings()).toEqual({
      clipboardClearSeconds: 30,
      clipboardClearOnQuit: true,
      refreshMarginSeconds: 60,
      requestTimeoutSeconds: 45,
      refreshConcurrency: 4,
      expiryWarning: { days: 7, hours: 2 },
      notifications: {
        refreshFailed: true,
        signedOut: true,
        expiring: true,
        certificateChanged: true,
      },
      theme: 'system',
      // Off until the user asks: a global shortcut takes keys from every app; pausing the agent
      // could fail a long job while the user is away.
      pauseAgentWhenLocked: false,
      globalShortcut: null,
      clusterList: { groupBy: 'none', sortBy: 'name' },
    })
  })

  it('merges nested groups field by field; undefined resets a setting to its default', async () => {
    const reg = await ClusterRegistry.open({ dir })
    await reg.updateSettings({ expiryWarning: { days: 14 }, clipboardClearSeconds: 0 })
    expect(reg.getSettings().expiryWarning).toEqual({ days: 14, hours: 2 })
    expect(reg.getSettings().clipboardClearSeconds).toBe(0)
    await reg.updateSettings({ clipboardClearSeconds: undefined })
    expect(reg.getSettings().clipboardClearSeconds).toBe(30)
  })

  it('rejects invalid settings with INVALID_INPUT naming the field, changing nothing', async () => {
    const reg = await ClusterRegistry.open({ dir })
    await expect(reg.updateSettings({ refreshMarginSeconds: 1 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('refreshMarginSeconds'),
    })
    await expect(reg.updateSettings({ expiryWarning: { days: 1.5 } })).rejects.toMatchObject({
      message: expect.stringContaining('expiryWarning.days'),
    })
    await expect(reg.updateSettings({ theme: 'pink' } as never)).rejects.toMatchObject({
      message: expect.stringContaining('theme'),
    })
    await expect(reg.updateSettings({ apiKey: 'x' } as never)).rejects.toMatchObject({
      message: expect.stringContaining('apiKey: unknown field'),
    })
    await expect(
      reg.updateSettings({ notifications: { sound: true } } as never),
    ).rejects.toMatchObject({
      message: expect.stringContaining('notifications.sound: unknown field'),
    })
    await expect(reg.updateSettings(null as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(reg.getSettings()).toEqual(DEFAULT_SETTINGS)
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
