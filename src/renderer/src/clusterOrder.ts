/**
 * The order and grouping of the cluster list, as pure functions of the clusters shown (so they
 * are cheap to recompute on every session change and testable without a page).
 *
 * Grouped by tag, a cluster with several tags is listed under each of them (selecting the group
 * "prod" selects every prod cluster); clusters without tags come last, under "No tag".
 */
import type { ClusterGroupBy, ClusterSortBy, ClusterView, SessionState } from '../../shared/model'
import { sessionExpiresAt, vendorName } from './format'

export type ListItem =
  | { kind: 'group'; key: string; label: string; ids: string[] }
  | { kind: 'cluster'; key: string; view: ClusterView; group?: string }

/** Clusters that need the user first: broken, then signed out, then working. */
const STATUS_RANK: Record<SessionState['state'], number> = {
  failed: 0,
  untrusted: 1,
  locked: 2,
  expired: 3,
  'signed-out': 4,
  'signing-in': 5,
  refreshing: 6,
  active: 6,
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

const byName = (a: ClusterView, b: ClusterView) => collator.compare(a.cluster.name, b.cluster.name)

/** When the session ends: the access token's expiry, else the stored credential's; never = last. */
function timeLeftKey(v: ClusterView): number {
  return sessionExpiresAt(v.session) ?? v.storedExpiresAt ?? Number.POSITIVE_INFINITY
}

const COMPARE: Record<ClusterSortBy, (a: ClusterView, b: ClusterView) => number> = {
  name: byName,
  vendor: (a, b) =>
    collator.compare(vendorName(a.cluster.vendor), vendorName(b.cluster.vendor)) || byName(a, b),
  status: (a, b) => STATUS_RANK[a.session.state] - STATUS_RANK[b.session.state] || byName(a, b),
  timeLeft: (a, b) => {
    const x = timeLeftKey(a)
    const y = timeLeftKey(b)
    return x === y ? byName(a, b) : x < y ? -1 : 1
  },
}

export function sortClusters(views: readonly ClusterView[], sortBy: ClusterSortBy): ClusterView[] {
  return [...views].sort(COMPARE[sortBy])
}

export const NO_TAG_LABEL = 'No tag'

/** The rows of the list: clusters in order, with a header row before each group. */
export function listItems(
  views: readonly ClusterView[],
  groupBy: ClusterGroupBy,
  sortBy: ClusterSortBy,
): ListItem[] {
  const sorted = sortClusters(views, sortBy)
  if (groupBy === 'none') {
    return sorted.map((view) => ({ kind: 'cluster', key: view.cluster.id, view }))
  }
  const groups = new Map<string, ClusterView[]>()
  const put = (group: string, v: ClusterView) => {
    const list = groups.get(group)
    if (list) list.push(v)
    else groups.set(group, [v])
  }
  for (const v of sorted) {
    if (groupBy === 'vendor') put(vendorName(v.cluster.vendor), v)
    else if (v.cluster.tags?.length) for (const t of v.cluster.tags) put(t, v)
    else put('', v)
  }
  const names = [...groups.keys()].filter((g) => g !== '').sort(collator.compare)
  if (groups.has('')) names.push('')
  const items: ListItem[] = []
  const seen = new Set<string>()
  for (const name of names) {
    const members = groups.get(name) ?? []
    const label = name === '' ? NO_TAG_LABEL : name
    items.push({
      kind: 'group',
      key: `group:${name}`,
      label,
      ids: members.map((v) => v.cluster.id),
    })
    for (const view of members) {
      // The first appearance keeps the plain key (and DOM id); repeats under other tags differ.
      const id = view.cluster.id
      const key = seen.has(id) ? `${id}@${name}` : id
      seen.add(id)
      items.push({ kind: 'cluster', key, view, group: label })
    }
  }
  return items
}
