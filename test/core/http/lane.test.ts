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
import { createCertificate } from '../../sim/common/certificate'

describe('lanes: background refreshes never hold up a person', () => {
  let server: https.Server
  let url: string
  let fingerprint: string
  const held: Array<() => void> = []
  const heldArrived: Array<() => void> = []

  beforeAll(async () => {
    const cert = await createCertificate({ commonName: 'lanes.sim.tokendeck.test' })
    fingerprint = cert.fingerprint
    server = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
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
})
