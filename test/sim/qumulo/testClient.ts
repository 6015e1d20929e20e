import { Agent, request } from 'undici'
import type { QumuloSim } from './types'

/**
 * A plain HTTPS client for the tests: undici trusting the simulator's current certificate, no
 * Tokendeck code in between, so the tests check the wire and nothing else.
 */
export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  /** Parsed JSON body (undefined when empty). */
  body: unknown
}

export interface CallOptions {
  token?: string
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown
  /** Sent as is (with the given headers), to test malformed requests. */
  raw?: string
  headers?: Record<string, string>
}

export class TestClient {
  private agent: Agent
  private trusted: string

  constructor(private readonly sim: QumuloSim) {
    this.trusted = sim.certificate
    this.agent = new Agent({ connect: { ca: sim.certificate } })
  }

  /** Trust whatever certificate the simulator serves now (after a rotation). */
  async retrust(): Promise<void> {
    await this.agent.close()
    this.trusted = this.sim.certificate
    this.agent = new Agent({ connect: { ca: this.trusted } })
  }

  async call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`
    let body: string | undefined
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json)
      headers['content-type'] ??= 'application/json'
    } else if (opts.raw !== undefined) {
      body = opts.raw
    }
    const res = await request(`${this.sim.url}${path}`, {
      method: method as 'GET',
      headers,
      ...(body !== undefined ? { body } : {}),
      dispatcher: this.agent,
    })
    const text = await res.body.text()
    let parsed: unknown
    if (text.length > 0 && String(res.headers['content-type']).startsWith('application/json'))
      parsed = JSON.parse(text)
    return { status: res.statusCode, headers: res.headers, text, body: parsed }
  }

  /** Log in and return the session bearer token (fails the test if login fails). */
  async login(username: string, password: string): Promise<string> {
    const r = await this.call('POST', '/v1/session/login', { json: { username, password } })
    if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${r.text}`)
    return (r.body as { bearer_token: string }).bearer_token
  }

  async close(): Promise<void> {
    await this.agent.close()
  }
}

/** The seeded password of `username` (tests read it from the simulator, not a copy). */
export function passwordOf(sim: QumuloSim, username: string): string {
  const u = sim.users.find((x) => x.username === username)
  if (!u) throw new Error(`no seeded user ${username}`)
  return u.password
}

/** An error envelope field, for terse assertions. */
export function errorClass(r: Reply): string | undefined {
  return (r.body as { error_class?: string } | undefined)?.error_class
}
