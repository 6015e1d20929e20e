import { useEffect, useSyncExternalStore } from 'react'
import type { ClusterView } from '../../../shared/model'
import {
  clusterListState,
  reloadClusters,
  startClusterList,
  subscribeClusterList,
} from '../clusterList'

/**
 * The cluster list, kept live (see clusterList.ts): a session change patches that one cluster
 * (cheap with a thousand clusters), any other change reloads the list.
 */
export function useClusters(): {
  clusters: ClusterView[] | undefined
  error: string | undefined
  reload: () => Promise<void>
} {
  const { clusters, error } = useSyncExternalStore(subscribeClusterList, clusterListState)
  // Started by startup.ts before React; this covers a page that did not import it.
  useEffect(() => startClusterList(), [])
  return { clusters, error, reload: reloadClusters }
}
