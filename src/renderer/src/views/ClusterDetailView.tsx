import { useEffect, useState } from 'react'
import { call, onEvent } from '../api'
import { ClusterDialog } from '../components/ClusterDialog'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { KeptS3Keys } from '../components/KeptS3Keys'
import { ShownOnceDialog, type ShownOnce } from '../components/ShownOnceDialog'
import { useToast } from '../components/Toasts'
import { VendorMark } from '../components/VendorMark'
import { useCall } from '../hooks/useCall'
import { ClusterFactsCard } from './clusterDetail/ClusterFactsCard'
import { IdentityCard } from './clusterDetail/IdentityCard'
import { SessionCard } from './clusterDetail/SessionCard'
import { TokensCard } from './clusterDetail/TokensCard'
import { capabilitiesOf } from '../../../shared/vendors'

/**
 * One cluster's page: its heading (edit, remove) and cards — session, identity, cluster facts,
 * tokens, kept S3 keys. The page reads the cluster (clusters:get) and follows changes to it;
 * each card acts on its own part and asks the page to read again when it changed something.
 */
export function ClusterDetailView({
  clusterId,
  warnMs,
  onBack,
}: {
  clusterId: string
  warnMs: number
  onBack: () => void
}) {
  const { data: detail, error: loadError, reload: load } = useCall('clusters:get', { clusterId })
  const [open, setOpen] = useState<'edit' | 'remove' | undefined>()
  // The only place a freshly minted secret lives; set to undefined when its dialog closes.
  const [shown, setShown] = useState<ShownOnce | undefined>()
  const toast = useToast()

  useEffect(
    () =>
      onEvent((event) => {
        if (event.event === 'clusters:changed') void load()
        if (event.event === 'session:changed' && event.payload.clusterId === clusterId) void load()
      }),
    [load, clusterId],
  )

  if (loadError && !detail)
    return (
      <section className="detail">
        <button type="button" onClick={onBack}>
          ← All clusters
        </button>
        <p role="alert" className="error">
          {loadError}
        </p>
      </section>
    )
  if (!detail) return <p className="muted">Loading…</p>

  const { view } = detail
  const { cluster } = view
  const caps = capabilitiesOf(cluster.vendor)

  return (
    <section className="detail" aria-labelledby="detail-title">
      <div className="detail-head">
        <button type="button" onClick={onBack}>
          ← All clusters
        </button>
        <VendorMark vendor={cluster.vendor} />
        <div className="detail-title">
          <h2 id="detail-title">{cluster.name}</h2>
          <span className="muted">{cluster.url}</span>
        </div>
        <span className="spacer" />
        <button type="button" onClick={() => setOpen('edit')}>
          Edit
        </button>
        <button type="button" className="danger-outline" onClick={() => setOpen('remove')}>
          Remove…
        </button>
      </div>

      <div className="cards">
        <SessionCard detail={detail} warnMs={warnMs} onChanged={load} />
        <IdentityCard detail={detail} />
        <ClusterFactsCard view={view} onChanged={() => void load()} />
      </div>
      <TokensCard detail={detail} onShown={setShown} onChanged={load} />
      {caps.issuesS3Secrets && <KeptS3Keys clusterId={clusterId} />}

      {open === 'edit' && (
        <ClusterDialog
          open
          existing={view}
          onClose={() => setOpen(undefined)}
          onSaved={() => {
            setOpen(undefined)
            toast.show({ title: 'Cluster saved' })
            void load()
          }}
        />
      )}
      {open === 'remove' && (
        <ConfirmDialog
          open
          title={`Remove ${cluster.name}?`}
          confirmLabel="Remove cluster"
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await call('clusters:remove', { clusterId })
            toast.show({ title: `Removed ${cluster.name}` })
            onBack()
          }}
        >
          Tokendeck forgets this cluster and deletes the session and every secret it keeps for it
          from the keychain. Tokens already issued on the cluster are not revoked.
        </ConfirmDialog>
      )}
      <ShownOnceDialog shown={shown} onClose={() => setShown(undefined)} />
    </section>
  )
}
