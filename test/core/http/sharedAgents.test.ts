/**
 * Cluster entries that reach one server with one trust reuse its connections: one TLS handshake
 * serves them all. A different pin gets its own connections, and closing one entry leaves the
 * others working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClusterHttp, SharedAgents } from '../../../src/main/core/http'
import { startWekaSim, type WekaSim } from '../../sim/weka'

describe('connections shared between entries of one server', () => {
  let sim: WekaSim

  beforeAll(async () => {
    sim = await startWekaSim()
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('two entries, same origin and pin: one Agent, kept open until the last entry closes', async () => {
    const shared = new SharedAgents()
    const trust = { sha256: sim.fingerprint }
    const a = new ClusterHttp({ url: sim.url, trust, sharedAgents: shared, connections: 1 })
    const b = new ClusterHttp({ url: sim.url, trust, sharedAgents: shared, connections: 1 })
    expect(shared.size).toBe(0) // made on first use
    for (const http of [a, b, a, b]) {
      const res = await http.request('GET', '/api/v2/ui/cluster/features')
      expect(res.status).toBeLessThan(500)
    }
    expect(shared.size).toBe(1)
    await a.close()
    expect(shared.size).toBe(1) // b still holds it
    const res = await b.request('GET', '/api/v2/ui/cluster/features')
    expect(res.status).toBeLessThan(500)
    await b.close()
    expect(shared.size).toBe(0)
  })

  it('a different pin never shares: a connection made for one pin is not used for another', async () => {
    const shared = new SharedAgents()
    const good = new ClusterHttp({
      url: sim.url,
      trust: { sha256: sim.fingerprint },
      sharedAgents: shared,
    })
    const wrongPin = sim.fingerprint.replace(/^../, sim.fingerprint.startsWith('00') ? '11' : '00')
    const bad = new ClusterHttp({ url: sim.url, trust: { sha256: wrongPin }, sharedAgents: shared })
    expect((await good.request('GET', '/api/v2/ui/cluster/features')).status).toBeLessThan(500)
    // The good entry's open connection must not carry the other entry's request.
    await expect(bad.request('GET', '/api/v2/ui/cluster/features')).rejects.toMatchObject({
      code: 'TLS_PIN_MISMATCH',
    })
    expect(shared.size).toBe(2)
    await good.close()
    await bad.close()
    expect(shared.size).toBe(0)
  })
})
