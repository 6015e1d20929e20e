import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createCertificate, type SimCertificate } from './certificate'
import { Faults } from './faults'
import type { Clock } from './clock'

/** What a simulator's handler sees of one request. Bodies are read fully before the handler. */
export interface SimRequest {
  method: string
  /** Path without the query string, percent-decoding left to the handler. */
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: Buffer
  /** Remote address, for logs. */
  remote: string
}

export interface SimResponse {
  status: number
  headers?: Record<string, string | string[]>
  /** A string or Buffer is sent as is; anything else is sent as JSON. */
  body?: unknown
}

/** One line of the request log. It never holds a header value, a body or a query value. */
export interface LoggedRequest {
  at: number
  method: string
  path: string
  status: number | 'reset' | 'hang'
  /** Who the simulator authenticated, when it did. */
  user?: string
}

export type SimHandler = (
  req: SimRequest,
  log: { user?: string },
) => Promise<SimResponse> | SimResponse

export interface HttpsSimOptions {
  name: string
  handler: SimHandler
  clock: Clock
  host?: string
  port?: number
  /** Largest request body accepted before a 413. */
  maxBodyBytes?: number
  /** Serve with a certificate signed by this CA instead of a self-signed one. */
  ca?: { key: string; cert: string }
  faultSeed?: number
  /** Rewrite a path before it is logged: where a path carries a secret (Swarm's /.TOKEN/{id}), mask it. */
  redactPath?: (path: string) => string
}

export interface HttpsSim {
  url: string
  port: number
  host: string
  fingerprint: string
  certificate: string
  faults: Faults
  requests: LoggedRequest[]
  /** Serve a new certificate from now on (new connections); returns its fingerprint. */
  rotateCertificate(opts?: { ca?: { key: string; cert: string } }): Promise<string>
  close(): Promise<void>
}

const HTML_ERROR_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > limit ? 'too-large' : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function serialize(res: SimResponse): { body: Buffer; contentType?: string } {
  if (res.body === undefined || res.body === null) return { body: Buffer.alloc(0) }
  if (Buffer.isBuffer(res.body)) return { body: res.body }
  if (typeof res.body === 'string')
    return { body: Buffer.from(res.body), contentType: 'text/plain; charset=utf-8' }
  return {
    body: Buffer.from(JSON.stringify(res.body)),
    contentType: 'application/json; charset=utf-8',
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A real HTTPS server on loopback with its own certificate, fault knobs and a request log. */
export async function startHttpsSim(opts: HttpsSimOptions): Promise<HttpsSim> {
  const host = opts.host ?? '127.0.0.1'
  let cert: SimCertificate = await createCertificate({
    commonName: `${opts.name}.sim.tokendeck.test`,
    ...(opts.ca ? { ca: opts.ca } : {}),
  })
  const faults = new Faults(opts.faultSeed ?? 1)
  const requests: LoggedRequest[] = []
  const sockets = new Set<Socket>()
  const hangs = new Set<NodeJS.Timeout>()
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024

  const server: Server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    void handle(req, res)
  })
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://sim')
    const path = url.pathname
    const entry: LoggedRequest = {
      at: opts.clock.now(),
      method: req.method ?? 'GET',
      path: opts.redactPath ? opts.redactPath(path) : path,
      status: 0,
    }
    requests.push(entry)
    try {
      const body = await readBody(req, maxBody)
      const latency = faults.take('latency', path)
      if (latency) await sleep(latency.ms)
      if (faults.take('reset', path)) {
        entry.status = 'reset'
        req.socket.destroy()
        return
      }
      const hang = faults.take('hang', path)
      if (hang) {
        entry.status = 'hang'
        const t = setTimeout(() => {
          hangs.delete(t)
          req.socket.destroy()
        }, hang.ms ?? 600_000)
        hangs.add(t)
        return
      }
      const serverError = faults.take('serverError', path)
      if (serverError) {
        const status = serverError.status ?? 503
        const headers: Record<string, string> = { 'content-type': 'application/json' }
        if (serverError.retryAfterSeconds !== undefined)
          headers['retry-after'] = String(serverError.retryAfterSeconds)
        return send(res, entry, {
          status,
          headers,
          body: { message: 'Service temporarily unavailable' },
        })
      }
      if (faults.take('htmlError', path)) {
        return send(res, entry, {
          status: 502,
          headers: { 'content-type': 'text/html' },
          body: HTML_ERROR_PAGE,
        })
      }
      if (body === 'too-large')
        return send(res, entry, { status: 413, body: { message: 'Request body too large' } })
      const who: { user?: string } = {}
      const reply = await opts.handler(
        {
          method: entry.method,
          path,
          query: url.searchParams,
          headers: req.headers,
          body,
          remote: req.socket.remoteAddress ?? '',
        },
        who,
      )
      if (who.user) entry.user = who.user
      if (faults.take('truncatedJson', path)) {
        const { body: full } = serialize(reply)
        const half = full.subarray(0, Math.max(1, Math.floor(full.length / 2)))
        return send(res, entry, {
          ...reply,
          headers: { ...reply.headers, 'content-type': 'application/json' },
          body: half,
        })
      }
      send(res, entry, reply)
    } catch (err) {
      // A simulator bug must be loud in tests but never take the server down.
      console.error(`[${opts.name} sim] handler error on ${entry.method} ${entry.path}:`, err)
      send(res, entry, { status: 500, body: { message: 'simulator internal error' } })
    }
  }

  function send(res: ServerResponse, entry: LoggedRequest, reply: SimResponse): void {
    entry.status = reply.status
    const { body, contentType } = serialize(reply)
    const headers: Record<string, string | string[] | number> = { ...reply.headers }
    const lower = Object.keys(headers).map((h) => h.toLowerCase())
    if (contentType && !lower.includes('content-type')) headers['content-type'] = contentType
    headers['content-length'] = body.length
    res.writeHead(reply.status, headers)
    res.end(body)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host

  const sim: HttpsSim = {
    url: `https://${urlHost}:${port}`,
    port,
    host,
    fingerprint: cert.fingerprint,
    certificate: cert.cert,
    faults,
    requests,
    async rotateCertificate(o) {
      cert = await createCertificate({
        commonName: `${opts.name}.sim.tokendeck.test`,
        ...(o?.ca ? { ca: o.ca } : {}),
      })
      server.setSecureContext({ key: cert.key, cert: cert.cert })
      // Kept-alive connections would go on with the old certificate; a real cluster restarting
      // its web server drops them too.
      for (const s of sockets) s.destroy()
      sim.fingerprint = cert.fingerprint
      sim.certificate = cert.cert
      return cert.fingerprint
    },
    async close() {
      for (const t of hangs) clearTimeout(t)
      hangs.clear()
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return sim
}
