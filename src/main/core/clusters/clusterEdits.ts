/**
 * Adding, changing and removing clusters in the registry's state: ids, unique names, the
 * cluster schema (with its vendor's fields from the vendor table). Pure: registry.ts runs each
 * edit under its lock against the file as it is now.
 */
import { TokendeckError } from '../../../shared/errors'
import { Cluster, ClusterBase, withVendorFields } from '../../../shared/model'
import { newClusterId } from './clusterId'
import { invalid, isPlainObject, sameJson, type Edit, type State } from './registryState'

/** What `add` takes: a cluster without its id, which the registry chooses. */
export const ClusterInput = withVendorFields(ClusterBase.omit({ id: true }))
export type ClusterInput = Omit<Cluster, 'id'>

/**
 * What `update` takes: any fields to change. A key present with the value `undefined` clears
 * that optional field (a vendor field, seen). `id` and `vendor` cannot change: the id keys
 * the keychain entries and sessions, and the vendor decides the protocol and what those stored
 * secrets mean, so a different vendor is a different cluster (remove it and add a new one).
 */
export type ClusterPatch = Partial<Cluster>

/** @throws NOT_FOUND */
export function findCluster(state: State, id: string): Cluster {
  const cluster = state.clusters.find((c) => c.id === id)
  if (cluster === undefined)
    throw new TokendeckError('NOT_FOUND', `There is no cluster with id "${id}".`)
  return cluster
}

/** @throws INVALID_INPUT (also for a name already in use) */
export function addCluster(state: State, input: ClusterInput): Edit<Cluster> {
  const parsed = ClusterInput.safeParse(input)
  if (!parsed.success) throw invalid('cluster', parsed.error.issues)
  assertNameFree(state, parsed.data.name)
  const taken = new Set(state.clusters.map((c) => c.id))
  const cluster = dropUndefined({
    id: newClusterId(parsed.data.name, parsed.data.vendor, taken),
    ...parsed.data,
  })
  return {
    next: { ...state, clusters: [...state.clusters, cluster] },
    result: cluster,
    event: { kind: 'cluster-added', cluster },
  }
}

/** @throws NOT_FOUND, INVALID_INPUT */
export function updateCluster(
  state: State,
  id: string,
  change: ClusterPatch | ((current: Cluster) => ClusterPatch),
): Edit<Cluster> {
  const previous = findCluster(state, id)
  // A function computes the change from the cluster as it is on disk now (tags added by
  // another process are kept when this one adds its own).
  const patch = typeof change === 'function' ? change(structuredClone(previous)) : change
  if (!isPlainObject(patch))
    throw new TokendeckError(
      'INVALID_INPUT',
      'Invalid cluster change: expected an object of fields to change.',
    )
  if ('id' in patch && patch.id !== previous.id) {
    throw new TokendeckError(
      'INVALID_INPUT',
      'Invalid cluster change: id: a cluster id cannot be changed.',
    )
  }
  if ('vendor' in patch && patch.vendor !== previous.vendor) {
    throw new TokendeckError(
      'INVALID_INPUT',
      'Invalid cluster change: vendor: the vendor of a cluster cannot be changed; remove the cluster and add it again.',
    )
  }
  const parsed = Cluster.safeParse({ ...previous, ...patch })
  if (!parsed.success) throw invalid('cluster change', parsed.error.issues)
  const cluster = dropUndefined(parsed.data)
  if (sameJson(cluster, previous)) return { next: state, result: previous }
  // Only a change of name is checked, so clusters that already share a name (files from
  // before names had to be unique) can still be edited.
  if (nameKey(cluster.name) !== nameKey(previous.name)) assertNameFree(state, cluster.name, id)
  return {
    next: { ...state, clusters: state.clusters.map((c) => (c.id === id ? cluster : c)) },
    result: cluster,
    event: { kind: 'cluster-updated', cluster, previous },
  }
}

/** @throws NOT_FOUND */
export function removeCluster(state: State, id: string): Edit<Cluster> {
  const cluster = findCluster(state, id)
  return {
    next: { ...state, clusters: state.clusters.filter((c) => c.id !== id) },
    result: cluster,
    event: { kind: 'cluster-removed', cluster },
  }
}

/** What two names have to differ in to be different: case and surrounding spaces do not count. */
function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase()
}

/** @throws INVALID_INPUT when another cluster (other than `exceptId`) already has this name. */
function assertNameFree(state: State, name: string, exceptId?: string): void {
  const key = nameKey(name)
  const clash = state.clusters.find((c) => c.id !== exceptId && nameKey(c.name) === key)
  if (clash !== undefined) {
    throw new TokendeckError(
      'INVALID_INPUT',
      `A cluster named "${clash.name}" already exists (id ${clash.id}); choose another name.`,
    )
  }
}

/** zod keeps `org: undefined` when asked to; the stored cluster should simply not have the key. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}
