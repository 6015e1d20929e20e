/**
 * Which long-lived tokens to warn about, from one expiring report (expiringReport.ts). Pure: the
 * report, the time and what was already announced come in; notices and the new "announced" record
 * go out. The record is kept on disk by noticeLedger.ts so a restart does not announce again.
 *
 * Thresholds: a token is warned about when it enters its warning window — `expiryWarning.days`
 * ahead for long-lived tokens, `expiryWarning.hours` for short-lived ones (notify/expiry.ts says
 * which is which) — and once more on its last day when that window is longer than a day. Each
 * (token, threshold) is announced once: again only after it left that window (its expiry was
 * extended beyond it) and came back. Tokens of a cluster that could not be looked at keep their
 * record, so an offline cluster coming back does not announce everything anew.
 *
 * Never a flood: when more than MAX_SINGLE tokens cross in one pass, one summary says how many.
 * Sessions are left to notify/notificationPolicy.ts, which already warns per cluster.
 */
import type { ExpiringItem, ExpiringReport, Settings } from '../../../shared/model'
import { DAY_MS, expiryWarningMs, formatTimeLeft } from '../notify/expiry'
import type { Notice } from '../notify/notificationPolicy'

/** More crossings than this in one pass become a single summary notice. */
export const MAX_SINGLE = 3
/** Key of the summary notice (a newer summary replaces the older one). */
export const SUMMARY_KEY = 'tokens:expiring'

export type Threshold = 'window' | 'last-day'

/** What was announced: ledger key → the expiry it was announced for. */
export type Announced = Record<string, { expiresAt: number }>

export interface AlertDecision {
  notices: Notice[]
  /** The record to keep (replaces the previous one). */
  announced: Announced
}

type WarningSettings = Pick<Settings, 'expiryWarning' | 'notifications'>

/** How long before expiry this token is warned about (0 = never), by its lifetime. */
export function warningWindowMs(
  settings: WarningSettings,
  item: ExpiringItem,
  now: number,
): number {
  if (item.expiresAt === undefined) return 0
  const lifetime =
    item.createdAt !== undefined ? item.expiresAt - item.createdAt : item.expiresAt - now
  return expiryWarningMs(settings, Math.max(lifetime, item.expiresAt - now))
}

/** The thresholds this token is inside now (nothing when expired or never expiring). */
export function thresholdsCrossed(
  settings: WarningSettings,
  item: ExpiringItem,
  now: number,
): Threshold[] {
  if (item.expiresAt === undefined) return []
  const left = item.expiresAt - now
  const window = warningWindowMs(settings, item, now)
  if (left <= 0 || window <= 0 || left > window) return []
  return window > DAY_MS && left <= DAY_MS ? ['window', 'last-day'] : ['window']
}

/** Tokens and sessions inside their warning window now: the tray's count. */
export function countExpiringSoon(
  settings: WarningSettings,
  items: ExpiringItem[],
  now: number,
): number {
  return items.filter((i) => thresholdsCrossed(settings, i, now).length > 0).length
}

export const ledgerKey = (item: ExpiringItem, threshold: Threshold) =>
  `${item.clusterId}|${item.tokenId ?? ''}|${threshold}`

export function decideAlerts(
  settings: WarningSettings,
  report: ExpiringReport,
  now: number,
  previous: Announced,
): AlertDecision {
  const unchecked = new Set(report.notes.map((n) => n.clusterId))
  const announced: Announced = {}
  // Keep what belongs to clusters not looked at this time, until its token has long expired.
  for (const [key, entry] of Object.entries(previous)) {
    const clusterId = key.split('|')[0] ?? ''
    if (unchecked.has(clusterId) && entry.expiresAt > now - DAY_MS) announced[key] = entry
  }
  const crossing: Array<{ item: ExpiringItem; threshold: Threshold }> = []
  for (const item of report.items) {
    if (item.kind !== 'token' || item.tokenId === undefined || item.expiresAt === undefined)
      continue
    for (const threshold of thresholdsCrossed(settings, item, now)) {
      const key = ledgerKey(item, threshold)
      const before = previous[key]
      // Same crossing (or a later expiry still inside the window): already said.
      if (before && item.expiresAt >= before.expiresAt) {
        announced[key] = before
        continue
      }
      announced[key] = { expiresAt: item.expiresAt }
      crossing.push({ item, threshold })
    }
  }
  // One notice per token: its latest threshold says it all.
  const byToken = new Map<string, { item: ExpiringItem; threshold: Threshold }>()
  for (const c of crossing) {
    const k = `${c.item.clusterId}|${c.item.tokenId}`
    if (!byToken.has(k) || c.threshold === 'last-day') byToken.set(k, c)
  }
  const fresh = [...byToken.values()].sort((a, b) => a.item.expiresAt! - b.item.expiresAt!)
  if (!settings.notifications.expiring || fresh.length === 0) return { notices: [], announced }
  if (fresh.length > MAX_SINGLE) return { notices: [summary(fresh, now)], announced }
  return { notices: fresh.map(({ item }) => single(item, now)), announced }
}

function single(item: ExpiringItem, now: number): Notice {
  const left = formatTimeLeft(item.expiresAt! - now)
  const what = item.description ? ` (“${short(item.description)}”)` : ''
  return {
    key: `token:${item.clusterId}:${item.tokenId}`,
    clusterId: item.clusterId,
    kind: 'expiring',
    title: `${item.clusterName}: a token of ${short(item.owner)} expires in ${left}`,
    body: `Token ${short(item.tokenId ?? '')}${what} stops working in ${left}. Rotate or extend it before then.`,
  }
}

function summary(fresh: Array<{ item: ExpiringItem }>, now: number): Notice {
  const first = fresh[0]!.item
  const clusters = new Set(fresh.map((f) => f.item.clusterId)).size
  return {
    key: SUMMARY_KEY,
    clusterId: '',
    kind: 'expiring',
    view: 'expiring',
    title: `${fresh.length} tokens expire soon`,
    body: `On ${clusters === 1 ? '1 cluster' : `${clusters} clusters`}; the first, of ${short(first.owner)} on ${first.clusterName}, in ${formatTimeLeft(first.expiresAt! - now)}. Open Tokendeck's Expiring view to rotate or extend them.`,
  }
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}
