/**
 * Connection reuse across cluster entries that talk to the same server with the same trust: a
 * WEKA cluster listed once per organization, or the same gateway for several Swarm tenants.
 * Each such entry used to open its own connections (and TLS handshakes) to one server. Entries
 * with the same origin, trust and timeouts now lease one undici Agent; it closes when the last
 * lease is released. Different trust (another pin, a CA file) is a different Agent, so a pin is
 * never checked by a connection made for another.
 */
import type { Agent } from 'undici'

interface Entry {
  agent: Agent
  leases: number
}

export interface AgentLease {
  agent: Agent
  /** Gives the lease back; the last one closes the Agent (see ClusterHttp.close for the grace). */
  release(): { last: boolean }
}

export class SharedAgents {
  private readonly agents = new Map<string, Entry>()

  lease(key: string, create: () => Agent): AgentLease {
    let entry = this.agents.get(key)
    if (!entry) {
      entry = { agent: create(), leases: 0 }
      this.agents.set(key, entry)
    }
    entry.leases++
    const held = entry
    let released = false
    return {
      agent: held.agent,
      release: () => {
        if (released) return { last: false }
        released = true
        held.leases--
        if (held.leases > 0) return { last: false }
        if (this.agents.get(key) === held) this.agents.delete(key)
        return { last: true }
      },
    }
  }

  /** Agents alive now (for tests and the bench). */
  get size(): number {
    return this.agents.size
  }
}
