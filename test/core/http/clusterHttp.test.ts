// ClusterHttp against a real HTTPS simulator on loopback: request shape, defensive JSON, every
// fault knob mapped to its error code, the response-size cap, and secrets kept out of messages.
import https from 'node:https'
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  ClusterHttp,
  expectStatus,
  parseJson,
  type ClusterHttpOptions,
} from '../../../src/main/core/http'
import { TokendeckError } from '../../../src/shared/errors'
import { createCertificate } from '../../sim/common/certificate'
import { systemClock } from '../../sim/common/clock'
import { parseJson as simParseJson } from '../../sim/common/http'
import {
  startHttpsSim,
  type HttpsSim,
  type SimHandler,
  type SimResponse,
} from '../../sim/common/server'
import { failure } from './failure'

/** Stands in for an access token a server might echo back. */
const SECRET = 'tdk-SECRET-8c1f2a9be4d7'

const handler: SimHandler = (req): SimResponse => {
  switch (req.path) {
    case '/echo': {
      const body = simParseJson(req)
      return {
        status: 200,
        body: {
          method: req.method,
          query: Object.fromEntries([...req.query.keys()].map((k) => [k, req.query.getAll(k)])),
          contentType: req.headers['content-type'] ?? null,
          accept: req.headers.accept ?? null,
          custom: req.headers['x-custom'] ?? null,
          body: body.ok ? (body.value ?? null) : 'not json',
        },
      }
    }
    case '/api/v2/prefixed':
      return { status: 200, body: { prefixed: true } }
    case '/token':
      return { status: 200, body: { access_token: SECRET, expires_in: 300 } }
    case '/html':
      // A login portal or web UI answering 200 where the API should be.
      return {
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: `<html><body>Welcome ${SECRET}</body></html>`,
      }
    case '/empty':
      return { status: 200 }
    case '/big':
      return { status: 200, body: Buffer.alloc(64 * 1024, 'a') }
    case '/busy-date':
      return {
        status: 503,
        headers: { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' },
        body: { message: SECRET },
      }
    case '/teapot':
      return { status: 418, body: { message: SECRET } }
    case '/missing':
      return { status: 404, body: { message: 'no such token' } }
    case '/created':
      return { status: 201, body: { id: 'tok-1' } }
    default:
      return { status: 200, body: { ok: true } }
  }
}

let sim: HttpsSim
const clients: ClusterHttp[] = []

beforeAll(async () => {
  sim = await startHttpsSim({ name: 'http', clock: systemClock, handler })
})
afterEach(async () => {
  sim.faults.clear()
  sim.requests.length = 0
  await Promise.all(clients.splice(0).map((c) => c.close()))
})
afterAll(async () => {
  await sim.close()
  // No test here may have loosened TLS for the whole process.
  expect(https.globalAgent.options.rejectUnauthorized).not.toBe(false)
  expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined()
})

function client(opts: Partial<ClusterHttpOptions> = {}): ClusterHttp {
  const c = new ClusterHttp({ url: sim.url, trust: { sha256: sim.fingerprint }, ...opts })
  clients.push(c)
  return c
}

function expectNoSecret(err: TokendeckError): void {
  expect(err.message).not.toContain(SECRET)
  expect(JSON.stringify(err.toInfo())).not.toContain(SECRET)
  expect(String(err.stack)).not.toContain(SECRET)
  expect(JSON.stringify(err.cause ?? null)).not.toContain(SECRET)
}

describe('requests', () => {
  it('sends method, query, JSON body and headers, and returns status, headers and raw body', async () => {
    const res = await client().request('POST', '/echo', {
      query: { a: 'x y', n: 2, flag: true, skip: undefined, many: ['1', '2'] },
      json: { hello: 'world' },
      headers: { 'X-Custom': 'yes' },
    })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toMatch(/application\/json/)
    expect(res.endpoint).toBe('POST /echo')
    expect(JSON.parse(res.body.toString())).toEqual({
      method: 'POST',
      query: { a: ['x y'], n: ['2'], flag: ['true'], many: ['1', '2'] },
      contentType: 'application/json',
      accept: 'application/json',
      custom: 'yes',
      body: { hello: 'world' },
    })
  })

  it('puts the cluster URL’s path prefix in front of every path', async () => {
    const http = client({ url: `${sim.url}/api/v2/` })
    expect(await http.json('GET', '/prefixed', z.object({ prefixed: z.boolean() }))).toEqual({
      prefixed: true,
    })
  })

  it('returns 4xx to the caller instead of throwing', async () => {
    const res = await client().request('DELETE', '/missing')
    expect(res.status).toBe(404)
  })

  it('rejects a non-https URL', () => {
    expect(
      () => new ClusterHttp({ url: 'http://127.0.0.1:1', trust: { sha256: sim.fingerprint } }),
    ).toThrow(/https/)
  })

  it('refuses requests after close()', async () => {
    const http = client()
    await http.request('GET', '/ok')
    await http.close()
    await http.close()
    const err = await failure(http.request('GET', '/ok'))
    expect(err.code).toBe('INTERNAL')
  })
})

describe('json() and parseJson()', () => {
  const Token = z.object({ access_token: z.string(), expires_in: z.number() })

  it('parses a reply that matches the schema', async () => {
    expect(await client().json('POST', '/token', Token)).toEqual({
      access_token: SECRET,
      expires_in: 300,
    })
  })

  it('a wrong shape is BAD_RESPONSE naming the endpoint and the field, not the value', async () => {
    const err = await failure(
      client().json('POST', '/token', z.object({ access_token: z.number() })),
    )
    expect(err.code).toBe('BAD_RESPONSE')
    expect(err.message).toContain('POST /token')
    expect(err.message).toMatch(/access_token: expected number/)
    expectNoSecret(err)
  })

  it('an HTML page where JSON belongs is BAD_RESPONSE naming the endpoint', async () => {
    const err = await failure(client().json('GET', '/html', Token))
    expect(err.code).toBe('BAD_RESPONSE')
    expect(err.message).toContain('GET /html')
    expect(err.message).toMatch(/web page/)
    expectNoSecret(err)
  })

  it('an empty body where JSON is expected is BAD_RESPONSE', async () => {
    const err = await failure(client().json('GET', '/empty', Token))
    expect(err.code).toBe('BAD_RESPONSE')
    expect(err.message).toContain('GET /empty')
    expect(err.message).toMatch(/empty/)
  })

  it('checks the status: 201 when asked for, 404 → NOT_FOUND, an unexpected status → BAD_RESPONSE', async () => {
    const http = client()
    expect(
      await http.json('POST', '/created', z.object({ id: z.string() }), { okStatus: 201 }),
    ).toEqual({ id: 'tok-1' })
    expect((await failure(http.json('GET', '/missing', Token))).code).toBe('NOT_FOUND')
    const teapot = await failure(http.json('GET', '/teapot', Token))
    expect(teapot.code).toBe('BAD_RESPONSE')
    expect(teapot.message).toContain('HTTP 418')
    expect(teapot.message).toContain('GET /teapot')
    expectNoSecret(teapot)
  })

  it('names a request by the caller’s label when its path carries a secret', async () => {
    const err = await failure(
      client().json('GET', `/html`, Token, { endpoint: 'GET /.TOKEN/{token}' }),
    )
    expect(err.message).toContain('GET /.TOKEN/{token}')
    expect(err.message).not.toContain('/html')
  })

  it('parseJson and expectStatus work on a response built by hand (for vendor tests)', () => {
    const res = {
      status: 200,
      headers: {},
      body: Buffer.from('{"a":1}'),
      endpoint: 'GET /a',
      host: 'h',
      receivedAt: 0,
    }
    expect(parseJson(res)).toEqual({ a: 1 })
    expect(parseJson(res, z.object({ a: z.number() }))).toEqual({ a: 1 })
    expect(() => expectStatus({ ...res, status: 403 })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    )
    expect(() => expectStatus({ ...res, status: 401 })).toThrow(
      expect.objectContaining({ code: 'NOT_SIGNED_IN' }),
    )
    expect(() => expectStatus({ ...res, status: 204 }, [200])).toThrow(
      expect.objectContaining({ code: 'BAD_RESPONSE' }),
    )
    expect(() => expectStatus({ ...res, status: 204 })).not.toThrow()
  })
})

describe('fault knobs → error codes', () => {
  it('503 with Retry-After (seconds) → SERVER_ERROR with retryAt from the injected clock', async () => {
    sim.faults.enable('serverError', { status: 503, retryAfterSeconds: 30 })
    const now = Date.UTC(2026, 10, 23, 9, 0, 0)
    const err = await failure(client({ now: () => now }).request('GET', '/ok'))
    expect(err.code).toBe('SERVER_ERROR')
    expect(err.retryAt).toBe(now + 30_000)
    expect(err.message).toContain('GET /ok')
    expect(err.message).toContain('503')
  })

  it('503 with an HTTP-date Retry-After → retryAt is that date; the body stays out of the message', async () => {
    const err = await failure(client().request('GET', '/busy-date'))
    expect(err.code).toBe('SERVER_ERROR')
    expect(err.retryAt).toBe(Date.UTC(2026, 9, 21, 7, 28, 0))
    expectNoSecret(err)
  })

  it('5xx without Retry-After → SERVER_ERROR without retryAt', async () => {
    sim.faults.enable('serverError', { status: 500 })
    const err = await failure(client().request('GET', '/ok'))
    expect(err.code).toBe('SERVER_ERROR')
    expect(err.retryAt).toBeUndefined()
  })

  it('a proxy’s HTML 502 page → SERVER_ERROR (the cluster is failing; retry later), naming the endpoint', async () => {
    sim.faults.enable('htmlError', {})
    const err = await failure(client().json('GET', '/token', z.object({})))
    expect(err.code).toBe('SERVER_ERROR')
    expect(err.message).toContain('GET /token')
    expect(err.message).toContain('502')
  })

  it('connection reset → UNREACHABLE', async () => {
    sim.faults.enable('reset', {})
    const err = await failure(
      client().request('POST', '/token', { json: { password: SECRET }, query: { token: SECRET } }),
    )
    expect(err.code).toBe('UNREACHABLE')
    expect(err.message).toContain('POST /token')
    expect(err.message).toContain(sim.host)
    expectNoSecret(err)
  })

  it('truncated JSON → BAD_RESPONSE naming the endpoint, never the partial body', async () => {
    sim.faults.enable('truncatedJson', {})
    const err = await failure(
      client().json('POST', '/token', z.object({ access_token: z.string() })),
    )
    expect(err.code).toBe('BAD_RESPONSE')
    expect(err.message).toContain('POST /token')
    expect(err.message).toMatch(/incomplete or malformed/)
    expectNoSecret(err)
  })

  it('hang → TIMEOUT within the configured headers timeout', async () => {
    sim.faults.enable('hang', { ms: 20_000 })
    const started = Date.now()
    const err = await failure(client({ headersTimeoutMs: 300 }).request('GET', '/ok'))
    const took = Date.now() - started
    expect(err.code).toBe('TIMEOUT')
    expect(took).toBeGreaterThanOrEqual(250)
    expect(took).toBeLessThan(3_000)
  })

  it('hang → TIMEOUT within a per-request timeoutMs', async () => {
    sim.faults.enable('hang', { ms: 20_000 })
    const started = Date.now()
    const err = await failure(client().request('GET', '/ok', { timeoutMs: 300 }))
    expect(err.code).toBe('TIMEOUT')
    expect(err.message).toMatch(/within 0\.3 s/)
    expect(Date.now() - started).toBeLessThan(3_000)
  })

  it('latency below the timeout is just slow; above it, TIMEOUT', async () => {
    sim.faults.enable('latency', { ms: 400 })
    const http = client()
    expect((await http.request('GET', '/ok', { timeoutMs: 5_000 })).status).toBe(200)
    expect((await failure(http.request('GET', '/ok', { timeoutMs: 150 }))).code).toBe('TIMEOUT')
  })

  it('connection refused on a closed port → UNREACHABLE', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createTcpServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as AddressInfo).port
        srv.close(() => resolve(p))
      })
    })
    const err = await failure(client({ url: `https://127.0.0.1:${port}` }).request('GET', '/ok'))
    expect(err.code).toBe('UNREACHABLE')
    expect(err.message).toMatch(/refused/)
  })

  it('a server that accepts TCP but never completes TLS → TIMEOUT within the connect timeout', async () => {
    const held = new Set<Socket>()
    const silent: TcpServer = createTcpServer((s) => held.add(s))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    try {
      const started = Date.now()
      const err = await failure(
        client({
          url: `https://127.0.0.1:${(silent.address() as AddressInfo).port}`,
          connectTimeoutMs: 300,
        }).request('GET', '/ok'),
      )
      expect(err.code).toBe('TIMEOUT')
      expect(Date.now() - started).toBeLessThan(3_000)
    } finally {
      for (const s of held) s.destroy()
      await new Promise((r) => silent.close(r))
    }
  })
})

describe('response size cap', () => {
  it('a declared length over the cap → BAD_RESPONSE without reading it', async () => {
    const err = await failure(client({ maxResponseBytes: 16 * 1024 }).request('GET', '/big'))
    expect(err.code).toBe('BAD_RESPONSE')
    expect(err.message).toContain('GET /big')
    expect(err.message).toMatch(/larger than 16 KiB/)
  })

  it('a HEAD reply is not judged by the length of the body it does not send', async () => {
    const res = await client({ maxResponseBytes: 16 * 1024 }).request('HEAD', '/big')
    expect(res.status).toBe(200)
    expect(res.body.length).toBe(0)
  })

  it('the cap can be raised per request, and a reply within it is read whole', async () => {
    const res = await client({ maxResponseBytes: 16 * 1024 }).request('GET', '/big', {
      maxResponseBytes: 128 * 1024,
    })
    expect(res.body.length).toBe(64 * 1024)
  })

  it('an endless chunked reply (no length) is cut off at the cap and the connection dropped', async () => {
    const cert = await createCertificate({ commonName: 'endless.sim.tokendeck.test' })
    let sent = 0
    let clientGone!: () => void
    const gone = new Promise<void>((r) => (clientGone = r))
    const endless = https.createServer({ key: cert.key, cert: cert.cert }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const chunk = Buffer.alloc(16 * 1024, 'x')
      const pump = (): void => {
        while (!res.destroyed && sent < 64 * 1024 * 1024) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
      }
      res.on('close', clientGone)
      pump()
    })
    await new Promise<void>((r) => endless.listen(0, '127.0.0.1', r))
    try {
      const url = `https://127.0.0.1:${(endless.address() as AddressInfo).port}`
      const err = await failure(
        client({ url, trust: { sha256: cert.fingerprint }, maxResponseBytes: 256 * 1024 }).request(
          'GET',
          '/stream',
        ),
      )
      expect(err.code).toBe('BAD_RESPONSE')
      expect(err.message).toMatch(/larger than 256 KiB/)
      await gone
      // We stopped reading near the cap rather than draining the server's 64 MiB.
      expect(sent).toBeLessThan(16 * 1024 * 1024)
    } finally {
      endless.closeAllConnections()
      await new Promise((r) => endless.close(r))
    }
  })
})
