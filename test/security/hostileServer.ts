/**
 * A hostile HTTPS server on loopback: its own self-signed certificate (pinned by the test), and
 * a handler the test writes to answer whatever a broken or malicious cluster would — tokens with
 * terminal escapes, megabyte tokens, absurd numbers, web pages where an API should be.
 */
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createCertificate, type SimCertificate } from '../sim/common/certificate'

export interface HostileRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: string
}

export interface HostileReply {
  status: number
  headers?: Record<string, string>
  body?: string | Buffer
}

export interface HostileServer {
  url: string
  fingerprint: string
  /** Every request, in order (method and path). */
  requests: HostileRequest[]
  close(): Promise<void>
}

export type HostileHandler = (req: HostileRequest) => HostileReply

let certificate: Promise<SimCertificate> | undefined

export async function startHostileServer(handler: HostileHandler): Promise<HostileServer> {
  certificate ??= createCertificate({ commonName: 'hostile.tokendeck.test' })
  const cert = await certificate
  const requests: HostileRequest[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer(
    { key: cert.key, cert: cert.cert },
    (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'https://hostile')
        const request: HostileRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }
        requests.push(request)
        let reply: HostileReply
        try {
          reply = handler(request)
        } catch {
          reply = { status: 500 }
        }
        const body = reply.body ?? ''
        res.writeHead(reply.status, {
          'content-length': String(Buffer.byteLength(body)),
          ...reply.headers,
        })
        res.end(body)
      })
    },
  )
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `https://127.0.0.1:${port}`,
    fingerprint: cert.fingerprint,
    requests,
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(value),
})

/** A three-part token shaped like a WEKA JWT (docs/protocols/weka.md §6), valid for `exp` seconds. */
export function jwtLike(claims: Record<string, unknown> = {}): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sub: { username: 'admin' }, ...claims })}.c2ln`
}

/**
 * Just enough of WEKA's REST API (docs/protocols/weka.md §0) for a sign-in: health check, login,
 * refresh and whoami, with the login/refresh answer chosen by the test.
 */
export function wekaLike(tokens: () => Record<string, unknown>): HostileHandler {
  return (req) => {
    switch (`${req.method} ${req.path}`) {
      case 'GET /api/v2/healthcheck':
        return json(200, 'ok')
      case 'POST /api/v2/login':
      case 'POST /api/v2/login/refresh':
        return json(200, { data: tokens() })
      case 'GET /api/v2/users/whoami':
        return json(200, {
          data: { username: 'admin', uid: 'u-1', role: 'ClusterAdmin', org_name: 'Root' },
        })
      case 'GET /api/v2/cluster':
        return json(200, { data: { name: 'hostile', guid: 'g', release: '4.4.0' } })
      default:
        return json(404, { message: 'Not Found' })
    }
  }
}
