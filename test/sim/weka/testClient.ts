import { Agent, request, type Dispatcher } from 'undici'
import type { WekaSim } from './index'

/**
 * A plain undici client for the simulator tests: trusts exactly the simulator's certificate,
 * knows nothing of Tokendeck's own client code.
 */
export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  /** Parsed JSON, or undefined when the body is not JSON. */
  body: unknown
}

export interface CallOptions {
  json?: unknown
  form?: Record<string, string>
  raw?: { body: string; contentType?: string }
  token?: string
  headersTimeout?: number
  agent?: Dispatcher
}

export const trusting = (pem: string): Agent => new Agent({ connect: { ca: pem } })

export async function call(
  sim: WekaSim,
  method: string,
  path: string,
  o: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = {}
  let body: string | undefined
  if (o.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(o.json)
  } else if (o.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    body = new URLSearchParams(o.form).toString()
  } else if (o.raw) {
    if (o.raw.contentType) headers['content-type'] = o.raw.contentType
    body = o.raw.body
  }
  if (o.token) headers.authorization = `Bearer ${o.token}`
  const agent = o.agent ?? trusting(sim.certificate)
  try {
    const res = await request(`${sim.url}${path}`, {
      method: method as Dispatcher.HttpMethod,
      headers,
      ...(body !== undefined ? { body } : {}),
      dispatcher: agent,
      ...(o.headersTimeout !== undefined ? { headersTimeout: o.headersTimeout } : {}),
    })
    const text = await res.body.text()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    return { status: res.statusCode, headers: res.headers, text, body: parsed }
  } finally {
    if (!o.agent) await agent.close()
  }
}

export interface Tokens {
  access_token: string
  token_type: string
  expires_in: number
  refresh_token: string
  password_change_required: boolean
}

/** The `data` of a 200 login/refresh reply; throws with the reply when it is anything else. */
export function tokensOf(r: Reply): Tokens {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${r.text}`)
  return (r.body as { data: Tokens }).data
}

export async function login(sim: WekaSim, username: string, org?: string): Promise<Tokens> {
  const seed = sim.users.find(
    (u) => u.username === username && (org === undefined || u.tenant === org),
  )
  if (!seed) throw new Error(`no seeded user ${username}`)
  const r = await call(sim, 'POST', '/api/v2/login', {
    json: { username, password: seed.password, ...(org !== undefined ? { org } : {}) },
  })
  return tokensOf(r)
}

/** Header and claims of a JWT, without checking its signature. */
export function decodeJwt(token: string): {
  header: Record<string, unknown>
  claims: Record<string, unknown>
} {
  const [h, p] = token.split('.')
  const part = (s: string | undefined) =>
    JSON.parse(Buffer.from(s ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
  return { header: part(h), claims: part(p) }
}
