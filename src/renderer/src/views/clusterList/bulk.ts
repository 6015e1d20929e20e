/**
 * Bulk actions on the clusters the user ticked: each cluster through the same channel a single
 * action uses, a few at a time, and every outcome kept — one failure never stops the others.
 */
import type { ClusterView } from '../../../../shared/model'
import { ApiError, call } from '../../api'
import { errorHeadline, isSignedIn } from '../../format'

export type BulkKind = 'refresh' | 'sign-out' | 'sign-in'

export interface BulkOutcome {
  clusterId: string
  name: string
  status: 'done' | 'failed' | 'skipped'
  /** Why it failed or was skipped, in the user's words. */
  detail?: string
}

export interface BulkSummary {
  kind: BulkKind
  outcomes: BulkOutcome[]
}

/** At most this many requests at once: a hundred ticked clusters do not all call at once. */
const CONCURRENCY = 4

function failure(e: unknown): string {
  return e instanceof ApiError
    ? `${errorHeadline(e.info)}: ${e.info.message}`
    : e instanceof Error
      ? e.message
      : String(e)
}

async function eachLimited<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T
      await run(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker))
}

/**
 * Refresh or sign out every cluster given. Refresh skips clusters that are not signed in (there
 * is nothing to refresh, and a refresh never asks for a password); sign-out skips those already
 * signed out.
 */
export async function runBulk(
  kind: 'refresh' | 'sign-out',
  views: readonly ClusterView[],
  onProgress?: (done: number) => void,
): Promise<BulkSummary> {
  const outcomes = new Map<string, BulkOutcome>()
  let done = 0
  await eachLimited(views, async (v) => {
    const base = { clusterId: v.cluster.id, name: v.cluster.name }
    const active = isSignedIn(v.session)
    if (kind === 'refresh' && !active) {
      outcomes.set(base.clusterId, { ...base, status: 'skipped', detail: 'not signed in' })
    } else if (kind === 'sign-out' && v.session.state === 'signed-out') {
      outcomes.set(base.clusterId, { ...base, status: 'skipped', detail: 'already signed out' })
    } else {
      try {
        await call(kind === 'refresh' ? 'session:refresh' : 'session:signOut', {
          clusterId: v.cluster.id,
        })
        outcomes.set(base.clusterId, { ...base, status: 'done' })
      } catch (e) {
        outcomes.set(base.clusterId, { ...base, status: 'failed', detail: failure(e) })
      }
    }
    onProgress?.(++done)
  })
  // In the order the user saw them, whatever order the answers came in.
  return { kind, outcomes: views.map((v) => outcomes.get(v.cluster.id)!) }
}

const VERBS: Record<BulkKind, string> = {
  refresh: 'Refreshed',
  'sign-out': 'Signed out of',
  'sign-in': 'Signed in to',
}

/** "Signed out of 3 clusters; 1 failed; 2 skipped." */
export function summaryHeadline(summary: BulkSummary): string {
  const count = (s: BulkOutcome['status']) => summary.outcomes.filter((o) => o.status === s).length
  const n = count('done')
  const parts = [`${VERBS[summary.kind]} ${n} ${n === 1 ? 'cluster' : 'clusters'}`]
  if (count('failed')) parts.push(`${count('failed')} failed`)
  if (count('skipped')) parts.push(`${count('skipped')} skipped`)
  return `${parts.join('; ')}.`
}
