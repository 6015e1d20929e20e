import type { ClusterView } from '../../../../shared/model'
import { Fingerprint } from '../../components/Fingerprint'
import { TagEditor } from '../../components/TagEditor'
import { vendorName } from '../../format'

/** What is known about the cluster itself: vendor, its own name and version, trust, tags. */
export function ClusterFactsCard({
  view,
  onChanged,
}: {
  view: ClusterView
  /** The tags changed: read the cluster again. */
  onChanged: () => void
}) {
  const { cluster } = view
  return (
    <section className="card" aria-labelledby="cluster-h">
      <h3 id="cluster-h">Cluster</h3>
      <dl className="facts">
        <dt>Vendor</dt>
        <dd>{vendorName(cluster.vendor)}</dd>
        <dt>Name on the cluster</dt>
        <dd>{cluster.seen?.clusterName ?? <span className="muted">not seen yet</span>}</dd>
        <dt>Version</dt>
        <dd>{cluster.seen?.version ?? '—'}</dd>
        <dt>Trust</dt>
        <dd>
          {'sha256' in cluster.trust ? (
            <Fingerprint value={cluster.trust.sha256} />
          ) : (
            `CA file ${cluster.trust.caPath}`
          )}
        </dd>
        <dt>Tags</dt>
        <dd>
          <TagEditor clusterId={cluster.id} tags={cluster.tags ?? []} onChanged={onChanged} />
        </dd>
      </dl>
    </section>
  )
}
