/**
 * Expiry warnings for long-lived tokens (issue 15) with the injected clock: one notification per
 * token per threshold crossing, a summary instead of a flood, nothing repeated after a restart
 * (the record lives in the data directory, under a lock), and the tray's count.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../../sim/common/clock'
import { ExpiryWatcher } from '../../../src/main/core/expiring/expiryWatcher'
import { LEDGER_FILE, NoticeLedger } from '../../../src/main/core/expiring/noticeLedger'
import { buildTrayModel } from '../../../src/main/core/notify/trayMenu'
import type { Notice } from '../../../src/main/core/notify/notificationPolicy'
import {
  DEFAULT_SETTINGS,
  type ExpiringItem,
  type ExpiringReport,
  type Settings,
} from '../../../src/shared/model'

const HOUR = 3_600_000
const DAY = 24 * HOUR

describe('expiry warnings', () => {
  let dir: string
  let clock: FakeClock
  let settings: Settings
  let items: ExpiringItem[]
  let notes: ExpiringReport['notes']
  let shown: Notice[]

  const token = (id: string, expiresInMs: number, extra: Partial<ExpiringItem> = {}) =>
    ({
      kind: 'token',
      clusterId: extra.clusterId ?? 'lab',
      clusterName: 'Lab Qumulo',
      vendor: 'qumulo',
      tokenId: id,
      owner: 'alice',
      createdAt: clock.now() - 30 * DAY,
      expiresAt: clock.now() + expiresInMs,
      actions: ['rotate', 'extend', 'revoke'],
      ...extra,
    }) satisfies ExpiringItem
  const watcher = () =>
    new ExpiryWatcher({
      report: () =>
        Promise.resolve({ items: structuredClone(items), notes, checkedAt: clock.now() }),
      settings: () => settings,
      ledger: new NoticeLedger(dir),
      clock,
      show: (n) => shown.push(n),
      onError: (e) => {
        throw e
      },
    })

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tokendeck-expiry-'))
    clock = new FakeClock()
    settings = structuredClone(DEFAULT_SETTINGS) // warn 7 days (long-lived), 2 hours (short)
    items = []
    notes = []
    shown = []
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('one notification when a token enters the window, none on later checks or after a restart', async () => {
    items = [token('t1', 10 * DAY)]
    const w = watcher()
    await w.check()
    expect(shown).toEqual([])
    clock.advance(3 * DAY + HOUR) // 6 days 23 h left: inside the 7-day window
    await w.check()
    expect(shown).toHaveLength(1)
    expect(shown[0]).toMatchObject({
      key: 'token:lab:t1',
      clusterId: 'lab',
      kind: 'expiring',
      title: 'Lab Qumulo: a token of alice expires in 6 days',
    })
    clock.advance(HOUR)
    await w.check()
    await w.check()
    expect(shown).toHaveLength(1)

    // A restart: a new watcher reading the same data directory says nothing new.
    const restarted = watcher()
    await restarted.check()
    expect(shown).toHaveLength(1)
    expect(readFileSync(join(dir, LEDGER_FILE), 'utf8')).not.toMatch(/access|secret/i)

    // The last day is a threshold of its own: one more, then quiet again.
    clock.advance(6 * DAY - HOUR)
    await restarted.check()
    expect(shown).toHaveLength(2)
    expect(shown[1]!.title).toBe('Lab Qumulo: a token of alice expires in 23 hours')
    await watcher().check()
    expect(shown).toHaveLength(2)
  })

  it('200 tokens crossing at once make one summary, not 200 notifications', async () => {
    items = Array.from({ length: 200 }, (_, i) =>
      token(`t${i}`, 5 * DAY + i * 60_000, { clusterId: `c${i % 20}` }),
    )
    await watcher().check()
    expect(shown).toHaveLength(1)
    expect(shown[0]).toMatchObject({
      key: 'tokens:expiring',
      view: 'expiring',
      title: '200 tokens expire soon',
    })
    expect(shown[0]!.body).toContain('On 20 clusters')
    await watcher().check()
    expect(shown).toHaveLength(1)
  })

  it('an extended token is re-armed; an offline cluster keeps its record', async () => {
    items = [token('t1', 3 * DAY)]
    const w = watcher()
    await w.check()
    expect(shown).toHaveLength(1)
    // Extended to 60 days: out of the window, so the next approach is news again.
    items = [token('t1', 60 * DAY)]
    await w.check()
    clock.advance(54 * DAY)
    await w.check()
    expect(shown).toHaveLength(2)

    // The cluster is unreachable for a while: its tokens are not in the report.
    items = []
    notes = [
      {
        clusterId: 'lab',
        clusterName: 'Lab Qumulo',
        vendor: 'qumulo',
        error: { code: 'UNREACHABLE', message: 'down' },
      },
    ]
    await w.check()
    notes = []
    items = [token('t1', 6 * DAY)] // back, with the expiry it had
    await w.check()
    expect(shown).toHaveLength(2)
  })

  it('short-lived tokens are warned hours ahead; never-expiring ones and sessions are not notified', async () => {
    items = [
      token('day', 5 * HOUR, { createdAt: clock.now() - 19 * HOUR }), // a 24 h token
      token('forever', 0, { expiresAt: undefined }),
      { ...token('s', 3 * DAY), kind: 'session', tokenId: undefined },
    ]
    const w = watcher()
    await w.check()
    expect(shown).toEqual([])
    clock.advance(3 * HOUR + 30 * 60_000) // 1 h 30 min left: inside the 2-hour window
    await w.check()
    expect(shown.map((n) => n.key)).toEqual(['token:lab:day'])
    expect(shown[0]!.title).toContain('expires in 1 hour 30 minutes')
  })

  it('warns the number of days before that Settings says, read at each check', async () => {
    items = [token('t1', 10 * DAY)]
    const w = watcher()
    await w.check() // 10 days left, outside the default 7-day window
    expect(shown).toEqual([])
    settings.expiryWarning.days = 14
    await w.check()
    expect(shown.map((n) => n.key)).toEqual(['token:lab:t1'])
    expect(shown[0]!.title).toBe('Lab Qumulo: a token of alice expires in 10 days')
    expect(w.expiringCount()).toBe(1)

    // Three days: a token with five days left is not announced, nor counted in the tray.
    items = [token('t2', 5 * DAY)]
    settings.expiryWarning.days = 3
    await w.check()
    expect(shown).toHaveLength(1)
    expect(w.expiringCount()).toBe(0)
    clock.advance(2 * DAY + HOUR) // 2 days 23 h left
    await w.check()
    expect(shown.map((n) => n.key)).toEqual(['token:lab:t1', 'token:lab:t2'])
  })

  it('the "about to expire" switch off: nothing shown', async () => {
    settings.notifications.expiring = false
    items = [token('t1', 2 * DAY)]
    await watcher().check()
    expect(shown).toEqual([])
  })

  it('two owners checking at once announce each crossing once (the record is locked)', async () => {
    items = [token('t1', 2 * DAY), token('t2', 3 * DAY)]
    await Promise.all([watcher().check(), watcher().check(), watcher().check()])
    expect(shown.map((n) => n.key).sort()).toEqual(['token:lab:t1', 'token:lab:t2'])
  })

  it('the tray counts what expires within the window, on the injected clock', async () => {
    items = [
      token('t1', 2 * DAY),
      token('t2', 10 * DAY),
      { ...token('s', 3 * DAY), kind: 'session' },
    ]
    const w = watcher()
    await w.check()
    const fine = buildTrayModel({ clusters: [], now: clock.now(), settings })
    expect(w.expiringCount()).toBe(2)
    const model = w.decorateTray({ ...fine, tooltip: 'Tokendeck — 3 clusters, all fine' })
    expect(model.status).toBe('warning')
    expect(model.tooltip).toBe('Tokendeck\n2 tokens or sessions expire soon')
    clock.advance(4 * DAY) // t1 has expired; t2 (6 days left) is inside now
    expect(w.expiringCount()).toBe(1)
    clock.advance(7 * DAY)
    expect(w.decorateTray(fine)).toEqual(fine)
  })
})
