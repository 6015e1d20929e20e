import type { ClusterView } from '../../../shared/model'
import { EmptyState } from '../components/EmptyState'

export function ClusterListView({ clusters, demo }: { clusters: ClusterView[]; demo: boolean }) {
  if (clusters.length === 0) return <EmptyState demo={demo} />
  return (
    <ul className="cluster-list" aria-label="Clusters">
      {clusters.map(({ cluster }) => (
        <li key={cluster.id}>
          <strong>{cluster.name}</strong> <span className="muted">{cluster.url}</span>
        </li>
      ))}
    </ul>
  )
}
