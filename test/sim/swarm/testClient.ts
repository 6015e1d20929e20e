import { Agent, request } from 'undici'
import type { SwarmSim } from './index'

/**
 * A plain undici client for the Swarm tests: real HTTPS, the simulator certificate as the only
 * trusted CA, no Tokendeck client code in between.
 */
export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json<T = unknown>(): T
}

export interface CallOptions {
  basic?: [string, string]
  cookie?: string
  headers?: Record<string, string>
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
}

export function swarmClient(sim: SwarmSim, ca = sim.certificate) {
  const agent = new Agent({ connect: { ca } })
  async function call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.basic) headers.authorization = basic(...opts.basic)
    if (opts.cookie !== undefined) headers.cookie = `token=${opts.cookie}`
    const res = await request(`${sim.url}${path}`, {
      method: method as 'GET',
      headers,
      dispatcher: agent,
    })
    const text = await res.body.text()
    return {
      status: res.statusCode,
      headers: res.headers as Reply['headers'],
      text,
      json: <T>() => JSON.parse(text) as T,
    }
  }
  return { agent, call, close: () => agent.close() }
}

/** Password of a seeded user, read from the simulator so tests never repeat seed secrets. */
export function pw(sim: SwarmSim, username: string): [string, string] {
  const user = sim.state.users.get(username)
  if (!user) throw new Error(`no seeded user ${username}`)
  return [username, user.password]
}

/** The id in a `/.TOKEN/` create body: its second word (docs/protocols/swarm.md §2.1 CODE). */
export function idFromBody(text: string): string {
  const id = text.split(/\s+/)[1]
  if (!id) throw new Error(`no token id in ${JSON.stringify(text)}`)
  return id
}

export function header(reply: Reply, name: string): string | undefined {
  const v = reply.headers[name]
  return Array.isArray(v) ? v.join('\n') : v
}
