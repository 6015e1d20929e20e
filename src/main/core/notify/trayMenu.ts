/**
 * The tray as data: one status (which icon), a tooltip and a menu whose items carry stable ids.
 * electron/tray.ts renders it and maps a clicked id back to a command with `trayCommand`, so
 * everything the tray decides is tested here without Electron.
 *
 * Status is the worst over all clusters:
 *   error   — a session failed, is locked, has an untrusted (changed) certificate, or ended on
 *             its own (signed out / expired with REFRESH_EXPIRED): the user must act;
 *   warning — a stored credential is inside its expiry-warning window (see expiry.ts), or a
 *             refresh has been running for longer than REFRESHING_TOO_LONG_MS;
 *   ok      — otherwise (a plain signed-out cluster, or one whose sign-in the user just got
 *             wrong in the window, is not a problem to flag in the tray).
 */
import type { SessionState, Settings } from '../../../shared/model'
import type { CopyFormat } from '../../../shared/contract'
import { formatTimeLeft, isExpiringSoon } from './expiry'

export type TrayStatus = 'ok' | 'warning' | 'error'

export type TrayItem =
  | { type: 'item'; id: string; label: string; enabled: boolean }
  | { type: 'submenu'; id: string; label: string; items: TrayItem[] }
  | { type: 'separator'; id: string }

export interface TrayModel {
  status: TrayStatus
  tooltip: string
  items: TrayItem[]
}

export interface TrayCluster {
  id: string
  name: string
  session: SessionState
  /** When the stored credential (refresh or session token) expires, if known. */
  storedExpiresAt?: number
  /** Its total lifetime, if known (LifetimeTracker); else the time left is the lower bound. */
  storedLifetimeMs?: number
  /** When the session entered its current state (to flag a refresh that hangs). */
  stateSince?: number
  /** The cluster's tags: with any tag in use the menu groups clusters by tag. */
  tags?: readonly string[]
}

export interface TrayInput {
  clusters: TrayCluster[]
  now: number
  settings: Pick<Settings, 'expiryWarning'>
}

export type TrayCommand =
  | { type: 'copy' | 'refresh' | 'open'; clusterId: string }
  | { type: 'copyAs'; clusterId: string; format: CopyFormat }
  | { type: 'app:open' }
  | { type: 'app:quit' }

export const REFRESHING_TOO_LONG_MS = 2 * 60_000
/** Windows cuts tray tooltips at 127 characters. */
export const TOOLTIP_MAX = 127

const RANK: Record<TrayStatus, number> = { ok: 0, warning: 1, error: 2 }

interface Assessment {
  status: TrayStatus
  /** Short words for the menu label and tooltip. */
  label: string
}

export function assessCluster(
  c: TrayCluster,
  now: number,
  settings: Pick<Settings, 'expiryWarning'>,
): Assessment {
  const s = c.session
  switch (s.state) {
    case 'failed':
      return { status: 'error', label: 'refresh failed' }
    case 'locked':
      return { status: 'error', label: 'account locked' }
    case 'untrusted':
      return { status: 'error', label: 'certificate changed' }
    case 'expired':
      return { status: 'error', label: 'session ended' }
    case 'signed-out':
      return s.reason?.code === 'REFRESH_EXPIRED'
        ? { status: 'error', label: 'signed out (session ended)' }
        : { status: 'ok', label: 'signed out' }
    case 'signing-in':
      return { status: 'ok', label: 'signing in' }
    case 'active':
    case 'refreshing': {
      const exp = c.storedExpiresAt
      if (exp !== undefined && isExpiringSoon(settings, exp, now, c.storedLifetimeMs)) {
        return { status: 'warning', label: `expires in ${formatTimeLeft(exp - now)}` }
      }
      if (s.state === 'refreshing') {
        const stuck = c.stateSince !== undefined && now - c.stateSince >= REFRESHING_TOO_LONG_MS
        return stuck
          ? { status: 'warning', label: 'refresh is taking long' }
          : { status: 'ok', label: 'refreshing' }
      }
      return { status: 'ok', label: 'signed in' }
    }
  }
}

export function buildTrayModel(input: TrayInput): TrayModel {
  let status: TrayStatus = 'ok'
  const problems: string[] = []
  const menus = new Map<string, TrayItem>()
  for (const c of input.clusters) {
    const a = assessCluster(c, input.now, input.settings)
    if (RANK[a.status] > RANK[status]) status = a.status
    if (a.status !== 'ok') problems.push(`${c.name}: ${a.label}`)
    const live = c.session.state === 'active' || c.session.state === 'refreshing'
    const canRefresh = c.session.state === 'active' || c.session.state === 'failed'
    menus.set(c.id, {
      type: 'submenu',
      id: `cluster:${c.id}`,
      label: `${c.name} — ${a.label}`,
      items: [
        { type: 'item', id: `cluster:${c.id}:copy`, label: 'Copy access token', enabled: live },
        copyAsSubmenu(c.id, live),
        { type: 'item', id: `cluster:${c.id}:refresh`, label: 'Refresh now', enabled: canRefresh },
        { type: 'item', id: `cluster:${c.id}:open`, label: 'Open', enabled: true },
      ],
    })
  }
  const items = groupByTag(input.clusters, menus)
  if (items.length) items.push({ type: 'separator', id: 'separator:app' })
  items.push({ type: 'item', id: 'app:open', label: 'Open Tokendeck', enabled: true })
  items.push({ type: 'item', id: 'app:quit', label: 'Quit', enabled: true })
  return { status, tooltip: tooltip(input.clusters.length, problems), items }
}

export const UNTAGGED_LABEL = 'No tag'

/**
 * Fifty clusters in one flat menu are hard to scan: once any cluster has a tag, the menu has one
 * submenu per tag (alphabetical, with its cluster count), a cluster under each of its tags, and
 * the untagged ones last under "No tag". A cluster's own items keep their ids wherever they
 * appear, so a click means the same from every group. Without tags the menu stays flat.
 */
function groupByTag(clusters: readonly TrayCluster[], menus: Map<string, TrayItem>): TrayItem[] {
  const tags = [...new Set(clusters.flatMap((c) => c.tags ?? []))].sort((a, b) =>
    a.localeCompare(b),
  )
  if (tags.length === 0) return clusters.map((c) => menus.get(c.id)!)
  const group = (key: string, label: string, members: readonly TrayCluster[]): TrayItem => ({
    type: 'submenu',
    id: `tag:${key}`,
    label: `${label} (${members.length})`,
    items: members.map((c) => menus.get(c.id)!),
  })
  const out = tags.map((t) =>
    group(
      t,
      t,
      clusters.filter((c) => c.tags?.includes(t)),
    ),
  )
  const untagged = clusters.filter((c) => !c.tags?.length)
  if (untagged.length) out.push(group('', UNTAGGED_LABEL, untagged))
  return out
}

function tooltip(clusters: number, problems: string[]): string {
  let text: string
  if (clusters === 0) text = 'Tokendeck — no clusters yet'
  else if (problems.length === 0)
    text = `Tokendeck — ${clusters === 1 ? '1 cluster' : `${clusters} clusters`}, all fine`
  else text = ['Tokendeck', ...problems].join('\n')
  return text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`
}

/** Finds an item by id anywhere in the menu (tests, and the renderer of a click). */
export function findTrayItem(items: TrayItem[], id: string): TrayItem | undefined {
  for (const item of items) {
    if (item.id === id) return item
    if (item.type === 'submenu') {
      const found = findTrayItem(item.items, id)
      if (found) return found
    }
  }
  return undefined
}

/** Formats the tray offers besides the bare token ("Copy access token"). */
const TRAY_COPY_AS: Array<[Exclude<CopyFormat, 'token'>, string]> = [
  ['header', 'HTTP header'],
  ['export', 'Shell export line'],
  ['curl', 'curl command'],
]

/** "Copy as" → header / export line / curl command (core/clipboard/copyFormats.ts builds them). */
function copyAsSubmenu(clusterId: string, live: boolean): TrayItem {
  return {
    type: 'submenu',
    id: `cluster:${clusterId}:copy-as`,
    label: 'Copy as',
    items: TRAY_COPY_AS.map(([format, label]) => ({
      type: 'item' as const,
      id: `cluster:${clusterId}:copy-as:${format}`,
      label,
      enabled: live,
    })),
  }
}

/** What a clicked item id asks for; undefined for ids that are not commands (submenus, separators). */
export function trayCommand(id: string): TrayCommand | undefined {
  if (id === 'app:open' || id === 'app:quit') return { type: id }
  const copyAs = /^cluster:([a-z0-9][a-z0-9-]{0,63}):copy-as:(header|export|curl)$/.exec(id)
  if (copyAs) return { type: 'copyAs', clusterId: copyAs[1]!, format: copyAs[2] as CopyFormat }
  const m = /^cluster:([a-z0-9][a-z0-9-]{0,63}):(copy|refresh|open)$/.exec(id)
  if (!m) return undefined
  return { type: m[2] as 'copy' | 'refresh' | 'open', clusterId: m[1]! }
}
