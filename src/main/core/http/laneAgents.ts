/**
 * The undici Agents of one ClusterHttp: one per lane (./lane.ts), each connecting through the
 * cluster's TLS trust (./trust.ts: pinned fingerprint or CA), made on first use and leased from
 * SharedAgents when clients of the same origin and trust share connections. Kept apart from
 * clusterHttp.ts: how connections are made, trusted, pooled and closed changes for other reasons
 * than how one request is sent.
 */
import { Agent } from 'undici'
import type { ClusterTrust } from '../../../shared/model'
import type { Lane } from './lane'
import type { AgentLease, SharedAgents } from './sharedAgents'
import { createTrustConnector } from './trust'

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
export const DEFAULT_HEADERS_TIMEOUT_MS = 15_000
export const DEFAULT_BODY_TIMEOUT_MS = 30_000
/** Background connections per server (a refresh storm uses at most the refresh concurrency). */
const DEFAULT_CONNECTIONS = 8
/**
 * Connections per server kept for people waiting (./lane.ts): a copy during a refresh storm
 * finds one free instead of queueing behind the background requests. Two, not more: after a
 * wake from sleep each of a storm's first copies opened a connection of its own, and beside a
 * CPU hog the handshakes took turns on the engine's thread; with two, a third copy waits for a
 * request on an open connection (a few ms) rather than for a handshake (tens of ms). Measured
 * over eight hogged storms, pooled copy p99 99 → 64 ms (bench/README.md, figure 1). One slow
 * request (a long token list) still leaves the other connection, and an idle background one.
 */
export const USER_LANE_CONNECTIONS = 2

export interface AgentSettings {
  /** scheme://host[:port] */
  origin: string
  /** host[:port], which the certificate must name. */
  host: string
  trust: ClusterTrust
  connectTimeoutMs?: number | undefined
  headersTimeoutMs?: number | undefined
  bodyTimeoutMs?: number | undefined
  connections?: number | undefined
  sharedAgents?: SharedAgents | undefined
}

/** One lane's Agent: made on first use, leased when Agents are shared. */
interface LaneAgent {
  agent: Agent | undefined
  lease?: AgentLease | undefined
  create(): { agent: Agent } | AgentLease
}

export class LaneAgents {
  private readonly lanes: Record<Lane, LaneAgent>
  private readonly origin: string

  constructor(opts: AgentSettings) {
    // Agent.stats names each pool by its URL origin (default port dropped, IPv6 in brackets).
    this.origin = new URL(opts.origin).origin
    const create = (lane: Lane) =>
      new Agent({
        connect: createTrustConnector(opts.trust, {
          connectTimeoutMs: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
          host: opts.host,
        }),
        headersTimeout: opts.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
        bodyTimeout: opts.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
        connections:
          lane === 'background' ? (opts.connections ?? DEFAULT_CONNECTIONS) : USER_LANE_CONNECTIONS,
        allowH2: false,
      })
    const key = JSON.stringify([
      opts.origin,
      opts.trust,
      opts.connectTimeoutMs,
      opts.headersTimeoutMs,
      opts.bodyTimeoutMs,
      opts.connections,
    ])
    // Each lane's Agent is made on its first request: most clients only ever use one lane.
    const lanes = (lane: Lane): LaneAgent => {
      const sharedAgents = opts.sharedAgents
      if (!sharedAgents) return { agent: undefined, create: () => ({ agent: create(lane) }) }
      return {
        agent: undefined,
        create: () => sharedAgents.lease(`${lane} ${key}`, () => create(lane)),
      }
    }
    this.lanes = { user: lanes('user'), background: lanes('background') }
  }

  /**
   * The Agent a request of `lane` travels on. A person's request takes an idle connection the
   * background lane already has open when its own lane has none: it queues behind nothing
   * either way (an idle connection carries no request), and it skips a TLS handshake. Measured
   * beside a CPU hog, the first copies of a refresh storm spent most of their time opening the
   * person's connection while the background ones sat idle (bench/README.md, figure 1).
   */
  agentFor(lane: Lane): Agent {
    if (lane === 'user' && !this.idleConnection('user') && this.idleConnection('background'))
      return this.lanes.background.agent!
    return this.made(lane)
  }

  /** Whether the lane's Agent exists and has a connection to the origin open with nothing on it. */
  private idleConnection(lane: Lane): boolean {
    const agent = this.lanes[lane].agent
    if (!agent) return false
    const pool = agent.stats[this.origin]
    return pool !== undefined && 'free' in pool && pool.free > 0
  }

  /** The lane's own Agent, made on first use. */
  private made(lane: Lane): Agent {
    const l = this.lanes[lane]
    if (!l.agent) {
      const made = l.create()
      l.agent = made.agent
      l.lease = 'release' in made ? made : undefined
    }
    return l.agent
  }

  /** Wait up to `graceMs` for requests in flight, then drop every connection. */
  async close(graceMs: number): Promise<void> {
    await Promise.all(
      Object.values(this.lanes).map(async (l) => {
        if (!l.agent) return
        // A shared Agent stays open for the other clients of its server until the last one closes.
        if (l.lease && !l.lease.release().last) return
        await closeWithin(l.agent, graceMs)
      }),
    )
  }
}

/** Closes `agent` gracefully, or drops its connections once `graceMs` has passed. */
async function closeWithin(agent: Agent, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const grace = new Promise<'grace'>((resolve) => {
    timer = setTimeout(() => resolve('grace'), graceMs)
  })
  const outcome = await Promise.race([agent.close().then(() => 'closed' as const), grace])
  clearTimeout(timer)
  if (outcome === 'grace') await agent.destroy().catch(() => undefined)
}
