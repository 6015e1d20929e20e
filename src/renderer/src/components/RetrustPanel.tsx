import { useState } from 'react'
import type { ClusterView } from '../../../shared/model'
import { call } from '../api'
import { useCall } from '../hooks/useCall'
import { CertificateDetails } from './CertificateDetails'
import { useToast } from './Toasts'
import { Fingerprint } from './Fingerprint'

/**
 * The certificate changed: show the fingerprint trusted before and the one presented now (the
 * one main saw, seenSha256), with the rest of the certificate if a fresh look presents the same.
 * Trusting stores exactly the fingerprint shown.
 */
export function RetrustPanel({
  view,
  seenSha256,
  onTrusted,
  onCancel,
}: {
  view: ClusterView
  seenSha256: string
  onTrusted: (view: ClusterView) => void
  onCancel: () => void
}) {
  const [busy, setBusy] = useState(false)
  const toast = useToast()
  const trust = view.cluster.trust
  const url = view.cluster.url

  // The rest of the certificate only if a fresh look presents the one main saw; else none.
  const probed = useCall('clusters:probe', { url }).data
  const cert = probed?.sha256 === seenSha256 ? probed : undefined

  const accept = async () => {
    setBusy(true)
    try {
      onTrusted(await call('clusters:retrust', { clusterId: view.cluster.id, sha256: seenSha256 }))
    } catch (e) {
      toast.error(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="cert-panel" aria-label="Review the new certificate">
      <p>
        {view.cluster.name} presented a different certificate than the one you trusted. This happens
        when the cluster&apos;s certificate was renewed — or when something is intercepting the
        connection. Compare the new fingerprint with the one your cluster administrator shows before
        trusting it.
      </p>
      <dl className="cert">
        {'sha256' in trust && (
          <>
            <dt>Trusted before</dt>
            <dd>
              <Fingerprint value={trust.sha256} />
            </dd>
          </>
        )}
        <dt>Presented now</dt>
        <dd>
          <Fingerprint value={seenSha256} />
        </dd>
      </dl>
      {cert && (
        <details>
          <summary>Certificate details</summary>
          <CertificateDetails cert={cert} />
        </details>
      )}
      <div className="row">
        <button type="button" onClick={onCancel}>
          Not now
        </button>
        <button type="button" className="primary" disabled={busy} onClick={accept}>
          Trust this certificate
        </button>
      </div>
    </section>
  )
}
