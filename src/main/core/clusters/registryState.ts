/**
 * What the cluster registry holds (clusters and settings), the changes its listeners hear, and
 * the pure helpers its edits share. No I/O here: registry.ts reads, locks and saves.
 */
import { TokendeckError } from '../../../shared/errors'
import { Settings, type Cluster } from '../../../shared/model'
import { describeIssues, type Issue } from '../../../shared/validation/describeIssues'

export interface State {
  readonly clusters: readonly Cluster[]
  readonly settings: Settings
}

export type RegistryChange =
  | { kind: 'cluster-added'; cluster: Cluster }
  | { kind: 'cluster-updated'; cluster: Cluster; previous: Cluster }
  | { kind: 'cluster-removed'; cluster: Cluster }
  | { kind: 'settings-updated'; settings: Settings; previous: Settings }

/** One edit of the state: the next state (the same object when nothing changed), its result, what to announce. */
export interface Edit<T> {
  next: State
  result: T
  event?: RegistryChange
}

export function emptyState(): State {
  return { clusters: [], settings: Settings.parse({}) }
}

/** The changes that turn `before` into `after`, as listeners would have heard them. */
export function differences(before: State, after: State): RegistryChange[] {
  const changes: RegistryChange[] = []
  const was = new Map(before.clusters.map((c) => [c.id, c]))
  const is = new Set(after.clusters.map((c) => c.id))
  for (const cluster of after.clusters) {
    const previous = was.get(cluster.id)
    if (previous === undefined) changes.push({ kind: 'cluster-added', cluster })
    else if (!sameJson(previous, cluster))
      changes.push({ kind: 'cluster-updated', cluster, previous })
  }
  for (const cluster of before.clusters) {
    if (!is.has(cluster.id)) changes.push({ kind: 'cluster-removed', cluster })
  }
  if (!sameJson(before.settings, after.settings)) {
    changes.push({ kind: 'settings-updated', settings: after.settings, previous: before.settings })
  }
  return changes
}

export function invalid(what: string, issues: readonly Issue[]): TokendeckError {
  return new TokendeckError(
    'INVALID_INPUT',
    `Invalid ${what}: ${describeIssues(issues, 'config-file')}.`,
  )
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Same JSON value, whatever the order of object keys (a file may list fields in any order). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    )
  }
  return value
}
