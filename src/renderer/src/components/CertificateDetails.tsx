import type { CertificateInfo } from '../../../shared/contract'
import { formatDate } from '../format'
import { useNow } from '../hooks/useNow'
import { Fingerprint } from './Fingerprint'

/** What a server's certificate says, before the user decides to trust it. */
export function CertificateDetails({ cert }: { cert: CertificateInfo }) {
  const now = useNow()
  const expired = cert.validTo < now
  return (
    <dl className="cert" aria-label="Certificate">
      <dt>SHA-256 fingerprint</dt>
      <dd>
        <Fingerprint value={cert.sha256} />
      </dd>
      <dt>Subject</dt>
      <dd>{cert.subject || '—'}</dd>
      <dt>Issuer</dt>
      <dd>{cert.issuer || '—'}</dd>
      <dt>Valid</dt>
      <dd>
        {formatDate(cert.validFrom)} – {formatDate(cert.validTo)}
        {expired && <strong className="error"> (expired)</strong>}
      </dd>
      <dt>Self-signed</dt>
      <dd>
        {cert.selfSigned ? 'Yes — compare the fingerprint with the one your cluster shows' : 'No'}
      </dd>
      {cert.subjectAltNames.length > 0 && (
        <>
          <dt>Names</dt>
          <dd>{cert.subjectAltNames.join(', ')}</dd>
        </>
      )}
    </dl>
  )
}
