/**
 * A person's request never queues behind background refreshes for a connection. The server here
 * holds every background request open until told; with the background lane's only connection
 * busy, a request made outside the background lane (a copy, a terminal) must still be answered.
 * On a single shared pool it would wait for the held request (which waits for it): the deadline
 * would end it with TIMEOUT instead.
 */
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClusterHttp, SharedAgents } from '../../../src/main/core/http'
import { runInLane } from '../../../src/main/core/http/lane'
import { USER_LANE_CONNECTIONS } from '../../../src/main/core/http/laneAgents'
import { createCertificate } from '../../sim/common/certificate'

describe('lanes: background refreshes never hold up a person', () => {
  let server: https.Server
  let url: string
  let fingerprint: string
  const held: Array<() => void> = []
  const heldArrived: Array<() => void> = []
  const sockets = new Set<object>()

  beforeAll(async () => {
    const cert = await createCertificate({ commonName: 'lanes.sim.tokendeck.test' })
    fingerprint = cert.fingerprint
    server = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      sockets.add(req.socket)
      if (req.url === '/hold') {
        held.push(answer)
        heldArrived.splice(0).forEach((f) => f())
      } else answer()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    held.splice(0).forEach((f) => f())
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it.each([
    ['its own Agent', undefined],
    ['Agents shared per server', new SharedAgents()],
  ])('with %s', async (_label, sharedAgents) => {
    const http = new ClusterHttp({
      url,
      trust: { sha256: fingerprint },
      connections: 1,
      ...(sharedAgents ? { sharedAgents } : {}),
    })
    try {
      const arrived = new Promise<void>((resolve) => heldArrived.push(resolve))
      const background = runInLane('background', () => http.request('GET', '/hold'))
      await arrived
      // Bounded only so that a regression fails instead of hanging: answered at once when it works.
      const res = await http.request('GET', '/quick', { timeoutMs: 20_000 })
      expect(res.status).toBe(200)
      held.splice(0).forEach((f) => f())
      expect((await background).status).toBe(200)
    } finally {
      await http.close()
    }
    if (sharedAgents) expect(sharedAgents.size).toBe(0)
  })

  it('six people’s requests at once open two connections to a server, not six', async () => {
    // After a wake from sleep, every copy of a storm's first moments used to open a connection
    // of its own; beside a busy CPU their handshakes took turns (bench/README.md, figure 1).
    const http = new ClusterHttp({ url, trust: { sha256: fingerprint } })
    sockets.clear()
    try {
      const replies = await Promise.all(
        Array.from({ length: 6 }, () => http.request('GET', '/quick', { timeoutMs: 20_000 })),
      )
      expect(replies.map((r) => r.status)).toEqual(new Array(6).fill(200))
      expect(USER_LANE_CONNECTIONS).toBe(2)
      expect(sockets.size).toBe(2)
    } finally {
      await http.close()
    }
  })
})
