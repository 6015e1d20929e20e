/**
 * Everything that expires, across every cluster: each listed long-lived token (vendors whose
 * capabilities say `listsTokens`) and each stored session (WEKA's refresh token, Qumulo's and
 * Swarm's session token), soonest first, with what can be done to each (rotate, extend, revoke,
 * as the vendor's capabilities allow).
 *
 * Clusters are looked at concurrently, at most CONCURRENCY at once, so a thousand clusters do not
 * open a thousand connections at once. A cluster that cannot be looked at (signed out, offline,
 * forbidden, a changed certificate) becomes a note naming it and why; it never hides the others.
 * The session of a cluster whose token list failed is still listed when the session is alive.
 */
import { CAPABILITIES } from '../../../shared/capabilities'
import { isTokendeckError } from '../../../shared/errors'
import type {
  Cluster,
  ErrorInfo,
  ExpiringAction,
  ExpiringItem,
  ExpiringNote,
  ExpiringReport,
  SessionState,
  TokenSummary,
} from '../../../shared/model'
import type { Clock } from '../time'

/** How many clusters are asked at once. */
export const CONCURRENCY = 8

export interface ExpiringSources {
  clusters(): Cluster[]
  sessions: {
    /** Reads the cluster's stored credential from the keychain once (resumes it in the background). */
    load(clusterId: string): Promise<void>
    state(clusterId: string): SessionState
    storedCredential(clusterId: string): string | undefined
    storedExpiresAt(clusterId: string): number | undefined
    identity(clusterId: string): { username: string } | undefined
    /** A valid access token, refreshing first if needed: proves the session is alive. */
    getAccessToken(clusterId: string): Promise<string>
  }
  /** The token operations' list (asks capabilities, refreshes the session). */
  listTokens(clusterId: string): Promise<TokenSummary[]>
  clock: Clock
  concurrency?: number
}

export interface ExpiringOptions {
  /** Only what expires within this many ms from now (already expired included); drops "never". */
  withinMs?: number
}

export async function expiringReport(
  src: ExpiringSources,
  options: ExpiringOptions = {},
): Promise<ExpiringReport> {
  const clusters = src.clusters()
  const results = await boundedMap(clusters, src.concurrency ?? CONCURRENCY, (c) =>
    inspectCluster(src, c),
  )
  const checkedAt = src.clock.now()
  let items = results.flatMap((r) => r.items)
  if (options.withinMs !== undefined) {
    const limit = checkedAt + options.withinMs
    items = items.filter((i) => i.expiresAt !== undefined && i.expiresAt <= limit)
  }
  items.sort(soonestFirst)
  const notes = results
    .flatMap((r) => (r.note ? [r.note] : []))
    .sort((a, b) => a.clusterName.localeCompare(b.clusterName))
  return { items, notes, checkedAt }
}

function soonestFirst(a: ExpiringItem, b: ExpiringItem): number {
  const ea = a.expiresAt ?? Number.POSITIVE_INFINITY
  const eb = b.expiresAt ?? Number.POSITIVE_INFINITY
  if (ea !== eb) return ea < eb ? -1 : 1
  return (
    a.clusterName.localeCompare(b.clusterName) ||
    a.owner.localeCompare(b.owner) ||
    (a.tokenId ?? '').localeCompare(b.tokenId ?? '')
  )
}

interface ClusterResult {
  items: ExpiringItem[]
  note?: ExpiringNote
}

async function inspectCluster(src: ExpiringSources, cluster: Cluster): Promise<ClusterResult> {
  const note = (error: ErrorInfo): ExpiringNote => ({
    clusterId: cluster.id,
    clusterName: cluster.name,
    vendor: cluster.vendor,
    error,
  })
  const { sessions } = src
  try {
    await sessions.load(cluster.id)
  } catch (e) {
    return { items: [], note: note(infoOf(e)) }
  }
  if (sessions.storedCredential(cluster.id) === undefined) {
    const s = sessions.state(cluster.id)
    const reason = s.state === 'signed-out' || s.state === 'expired' ? s.reason : undefined
    return {
      items: [],
      note: note({
        code: 'NOT_SIGNED_IN',
        message: reason?.message ?? 'Sign in to include its tokens and session.',
      }),
    }
  }

  const caps = CAPABILITIES[cluster.vendor]
  const items: ExpiringItem[] = []
  let problem: ExpiringNote | undefined
  try {
    if (caps.listsTokens) {
      for (const t of await src.listTokens(cluster.id)) items.push(tokenItem(cluster, t))
    } else {
      // Nothing to list (WEKA): make sure the session is alive and its expiry current.
      await sessions.getAccessToken(cluster.id)
    }
  } catch (e) {
    problem = note(infoOf(e))
  }

  // The stored session itself, unless the list already showed it (Swarm lists its session token).
  const alive = ['active', 'refreshing'].includes(sessions.state(cluster.id).state)
  if (alive && !items.some((i) => i.kind === 'session')) {
    const expiresAt = sessions.storedExpiresAt(cluster.id)
    items.push({
      kind: 'session',
      clusterId: cluster.id,
      clusterName: cluster.name,
      vendor: cluster.vendor,
      owner: sessions.identity(cluster.id)?.username ?? cluster.username,
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      actions: [],
    })
  }
  return { items, ...(problem ? { note: problem } : {}) }
}

function tokenItem(cluster: Cluster, t: TokenSummary): ExpiringItem {
  const caps = CAPABILITIES[cluster.vendor]
  const session = t.isCurrentSession === true
  const actions: ExpiringAction[] = []
  // Rotating Tokendeck's own session token would only sign it out: sign in again instead.
  if (caps.rotates && !session) actions.push('rotate')
  if (caps.modifiesExpiry) actions.push('extend')
  if (caps.revokes === 'one') actions.push('revoke')
  return {
    kind: session ? 'session' : 'token',
    clusterId: cluster.id,
    clusterName: cluster.name,
    vendor: cluster.vendor,
    tokenId: t.id,
    owner: t.owner,
    ...(t.description !== undefined ? { description: t.description } : {}),
    ...(t.createdAt !== undefined ? { createdAt: t.createdAt } : {}),
    ...(t.expiresAt !== undefined ? { expiresAt: t.expiresAt } : {}),
    ...(t.enabled !== undefined ? { enabled: t.enabled } : {}),
    ...(t.hasS3Secret !== undefined ? { hasS3Secret: t.hasS3Secret } : {}),
    actions,
  }
}

function infoOf(e: unknown): ErrorInfo {
  if (isTokendeckError(e)) {
    const { code, message } = e.toInfo()
    return { code, message }
  }
  return { code: 'INTERNAL', message: 'Unexpected error while looking at this cluster.' }
}

/** `fn` over `items` with at most `limit` running at once; results in the items' order. */
export async function boundedMap<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return results
}
