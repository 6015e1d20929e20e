/**
 * The cluster list, kept live for the whole window, outside React so it can start before React
 * does: `startClusterList()` (called from `startup.ts`, the first module the page evaluates) asks
 * main for the list once and subscribes to its events, so main is already serving the list while
 * the rest of the page's code loads.
 *
 * A session change patches that one cluster; changes that arrive together (a thousand sessions
 * refreshing) are applied together, once per frame, and only the changed clusters get new
 * objects, so rows of unchanged clusters keep their props. Any other change reloads the list.
 */
import type { ClusterView, SessionState } from '../../shared/model'
import { call, onEvent } from './api'

export interface ClusterListState {
  clusters: ClusterView[] | undefined
  error: string | undefined
}

/** Longest a session change waits for a frame (hidden windows get no animation frames). */
const FLUSH_FALLBACK_MS = 100

let state: ClusterListState = { clusters: undefined, error: undefined }
const listeners = new Set<() => void>()
let started = false
/** Numbers the list requests: only the answer to the latest one is kept. */
let requested = 0
/** Session changes not yet applied, by cluster id (the latest wins). */
const pending = new Map<string, { session: SessionState; storedExpiresAt?: number | undefined }>()
let frame: number | undefined
let timer: ReturnType<typeof setTimeout> | undefined

function publish(next: ClusterListState): void {
  state = next
  for (const l of listeners) l()
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** Asks main for the whole list; resolves when it is shown (or its error is). */
export function reloadClusters(): Promise<void> {
  const n = ++requested
  return call('clusters:list', undefined).then(
    (clusters) => {
      if (n !== requested) return
      // The list already reflects every session change main sent before answering.
      pending.clear()
      publish({ clusters, error: undefined })
    },
    (e: unknown) => {
      if (n !== requested) return
      publish({ clusters: state.clusters, error: message(e) })
    },
  )
}

function flush(): void {
  if (frame !== undefined) cancelAnimationFrame(frame)
  if (timer !== undefined) clearTimeout(timer)
  frame = timer = undefined
  const list = state.clusters
  if (pending.size === 0) return
  if (!list) {
    // Nothing to patch yet: the list, when it comes, is newer than these changes.
    pending.clear()
    return
  }
  let changed = false
  const next = list.map((v) => {
    const change = pending.get(v.cluster.id)
    if (change === undefined) return v
    changed = true
    const { storedExpiresAt: _was, ...rest } = v
    const { session, storedExpiresAt } = change
    return storedExpiresAt === undefined
      ? { ...rest, session }
      : { ...rest, session, storedExpiresAt }
  })
  pending.clear()
  if (changed) publish({ ...state, clusters: next })
}

function scheduleFlush(): void {
  if (frame === undefined) frame = requestAnimationFrame(flush)
  if (timer === undefined) timer = setTimeout(flush, FLUSH_FALLBACK_MS)
}

/** Loads the list and follows main's events, once per window; later calls do nothing. */
export function startClusterList(): void {
  if (started) return
  started = true
  try {
    onEvent((event) => {
      if (event.event === 'clusters:changed') void reloadClusters()
      if (event.event === 'session:changed') {
        pending.set(event.payload.clusterId, {
          session: event.payload.session,
          storedExpiresAt: event.payload.storedExpiresAt,
        })
        scheduleFlush()
      }
    })
  } catch (e) {
    // No bridge (the page opened outside the app): say so where the list would be.
    publish({ clusters: undefined, error: message(e) })
    return
  }
  void reloadClusters()
}

export function subscribeClusterList(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function clusterListState(): ClusterListState {
  return state
}
