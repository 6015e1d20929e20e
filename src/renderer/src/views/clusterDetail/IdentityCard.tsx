import type { ClusterDetail } from '../../../../shared/contract'

/** Who the session is: the user the cluster reports (or the one configured), role, tenancy. */
export function IdentityCard({ detail }: { detail: ClusterDetail }) {
  const { cluster } = detail.view
  const identity = detail.identity
  return (
    <section className="card" aria-labelledby="who-h">
      <h3 id="who-h">Who I am</h3>
      <dl className="facts">
        <dt>User</dt>
        <dd>
          {identity?.username ?? cluster.username}
          {identity?.isAdmin && <span className="badge small">admin</span>}
        </dd>
        {identity?.role && (
          <>
            <dt>Role</dt>
            <dd>{identity.role}</dd>
          </>
        )}
        {cluster.org && (
          <>
            <dt>Organization</dt>
            <dd>{cluster.org}</dd>
          </>
        )}
        {(cluster.tenant || cluster.domain) && (
          <>
            <dt>Tenant / domain</dt>
            <dd>
              {cluster.tenant || '—'} / {cluster.domain || '—'}
            </dd>
          </>
        )}
      </dl>
    </section>
  )
}
