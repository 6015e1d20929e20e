// Every cluster request has one overall deadline (connect + headers + whole body), whatever
// undici's per-phase timeouts say. Real "trickling" HTTPS servers on loopback send a byte every
// 200 ms — never silent long enough for a per-phase timeout, and they would go on for a minute —
// and the client must give up at its deadline with TIMEOUT, naming host, endpoint and deadline,
// and drop the connection. No fixed sleeps: the tests wait for the rejection and for the
// server's own 'close' on its socket.
import https from 'node:https'
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net'
import tls from 'node:tls'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  ClusterHttp,
  DEFAULT_REQUEST_DEADLINE_MS,
  type ClusterHttpOptions,
} from '../../../src/main/core/http/clusterHttp'
import { VendorClientProvider } from '../../../src/main/core/vendors/clientProvider'
import { WekaClient } from '../../../src/main/core/vendors/weka'
import { DEFAULT_SETTINGS, Settings, type Cluster } from '../../../src/shared/model'
import type { TokendeckError } from '../../../src/shared/errors'
import { createCertificate, type SimCertificate } from '../../sim/common/certificate'
import { failure } from './failure'

/** Sent in a query string and a password: must never reach a message. */
const SECRET = 'tdk-SECRET-5e0b7d21c9aa'
/** One byte this often: far below every per-phase timeout the clients here use. */
const TRICKLE_EVERY_MS = 200
/** How long a trickling server would take to finish: 300 bytes × 200 ms = 60 s. */
const TRICKLE_BYTES = 300
const TRICKLE_TOTAL_MS = TRICKLE_BYTES * TRICKLE_EVERY_MS
/** Per-phase timeouts far above the trickle interval (and the deadline), so only the deadline can fire. */
const PATIENT: Partial<ClusterHttpOptions> = {
  connectTimeoutMs: 30_000,
  headersTimeoutMs: 120_000,
  bodyTimeoutMs: 30_000,
}
/** Generous: the deadline is 1.5 s, the server would take 60 s. Only fails if the deadline did not work. */
const WELL_BEFORE_MS = 15_000

type Mode =
  /** Full headers at once, then the body one byte at a time. */
  | 'body'
  /** The status line, then header bytes one at a time. */
  | 'headers'

interface Connection {
  /** Resolves when the server sees this socket close. */
  closed: Promise<void>
}

interface Trickler {
  url: string
  fingerprint: string
  /** Every TLS connection the server accepted, in order. */
  connections: Connection[]
  /** Resolves with the next connection the server accepts. */
  nextConnection(): Promise<Connection>
  close(): Promise<void>
}

let cert: SimCertificate
const servers: Trickler[] = []
const clients: ClusterHttp[] = []

beforeAll(async () => {
  cert = await createCertificate({ commonName: 'trickle.sim.tokendeck.test' })
})
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
afterAll(() => {
  // Nothing here may have loosened TLS for the whole process.
  expect(https.globalAgent.options.rejectUnauthorized).not.toBe(false)
  expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined()
})

/**
 * A raw HTTP/1.1-over-TLS server that answers every request slowly. `bytes` and `everyMs` set how
 * long it trickles; the reply is valid JSON once complete.
 */
async function startTrickler(
  mode: Mode,
  { bytes = TRICKLE_BYTES, everyMs = TRICKLE_EVERY_MS } = {},
): Promise<Trickler> {
  const connections: Connection[] = []
  const waiting: ((c: Connection) => void)[] = []
  const open = new Set<tls.TLSSocket>()
  const json = '{"ok":true}'
  const padding = Math.max(0, bytes - json.length)
  const server = tls.createServer({ key: cert.key, cert: cert.cert }, (socket) => {
    open.add(socket)
    let timer: NodeJS.Timeout | undefined
    const connection: Connection = {
      closed: new Promise<void>((resolve) =>
        socket.once('close', () => {
          clearInterval(timer)
          open.delete(socket)
          resolve()
        }),
      ),
    }
    connections.push(connection)
    waiting.splice(0).forEach((w) => w(connection))
    socket.on('error', () => undefined)

    let seen = ''
    let started = false
    socket.on('data', (d: Buffer) => {
      seen += d.toString('latin1')
      // Answer once the request head is in (the body, if any, comes with or right after it).
      if (started || !seen.includes('\r\n\r\n')) return
      started = true
      let pending: string
      if (mode === 'body') {
        socket.write(
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${padding + json.length}\r\n\r\n`,
        )
        pending = ' '.repeat(padding) + json
      } else {
        socket.write('HTTP/1.1 200 OK\r\n')
        const rest = `content-type: application/json\r\ncontent-length: ${json.length}\r\n\r\n`
        // Pad with a long header so the head alone takes `bytes` steps.
        const header = `x-slow: ${'a'.repeat(Math.max(1, bytes - rest.length - 10))}\r\n`
        pending = header + rest + json
      }
      timer = setInterval(() => {
        if (socket.destroyed) return
        // Past the head, send the JSON at once: only the slow part is trickled.
        const step = mode === 'headers' && pending.startsWith(json) ? json.length : 1
        socket.write(pending.slice(0, step))
        pending = pending.slice(step)
        if (pending.length === 0) clearInterval(timer)
      }, everyMs)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const t: Trickler = {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fingerprint: cert.fingerprint,
    connections,
    nextConnection: () => new Promise((resolve) => waiting.push(resolve)),
    close: async () => {
      for (const s of open) s.destroy()
      await new Promise((r) => server.close(r))
    },
  }
  servers.push(t)
  return t
}

function client(server: { url: string }, opts: Partial<ClusterHttpOptions> = {}): ClusterHttp {
  const c = new ClusterHttp({
    url: server.url,
    trust: { sha256: cert.fingerprint },
    ...PATIENT,
    ...opts,
  })
  clients.push(c)
  return c
}

/** How long `p` took to fail, and with what. */
/** Times from before the call: the deadline starts inside it, in its synchronous part. */
async function timed(
  start: () => Promise<unknown>,
): Promise<{ err: TokendeckError; took: number }> {
  const started = performance.now()
  const err = await failure(start())
  return { err, took: performance.now() - started }
}

function expectClearTimeout(err: TokendeckError, host: string, endpoint: string, secs: string) {
  expect(err.code).toBe('TIMEOUT')
  expect(err.message).toContain(host)
  expect(err.message).toContain(endpoint)
  expect(err.message).toContain(`within ${secs} s`)
  expect(err.message).not.toContain('?')
  expect(err.message).not.toContain(SECRET)
  expect(JSON.stringify(err.toInfo())).not.toContain(SECRET)
}

describe('overall request deadline', () => {
  it('a body trickled one byte every 200 ms → TIMEOUT at the deadline, and the connection is dropped', async () => {
    const server = await startTrickler('body')
    const http = client(server, { deadlineMs: 1500 })
    const accepted = server.nextConnection()
    const { err, took } = await timed(() =>
      http.request('GET', '/api/v2/login', { query: { token: SECRET } }),
    )
    expectClearTimeout(err, http.host, 'GET /api/v2/login', '1.5')
    expect(took).toBeGreaterThanOrEqual(1500 - 5)
    expect(took).toBeLessThan(WELL_BEFORE_MS)
    expect(took).toBeLessThan(TRICKLE_TOTAL_MS)
    // The server sees its socket closed: we hung up rather than leaving it in the pool.
    await (
      await accepted
    ).closed
  })

  it('response headers trickled one byte every 200 ms → TIMEOUT at the deadline, connection dropped', async () => {
    const server = await startTrickler('headers')
    const http = client(server, { deadlineMs: 1500 })
    const accepted = server.nextConnection()
    const { err, took } = await timed(() => http.request('POST', '/login', { json: { p: SECRET } }))
    expectClearTimeout(err, http.host, 'POST /login', '1.5')
    expect(took).toBeGreaterThanOrEqual(1500 - 5)
    expect(took).toBeLessThan(WELL_BEFORE_MS)
    await (
      await accepted
    ).closed
  })

  it('also bounds connecting: a server that accepts TCP but never completes TLS', async () => {
    const held = new Set<Socket>()
    const silent = createTcpServer((s) => held.add(s.on('error', () => undefined)))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    try {
      const http = client(
        { url: `https://127.0.0.1:${(silent.address() as AddressInfo).port}` },
        { deadlineMs: 1500 },
      )
      const { err, took } = await timed(() => http.request('GET', '/ok'))
      expectClearTimeout(err, http.host, 'GET /ok', '1.5')
      expect(took).toBeGreaterThanOrEqual(1500 - 5)
      // The connect timeout is 30 s: only the deadline can have ended this.
      expect(took).toBeLessThan(WELL_BEFORE_MS)
    } finally {
      for (const s of held) s.destroy()
      await new Promise((r) => silent.close(r))
    }
  })

  it('a slow reply that completes within the deadline is read whole', async () => {
    const server = await startTrickler('body', { bytes: 20, everyMs: 10 })
    const res = await client(server, { deadlineMs: 10_000 }).request('GET', '/slow-but-fine')
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body.toString())).toEqual({ ok: true })
  })

  it('the function form is read at the start of every request, so a changed setting applies at once', async () => {
    const server = await startTrickler('body')
    let current = 600
    let reads = 0
    const http = client(server, {
      deadlineMs: () => {
        reads++
        return current
      },
    })

    const first = await timed(() => http.request('GET', '/a'))
    expectClearTimeout(first.err, http.host, 'GET /a', '0.6')
    expect(first.took).toBeGreaterThanOrEqual(600 - 5)
    expect(reads).toBe(1)

    current = 1200
    const second = await timed(() => http.request('GET', '/b'))
    expectClearTimeout(second.err, http.host, 'GET /b', '1.2')
    expect(second.took).toBeGreaterThanOrEqual(1200 - 5)
    expect(reads).toBe(2)

    // A request's own timeoutMs wins, and then the client's value is not even read.
    const third = await timed(() => http.request('GET', '/c', { timeoutMs: 400 }))
    expectClearTimeout(third.err, http.host, 'GET /c', '0.4')
    expect(reads).toBe(2)
  })

  it('an unusable deadline (0, negative, NaN, a throwing function) falls back to the default, not "at once"', async () => {
    const server = await startTrickler('body', { bytes: 20, everyMs: 10 })
    const unusable: ClusterHttpOptions['deadlineMs'][] = [
      0,
      -1,
      Number.NaN,
      () => Number.POSITIVE_INFINITY,
      () => {
        throw new Error('settings unavailable')
      },
    ]
    for (const deadlineMs of unusable) {
      const res = await client(server, { deadlineMs }).request('GET', '/ok')
      expect(res.status).toBe(200)
    }
  })

  it('the default deadline matches the requestTimeoutSeconds setting, whose bounds are 5–600 s', () => {
    expect(DEFAULT_REQUEST_DEADLINE_MS).toBe(45_000)
    expect(DEFAULT_SETTINGS.requestTimeoutSeconds * 1000).toBe(DEFAULT_REQUEST_DEADLINE_MS)
    const at = (requestTimeoutSeconds: unknown) =>
      Settings.safeParse({ requestTimeoutSeconds }).success
    expect([at(5), at(600), at(4), at(601), at(10.5)]).toEqual([true, true, false, false, false])
  })
})

describe('through the vendor layer', () => {
  it('WEKA sign-in against a trickling server → TIMEOUT naming POST /login, never the password', async () => {
    const server = await startTrickler('body')
    const http = client(server, { deadlineMs: 1500 })
    const weka = new WekaClient({ http, now: () => Date.now() })
    const accepted = server.nextConnection()
    const { err, took } = await timed(() => weka.signIn({ username: 'admin', password: SECRET }))
    expectClearTimeout(err, http.host, '/login', '1.5')
    expect(took).toBeLessThan(WELL_BEFORE_MS)
    await (
      await accepted
    ).closed
  })

  it('VendorClientProvider applies requestDeadlineMs (read per request) to the clients it builds', async () => {
    const server = await startTrickler('body')
    let seconds = 1
    const provider = new VendorClientProvider({
      clock: { now: () => Date.now() },
      http: PATIENT,
      requestDeadlineMs: () => seconds * 1000,
    })
    try {
      const cluster: Cluster = {
        id: 'slow-weka',
        vendor: 'weka',
        name: 'Slow WEKA',
        url: server.url,
        username: 'admin',
        trust: { sha256: cert.fingerprint },
      }
      const weka = provider.get(cluster)
      const first = await timed(() => weka.signIn({ username: 'admin', password: SECRET }))
      expect(first.err.code).toBe('TIMEOUT')
      expect(first.err.message).toMatch(/within 1 s/)
      expect(first.took).toBeLessThan(WELL_BEFORE_MS)

      // Same client object, new setting value.
      seconds = 2
      expect(provider.get(cluster)).toBe(weka)
      const second = await timed(() => weka.signIn({ username: 'admin', password: SECRET }))
      expect(second.err.message).toMatch(/within 2 s/)
      expect(second.took).toBeGreaterThanOrEqual(2000 - 5)
      expect(second.took).toBeLessThan(WELL_BEFORE_MS)
    } finally {
      await provider.close()
    }
  })
})
