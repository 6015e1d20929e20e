/**
 * "A fourth vendor is one folder": a fake vendor (test/support/fakeVendor) registered through the
 * vendor table alone — a descriptor with one field of its own (`region`) and a trivial client —
 * is added, listed, changed and signed in to through the real core and its IPC contract, with
 * no edit anywhere else. Its field is validated, stored, part of the client's identity (a new
 * region builds a new client) and a change of it signs the user out, as the table declares.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../../sim/common/clock'
import { MemorySecretStore } from '../../../src/main/core/secrets'
import { capabilitiesOf, vendorFields, vendorIds } from '../../../src/shared/vendors'
import type { ClusterView } from '../../../src/shared/model'
import { acmeClientsBuilt, registerAcme } from '../../support/fakeVendor/client'
import { startCoreHarness, type CoreHarness } from '../harness'

const FP = `${'AB:'.repeat(31)}AB`
// Nothing listens on port 1: the pre-add certificate check finds the cluster offline and lets it through.
const OFFLINE_URL = 'https://127.0.0.1:1'

describe('a fake fourth vendor registered through the vendor table', () => {
  let h: CoreHarness
  const clock = new FakeClock(Date.now())
  const invoke = async (channel: string, input: unknown) => h.core.dispatcher.invoke(channel, input)
  const ok = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await invoke(channel, input)
    if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`)
    return r.value as T
  }

  beforeAll(async () => {
    registerAcme()
    h = await startCoreHarness(clock, { secretStore: new MemorySecretStore() })
  })
  afterAll(async () => {
    await h?.close()
  })

  it('is in the table, with its field and capabilities', () => {
    expect(vendorIds()).toEqual(['weka', 'qumulo', 'swarm', 'acme'])
    expect(vendorFields('acme').map((f) => f.key)).toEqual(['region'])
    expect(capabilitiesOf('acme').defaultPort).toBe(9443)
  })

  it('is added with its field through clusters:add, stored in clusters.json, listed without per-row capabilities', async () => {
    const view = await ok<ClusterView>('clusters:add', {
      vendor: 'acme',
      name: 'Acme EU',
      url: OFFLINE_URL,
      username: 'ops',
      region: 'eu-1',
      trust: { sha256: FP },
    })
    expect(view.cluster).toMatchObject({ vendor: 'acme', region: 'eu-1' })
    const file = JSON.parse(readFileSync(join(h.dataDir, 'clusters.json'), 'utf8')) as {
      clusters: Record<string, unknown>[]
    }
    expect(file.clusters).toEqual([expect.objectContaining({ vendor: 'acme', region: 'eu-1' })])
    const list = await ok<ClusterView[]>('clusters:list', undefined)
    expect(list).toHaveLength(1)
    expect(list[0]).not.toHaveProperty('capabilities')
    expect(list[0]!.cluster).toMatchObject({ region: 'eu-1' })
  })

  it('refuses a field no vendor declares, and an unknown vendor, naming them', async () => {
    const bad = await invoke('clusters:add', {
      vendor: 'acme',
      name: 'Acme zone',
      url: OFFLINE_URL,
      username: 'ops',
      zone: 'z1',
      trust: { sha256: FP },
    })
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('zone') },
    })
    const unknown = await invoke('clusters:add', {
      vendor: 'globex',
      name: 'Globex',
      url: OFFLINE_URL,
      username: 'ops',
      trust: { sha256: FP },
    })
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('acme') },
    })
    const tooLong = await invoke('clusters:add', {
      vendor: 'acme',
      name: 'Acme long',
      url: OFFLINE_URL,
      username: 'ops',
      region: 'r'.repeat(257),
      trust: { sha256: FP },
    })
    expect(tooLong).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('region') },
    })
  })

  it('signs in with a client built for its region; changing the region builds a new client and signs out', async () => {
    const [acme] = h.core.registry.list()
    const id = acme!.id
    const signedIn = await ok<ClusterView>('session:signIn', { clusterId: id, password: 'pw' })
    expect(signedIn.session.state).toBe('active')
    expect(acmeClientsBuilt.at(-1)).toBe('eu-1')

    // Renaming is not an account change: still signed in.
    const renamed = await ok<ClusterView>('clusters:update', {
      clusterId: id,
      patch: { name: 'Acme Europe' },
    })
    expect(renamed.session.state).toBe('active')

    const changes: string[] = []
    const stop = h.core.registry.onChange((c) => changes.push(c.kind))
    const moved = await ok<ClusterView>('clusters:update', {
      clusterId: id,
      patch: { region: 'us-2' },
    })
    stop()
    expect(moved.cluster).toMatchObject({ name: 'Acme Europe', region: 'us-2' })
    expect(h.core.registry.get(id)).toMatchObject({ region: 'us-2' })
    expect(changes).toContain('cluster-updated')
    // The table says a region change is another account: the stored session is gone.
    expect(moved.session.state).toBe('signed-out')

    await ok<ClusterView>('session:signIn', { clusterId: id, password: 'pw' })
    expect(acmeClientsBuilt.at(-1)).toBe('us-2')
  })
})
