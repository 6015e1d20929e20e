/**
 * The tray as data: ids, enabled flags, the worst-status rules, the tooltip and the expiry
 * thresholds (hours for credentials living under 48 h, days otherwise), at a fixed now.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type SessionState } from '../../../src/shared/model'
import {
  buildTrayModel,
  findTrayItem,
  REFRESHING_TOO_LONG_MS,
  TOOLTIP_MAX,
  trayCommand,
  type TrayCluster,
  type TrayItem,
} from '../../../src/main/core/notify/trayMenu'

const NOW = Date.UTC(2025, 5, 1, 12)
const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const settings = DEFAULT_SETTINGS // 7 days / 2 hours

const active: SessionState = { state: 'active', expiresAt: NOW + 5 * MIN }
const cluster = (
  id: string,
  session: SessionState,
  extra: Partial<TrayCluster> = {},
): TrayCluster => ({
  id,
  name: id.toUpperCase(),
  session,
  ...extra,
})
const model = (...clusters: TrayCluster[]) => buildTrayModel({ clusters, now: NOW, settings })
const item = (items: TrayItem[], id: string) => {
  const found = findTrayItem(items, id)
  if (!found || found.type !== 'item') throw new Error(`no item ${id}`)
  return found
}

describe('tray menu items', () => {
  it('gives each cluster a submenu with copy, refresh and open, then the app items', () => {
    const m = model(cluster('weka-1', active), cluster('qumulo-a', { state: 'signed-out' }))
    expect(m.items.map((i) => i.id)).toEqual([
      'cluster:weka-1',
      'cluster:qumulo-a',
      'separator:app',
      'app:open',
      'app:quit',
    ])
    const sub = m.items[0]!
    expect(sub.type).toBe('submenu')
    if (sub.type !== 'submenu') return
    expect(sub.items.map((i) => [i.id, i.type === 'item' ? i.label : ''])).toEqual([
      ['cluster:weka-1:copy', 'Copy access token'],
      ['cluster:weka-1:copy-as', ''],
      ['cluster:weka-1:refresh', 'Refresh now'],
      ['cluster:weka-1:open', 'Open'],
    ])
    expect(sub.label).toBe('WEKA-1 — signed in')
    expect(item(m.items, 'app:open').label).toBe('Open Tokendeck')
    expect(item(m.items, 'app:quit').label).toBe('Quit')
  })

  it('enables copy only for a live session (active or refreshing)', () => {
    const states: Array<[SessionState, boolean, boolean]> = [
      [active, true, true],
      [{ state: 'refreshing', expiresAt: NOW + MIN }, true, false],
      [{ state: 'signed-out' }, false, false],
      [{ state: 'signing-in' }, false, false],
      [{ state: 'expired' }, false, false],
      [{ state: 'locked', until: NOW + HOUR }, false, false],
      [
        { state: 'failed', error: { code: 'UNREACHABLE', message: 'x' }, retryAt: NOW + MIN },
        false,
        true,
      ],
      [{ state: 'untrusted', seenSha256: 'AB' }, false, false],
    ]
    for (const [session, copy, refresh] of states) {
      const m = model(cluster('c', session))
      expect(item(m.items, 'cluster:c:copy').enabled, session.state).toBe(copy)
      for (const f of ['header', 'export', 'curl'])
        expect(item(m.items, `cluster:c:copy-as:${f}`).enabled, session.state).toBe(copy)
      expect(item(m.items, 'cluster:c:refresh').enabled, session.state).toBe(refresh)
      expect(item(m.items, 'cluster:c:open').enabled).toBe(true)
    }
  })

  it('offers "Copy as" a header, an export line and a curl command per cluster', () => {
    const sub = findTrayItem(model(cluster('weka-1', active)).items, 'cluster:weka-1:copy-as')
    expect(sub?.type === 'submenu' && sub.label).toBe('Copy as')
    if (sub?.type !== 'submenu') return
    expect(sub.items.map((i) => [i.id, i.type === 'item' ? i.label : ''])).toEqual([
      ['cluster:weka-1:copy-as:header', 'HTTP header'],
      ['cluster:weka-1:copy-as:export', 'Shell export line'],
      ['cluster:weka-1:copy-as:curl', 'curl command'],
    ])
    expect(trayCommand('cluster:weka-1:copy-as:curl')).toEqual({
      type: 'copyAs',
      clusterId: 'weka-1',
      format: 'curl',
    })
    expect(trayCommand('cluster:weka-1:copy-as')).toBeUndefined()
    expect(trayCommand('cluster:weka-1:copy-as:token2')).toBeUndefined()
  })

  it('has only the app items, without a separator, when there are no clusters', () => {
    const m = model()
    expect(m.items.map((i) => i.id)).toEqual(['app:open', 'app:quit'])
    expect(m.status).toBe('ok')
    expect(m.tooltip).toBe('Tokendeck — no clusters yet')
  })

  it('maps item ids back to commands', () => {
    expect(trayCommand('cluster:weka-1:copy')).toEqual({ type: 'copy', clusterId: 'weka-1' })
    expect(trayCommand('cluster:weka-1:refresh')).toEqual({ type: 'refresh', clusterId: 'weka-1' })
    expect(trayCommand('cluster:weka-1:open')).toEqual({ type: 'open', clusterId: 'weka-1' })
    expect(trayCommand('app:open')).toEqual({ type: 'app:open' })
    expect(trayCommand('app:quit')).toEqual({ type: 'app:quit' })
    expect(trayCommand('cluster:weka-1')).toBeUndefined()
    expect(trayCommand('separator:app')).toBeUndefined()
    expect(trayCommand('cluster:../x:copy')).toBeUndefined()
  })
})

describe('tray status: the worst cluster wins', () => {
  const error = (session: SessionState) =>
    expect(model(cluster('ok', active), cluster('bad', session)).status).toBe('error')

  it('is ok when every session is fine or simply signed out', () => {
    const m = model(
      cluster('a', active),
      cluster('b', { state: 'signed-out' }),
      cluster('c', { state: 'signing-in' }),
    )
    expect(m.status).toBe('ok')
    expect(m.tooltip).toBe('Tokendeck — 3 clusters, all fine')
  })

  it('is error for failed, untrusted, locked, ended sessions', () => {
    error({ state: 'failed', error: { code: 'UNREACHABLE', message: 'down' }, retryAt: NOW + MIN })
    error({ state: 'untrusted', seenSha256: 'AB:CD' })
    error({ state: 'locked', until: NOW + HOUR })
    error({ state: 'signed-out', reason: { code: 'REFRESH_EXPIRED', message: 'ended' } })
    error({ state: 'expired', reason: { code: 'REFRESH_EXPIRED', message: 'ended' } })
  })

  it('does not flag a sign-in the user got wrong (the window shows it)', () => {
    const m = model(
      cluster('a', { state: 'signed-out', reason: { code: 'BAD_CREDENTIALS', message: 'wrong' } }),
    )
    expect(m.status).toBe('ok')
  })

  it('lets error beat warning', () => {
    const m = model(
      cluster('warn', active, { storedExpiresAt: NOW + HOUR, storedLifetimeMs: DAY }),
      cluster('bad', { state: 'locked', until: NOW + HOUR }),
    )
    expect(m.status).toBe('error')
    expect(m.tooltip).toBe('Tokendeck\nWARN: expires in 1 hour\nBAD: account locked')
  })

  it('warns about a refresh that hangs, not a routine one', () => {
    const refreshing: SessionState = { state: 'refreshing', expiresAt: NOW + MIN }
    expect(model(cluster('a', refreshing, { stateSince: NOW - 10_000 })).status).toBe('ok')
    const m = model(cluster('a', refreshing, { stateSince: NOW - REFRESHING_TOO_LONG_MS }))
    expect(m.status).toBe('warning')
    expect(m.tooltip).toContain('A: refresh is taking long')
  })

  it('keeps the tooltip within what Windows shows', () => {
    const many = Array.from({ length: 20 }, (_, i) =>
      cluster(`cluster-${i}`, { state: 'locked', until: NOW + HOUR }),
    )
    const m = model(...many)
    expect(m.tooltip.length).toBeLessThanOrEqual(TOOLTIP_MAX)
    expect(m.tooltip.endsWith('…')).toBe(true)
  })
})

describe('tray expiry thresholds', () => {
  const status = (storedExpiresAt: number, storedLifetimeMs?: number, s = settings) =>
    buildTrayModel({
      clusters: [
        cluster('c', active, {
          storedExpiresAt,
          ...(storedLifetimeMs !== undefined ? { storedLifetimeMs } : {}),
        }),
      ],
      now: NOW,
      settings: s,
    }).status

  it('uses hours for a credential living under 48 h (Swarm 24 h, Qumulo 10 h)', () => {
    expect(status(NOW + 3 * HOUR, DAY)).toBe('ok')
    expect(status(NOW + 2 * HOUR, DAY)).toBe('warning')
    expect(status(NOW + 90 * MIN, 10 * HOUR)).toBe('warning')
    expect(status(NOW + 2 * HOUR + 1, DAY)).toBe('ok')
  })

  it('uses days for a credential living 48 h or more (WEKA refresh, long-lived tokens)', () => {
    expect(status(NOW + 8 * DAY, 30 * DAY)).toBe('ok')
    expect(status(NOW + 7 * DAY, 30 * DAY)).toBe('warning')
    expect(status(NOW + 3 * HOUR, 48 * HOUR)).toBe('warning')
    const m = buildTrayModel({
      clusters: [
        cluster('c', active, { storedExpiresAt: NOW + 3 * DAY, storedLifetimeMs: 30 * DAY }),
      ],
      now: NOW,
      settings,
    })
    expect(m.items[0]!.type === 'submenu' && m.items[0]!.label).toBe('C — expires in 3 days')
  })

  it('treats the time left as the lifetime when the lifetime is unknown', () => {
    expect(status(NOW + 3 * DAY)).toBe('warning') // ≥ 48 h left: long-lived, within 7 days
    expect(status(NOW + 20 * HOUR)).toBe('ok') // may be a 24 h token: hours rule
    expect(status(NOW + HOUR)).toBe('warning')
  })

  it('ignores a credential already past its expiry and honours a threshold of 0', () => {
    expect(status(NOW - 1, DAY)).toBe('ok')
    const off = { ...settings, expiryWarning: { days: 0, hours: 0 } }
    expect(status(NOW + MIN, DAY, off)).toBe('ok')
    expect(status(NOW + DAY, 30 * DAY, off)).toBe('ok')
  })

  it('only warns about a live session', () => {
    const m = buildTrayModel({
      clusters: [
        cluster(
          'c',
          { state: 'signing-in' },
          { storedExpiresAt: NOW + MIN, storedLifetimeMs: DAY },
        ),
      ],
      now: NOW,
      settings,
    })
    expect(m.status).toBe('ok')
  })
})

describe('tray menu grouped by tag', () => {
  it('stays flat while no cluster has a tag', () => {
    const m = model(cluster('a', active), cluster('b', active))
    expect(m.items.slice(0, 2).map((i) => i.id)).toEqual(['cluster:a', 'cluster:b'])
  })

  it('groups by tag, alphabetically, a cluster under each of its tags, untagged last', () => {
    const m = model(
      cluster('a', active, { tags: ['prod', 'site-b'] }),
      cluster('b', active, { tags: ['lab'] }),
      cluster('c', active),
    )
    const groups = m.items.filter((i) => i.type === 'submenu')
    expect(groups.map((g) => g.label)).toEqual(['lab (1)', 'prod (1)', 'site-b (1)', 'No tag (1)'])
    const members = (label: string) => {
      const g = groups.find((x) => x.label === label)
      return g?.type === 'submenu' ? g.items.map((i) => i.id) : []
    }
    expect(members('prod (1)')).toEqual(['cluster:a'])
    expect(members('site-b (1)')).toEqual(['cluster:a'])
    expect(members('No tag (1)')).toEqual(['cluster:c'])
    // A cluster's items mean the same wherever it appears.
    expect(item(m.items, 'cluster:b:copy').enabled).toBe(true)
    expect(trayCommand('cluster:a:copy')).toEqual({ type: 'copy', clusterId: 'a' })
    expect(trayCommand('tag:prod')).toBeUndefined()
  })
})
