/**
 * The across-cluster expiring report (issue 15) through the real core against the simulators:
 * every listed token and stored session, soonest first, "never" last, with the actions each
 * vendor allows; a cluster that is offline, or signed out is a note that hides nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../sim/common/clock'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { startQumuloSim, type QumuloSim } from '../../sim/qumulo'
import { startSwarmSim, type SwarmSim } from '../../sim/swarm'
import { startCoreHarness, type CoreHarness } from '../harness'
import { boundedMap, expiringReport } from '../../../src/main/core/expiring/expiringReport'
import type { Cluster, ExpiringItem } from '../../../src/shared/model'

const DAY = 86_400

describe('expiring, across clusters', () => {
  let weka: WekaSim
  let qumulo: QumuloSim
  let swarm: SwarmSim
  let gone: QumuloSim
  let h: CoreHarness
  const ids: Record<string, string> = {}
  const tokenIds: Record<string, string> = {}

  beforeAll(async () => {
    ;[weka, qumulo, swarm, gone] = await Promise.all([
      startWekaSim(),
      startQumuloSim(),
      startSwarmSim(),
      startQumuloSim(),
    ])
    h = await startCoreHarness(systemClock)
    const add = async (
      name: string,
      vendor: Cluster['vendor'],
      sim: { url: string; fingerprint: string },
      username: string,
    ) =>
      (ids[name] = (
        await h.core.registry.add({
          vendor,
          name,
          url: sim.url,
          username,
          trust: { sha256: sim.fingerprint },
        })
      ).id)
    await add('Weka A', 'weka', weka, 'admin')
    await add('Qumulo B', 'qumulo', qumulo, 'admin')
    await add('Swarm C', 'swarm', swarm, 'admin@')
    await add('Qumulo offline', 'qumulo', gone, 'admin')
    await add('Never signed in', 'qumulo', qumulo, 'admin')
    await h.core.sessions.signIn(ids['Weka A']!, 'WekaSim-Admin-7341')
    await h.core.sessions.signIn(ids['Qumulo B']!, 'Qumulo-Admin-Demo-1')
    await h.core.sessions.signIn(ids['Swarm C']!, 'swarm-admin-demo')
    await h.core.sessions.signIn(ids['Qumulo offline']!, 'Qumulo-Admin-Demo-1')
    const q = ids['Qumulo B']!
    tokenIds['alice-2d'] = (
      await h.core.tokens.create({
        clusterId: q,
        owner: 'alice',
        expiresIn: 2 * DAY,
        confirmed: true,
      })
    ).token.id
    tokenIds['bob-never'] = (
      await h.core.tokens.create({
        clusterId: q,
        owner: 'bob',
        expiresIn: 'never',
        confirmed: true,
      })
    ).token.id
    tokenIds['bob-60d'] = (
      await h.core.tokens.create({
        clusterId: q,
        owner: 'bob',
        expiresIn: 60 * DAY,
        confirmed: true,
      })
    ).token.id
    tokenIds['swarm-1h'] = (
      await h.core.tokens.create({
        clusterId: ids['Swarm C']!,
        expiresIn: 3600,
        description: 'nightly',
        confirmed: true,
      })
    ).token.id
    await gone.close() // its stored session stays; the server is gone
  })
  afterAll(async () => {
    await h?.close()
    await Promise.all([weka?.close(), qumulo?.close(), swarm?.close()])
  })

  it('lists every token and session soonest first, "never" last, with each vendor’s actions', async () => {
    const report = await h.core.expiring()
    const at = (tokenId: string) => report.items.find((i) => i.tokenId === tokenId)
    const expiries = report.items.map((i) => i.expiresAt ?? Infinity)
    expect(expiries).toEqual([...expiries].sort((a, b) => a - b))
    // What never expires (or whose end is not known) comes last, and only there.
    const firstOpen = report.items.findIndex((i) => i.expiresAt === undefined)
    expect(report.items.slice(firstOpen).every((i) => i.expiresAt === undefined)).toBe(true)
    expect(report.items.slice(firstOpen).map((i) => i.tokenId)).toContain(tokenIds['bob-never'])

    expect(at(tokenIds['swarm-1h']!)).toMatchObject({
      kind: 'token',
      clusterName: 'Swarm C',
      vendor: 'swarm',
      description: 'nightly',
      actions: ['rotate', 'revoke'],
    })
    expect(at(tokenIds['alice-2d']!)).toMatchObject({
      kind: 'token',
      clusterName: 'Qumulo B',
      owner: 'alice',
      actions: ['rotate', 'extend', 'revoke'],
    })
    // Swarm lists its own session token: one row, a session, never "rotate".
    const swarmSessions = report.items.filter(
      (i) => i.clusterId === ids['Swarm C'] && i.kind === 'session',
    )
    expect(swarmSessions).toHaveLength(1)
    expect(swarmSessions[0]!.actions).toEqual(['revoke'])
    // WEKA lists no tokens: its stored session (the refresh token) is there, with its expiry.
    const wekaRows = report.items.filter((i) => i.clusterId === ids['Weka A'])
    expect(wekaRows).toEqual([
      expect.objectContaining({ kind: 'session', owner: 'admin', vendor: 'weka', actions: [] }),
    ])
    expect(wekaRows[0]!.expiresAt).toBe(h.core.sessions.storedExpiresAt(ids['Weka A']!))
    expect(wekaRows[0]!.expiresAt).toBeGreaterThan(Date.now())
    // Nothing secret: no token value, no refresh token.
    const text = JSON.stringify(report)
    for (const id of Object.values(ids)) {
      const stored = h.core.sessions.storedCredential(id)
      if (stored) expect(text).not.toContain(stored)
    }
  })

  it('an offline and a signed-out cluster are notes that hide nothing', async () => {
    const report = await h.core.expiring()
    const notes = Object.fromEntries(report.notes.map((n) => [n.clusterName, n.error.code]))
    expect(notes['Qumulo offline']).toBe('UNREACHABLE')
    expect(notes['Never signed in']).toBe('NOT_SIGNED_IN')
    expect(report.items.some((i) => i.clusterName === 'Qumulo B')).toBe(true)
    expect(report.notes.map((n) => n.clusterName)).not.toContain('Qumulo B')
  })

  it('--within keeps what expires inside the window and drops "never"', async () => {
    const report = await h.core.expiring(3 * DAY * 1000)
    const tokens = report.items.map((i) => i.tokenId)
    expect(tokens).toContain(tokenIds['swarm-1h'])
    expect(tokens).toContain(tokenIds['alice-2d'])
    expect(tokens).not.toContain(tokenIds['bob-60d'])
    expect(tokens).not.toContain(tokenIds['bob-never'])
    for (const i of report.items)
      expect(i.expiresAt! - report.checkedAt).toBeLessThanOrEqual(3 * DAY * 1000)
    // Through the contract, as the window and the CLI ask.
    const viaChannel = await h.core.dispatcher.invoke('tokens:expiring', {
      withinSeconds: 3 * DAY,
    })
    expect(viaChannel.ok).toBe(true)
    if (viaChannel.ok) {
      const fromChannel = (viaChannel.value as { items: ExpiringItem[] }).items.map(
        (i) => i.tokenId,
      )
      expect(fromChannel).toEqual(tokens)
    }
    const bad = await h.core.dispatcher.invoke('tokens:expiring', { withinSeconds: -1 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  })
})

describe('expiring: clusters are asked concurrently, within a bound', () => {
  it('never more than the bound at once, results in order', async () => {
    let running = 0
    let most = 0
    const gates: Array<() => void> = []
    const work = boundedMap(
      Array.from({ length: 30 }, (_, i) => i),
      8,
      async (i) => {
        running++
        most = Math.max(most, running)
        await new Promise<void>((resolve) => gates.push(resolve))
        running--
        return i * 2
      },
    )
    // Release one waiter at a time, as each arrives: the pool must refill to the bound, never past it.
    while (gates.length || running) {
      await new Promise((r) => setImmediate(r))
      gates.shift()?.()
    }
    expect(await work).toEqual(Array.from({ length: 30 }, (_, i) => i * 2))
    expect(most).toBe(8)
  })

  it('a cluster whose keychain read fails is a note; the rest are still listed', async () => {
    const clusters = ['a', 'b'].map(
      (id) =>
        ({
          id,
          vendor: 'weka',
          name: id.toUpperCase(),
          url: 'https://127.0.0.1:1',
          username: 'u',
          trust: { sha256: '' },
        }) as unknown as Cluster,
    )
    const { TokendeckError } = await import('../../../src/shared/errors')
    const report = await expiringReport({
      clusters: () => clusters,
      clock: { now: () => 1000 },
      listTokens: () => Promise.resolve([]),
      sessions: {
        load: (id) =>
          id === 'a'
            ? Promise.reject(new TokendeckError('KEYCHAIN_UNAVAILABLE', 'The keychain is locked.'))
            : Promise.resolve(),
        state: () => ({ state: 'active' }),
        storedCredential: () => 'x',
        storedExpiresAt: () => 5000,
        identity: () => undefined,
        getAccessToken: () => Promise.resolve('t'),
      },
    })
    expect(report.notes).toEqual([
      {
        clusterId: 'a',
        clusterName: 'A',
        vendor: 'weka',
        error: { code: 'KEYCHAIN_UNAVAILABLE', message: 'The keychain is locked.' },
      },
    ])
    expect(report.items).toEqual([
      {
        kind: 'session',
        clusterId: 'b',
        clusterName: 'B',
        vendor: 'weka',
        owner: 'u',
        expiresAt: 5000,
        actions: [],
      },
    ])
  })
})
