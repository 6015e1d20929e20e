/**
 * The hub joins session events and ticks to the tray and the notifications: it re-renders the
 * tray only when the model changed, measures credential lifetimes as it sees them, and forgets
 * removed clusters.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type SessionState } from '../../../src/shared/model'
import { NotifyHub } from '../../../src/main/core/notify/notifyHub'
import type { Notice } from '../../../src/main/core/notify/notificationPolicy'
import type { TrayModel } from '../../../src/main/core/notify/trayMenu'

const MIN = 60_000
const HOUR = 60 * MIN

function setup() {
  const clock = {
    t: Date.UTC(2025, 5, 1, 12),
    now() {
      return this.t
    },
  }
  const clusters = [{ id: 'swarm', name: 'Swarm EU' }]
  const sessions = new Map<string, SessionState>()
  const expiries = new Map<string, number>()
  const trays: TrayModel[] = []
  const shown: Notice[] = []
  const closed: string[] = []
  const hub = new NotifyHub(
    {
      clusters: () => clusters,
      session: (id) => sessions.get(id) ?? { state: 'signed-out' },
      storedExpiresAt: (id) => expiries.get(id),
      settings: () => DEFAULT_SETTINGS,
    },
    { tray: (m) => trays.push(m), show: (n) => shown.push(n), close: (k) => closed.push(k) },
    clock,
  )
  const change = (id: string, s: SessionState) => {
    sessions.set(id, s)
    hub.sessionChanged(id, s)
  }
  return { clock, clusters, sessions, expiries, trays, shown, closed, hub, change }
}

describe('NotifyHub', () => {
  it('renders the tray at start and again only when the model changes', () => {
    const h = setup()
    h.hub.start()
    expect(h.trays).toHaveLength(1)
    expect(h.trays[0]!.status).toBe('ok')
    h.hub.tick()
    h.hub.tick()
    expect(h.trays).toHaveLength(1)
    h.change('swarm', {
      state: 'failed',
      error: { code: 'TIMEOUT', message: 'Timed out.' },
      retryAt: h.clock.t + MIN,
    })
    expect(h.trays).toHaveLength(2)
    expect(h.trays[1]!.status).toBe('error')
    expect(h.shown.map((n) => n.kind)).toEqual(['refresh-failed'])
  })

  it('warns about a 24 h token 2 hours ahead, measuring its lifetime from when it was issued', () => {
    const h = setup()
    h.hub.start()
    h.change('swarm', { state: 'signing-in' })
    h.expiries.set('swarm', h.clock.t + 24 * HOUR)
    h.change('swarm', { state: 'active', expiresAt: h.clock.t + 24 * HOUR })
    h.hub.tick()
    h.clock.t += 21 * HOUR
    h.hub.tick()
    expect(h.shown).toEqual([])
    expect(h.trays.at(-1)!.status).toBe('ok')
    h.clock.t += HOUR + MIN
    h.hub.tick()
    expect(h.shown.map((n) => [n.kind, n.key])).toEqual([['expiring', 'swarm:credential']])
    expect(h.trays.at(-1)!.status).toBe('warning')
    h.clock.t += MIN
    h.hub.tick()
    expect(h.shown).toHaveLength(1)
  })

  it('flags a refresh that hangs on a later tick', () => {
    const h = setup()
    h.hub.start()
    h.change('swarm', { state: 'refreshing' })
    expect(h.trays.at(-1)!.status).toBe('ok')
    h.clock.t += 3 * MIN
    h.hub.tick()
    expect(h.trays.at(-1)!.status).toBe('warning')
  })

  it('notifies at start about a state reached before it was listening', () => {
    const h = setup()
    h.sessions.set('swarm', { state: 'untrusted', seenSha256: 'AB' })
    h.hub.start()
    expect(h.shown.map((n) => n.kind)).toEqual(['certificate-changed'])
  })

  it('takes down the notices of a removed cluster', () => {
    const h = setup()
    h.hub.start()
    h.change('swarm', { state: 'untrusted', seenSha256: 'AB' })
    h.clusters.length = 0
    h.hub.clustersChanged()
    expect(h.closed).toEqual(['swarm:certificate'])
    expect(h.trays.at(-1)!.items.map((i) => i.id)).toEqual(['app:open', 'app:quit'])
  })
})
