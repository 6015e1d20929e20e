import { useCallback, useEffect, useState } from 'react'
import type { ClusterView } from '../../../shared/model'
import { call, onEvent } from '../api'

/**
 * The cluster list, kept live: a session change patches that one cluster (cheap with a thousand
 * clusters), any other change reloads the list.
 */
export function useClusters(): {
  clusters: ClusterView[] | undefined
  error: string | undefined
  reload: () => Promise<void>
} {
  const [clusters, setClusters] = useState<ClusterView[] | undefined>()
  const [error, setError] = useState<string | undefined>()

  const reload = useCallback(
    () =>
      call('clusters:list', undefined).then(
        (list) => {
          setClusters(list)
          setError(undefined)
        },
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      ),
    [],
  )

  useEffect(() => {
    void reload()
    return onEvent((event) => {
      if (event.event === 'clusters:changed') void reload()
      if (event.event === 'session:changed') {
        const { clusterId, session } = event.payload
        setClusters((list) =>
          list?.map((v) => (v.cluster.id === clusterId ? { ...v, session } : v)),
        )
      }
    })
  }, [reload])

  return { clusters, error, reload }
}
