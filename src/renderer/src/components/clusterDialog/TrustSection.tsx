/**
 * How the cluster's certificate is trusted: the certificate it presents (checked, then pinned), a
 * fingerprint the cluster's administrator gave (compared with what it presents), or a CA file.
 */
import { useState } from 'react'
import type { CertificateInfo } from '../../../../shared/contract'
import { normalizeFingerprint, Sha256Fingerprint } from '../../../../shared/model'
import { ApiError, call } from '../../api'
import { errorWords } from '../../format'
import { CertificateDetails } from '../CertificateDetails'
import { ErrorNote, Field } from '../Field'
import { Fingerprint } from '../Fingerprint'

export interface TrustForm {
  trust: 'pin' | 'ca' | undefined
  sha256: string
  caPath: string
  /** A fingerprint the user pasted (from the cluster's admin); main compares it at add time. */
  pasted: string
}

/** A pasted fingerprint in canonical form, or what is wrong with it. */
export function pastedFingerprint(text: string): { sha256?: string; problem?: string } {
  if (!text.trim()) return {}
  if (/[^0-9a-fA-F:\s-]/.test(text.trim()))
    return { problem: 'A SHA-256 fingerprint has only hex digits (0–9, A–F), with or without ":".' }
  const sha256 = normalizeFingerprint(text)
  return Sha256Fingerprint.safeParse(sha256).success
    ? { sha256 }
    : { problem: 'A SHA-256 fingerprint is 64 hex digits (32 pairs); this is not complete.' }
}

/** What keeps the trust choice from being saved, if anything. */
export function trustProblem(form: TrustForm): string | undefined {
  if (form.trust === 'ca')
    return form.caPath.trim() ? undefined : 'Enter the path of the CA file, or choose it.'
  if (form.pasted.trim()) return pastedFingerprint(form.pasted).problem
  if (form.trust === 'pin') return form.sha256 ? undefined : 'Check the certificate and trust it.'
  return 'Check the certificate, then trust it, paste its fingerprint or use a CA file.'
}

export function TrustSection({
  form,
  set,
  cert,
  touched,
}: {
  form: TrustForm
  set: (patch: Partial<TrustForm>) => void
  cert: CertificateInfo | undefined
  touched: boolean
}) {
  const [pickError, setPickError] = useState<string | undefined>()
  const pasted = pastedFingerprint(form.pasted)
  const pinned = form.trust === 'pin' && cert !== undefined && form.sha256 === cert.sha256

  const chooseCaFile = async () => {
    setPickError(undefined)
    try {
      const { path } = await call('files:pickCaFile', undefined)
      if (path !== undefined) set({ caPath: path })
    } catch (e) {
      setPickError(e instanceof ApiError ? errorWords(e.info) : String(e))
    }
  }

  return (
    <>
      {cert && (
        <section className="cert-panel" aria-label="Certificate presented by the cluster">
          <CertificateDetails cert={cert} />
          <div className="row">
            <button
              type="button"
              className={pinned ? 'primary' : ''}
              aria-pressed={pinned}
              onClick={() => set({ trust: 'pin', sha256: cert.sha256 })}
            >
              Trust this certificate
            </button>
            <button
              type="button"
              aria-pressed={form.trust === 'ca'}
              onClick={() => set({ trust: 'ca' })}
            >
              Use a CA file instead
            </button>
          </div>
        </section>
      )}
      {!cert && form.trust !== 'ca' && (
        <p className="hint">
          {form.trust === 'pin' && form.sha256 ? (
            <>
              Trusted certificate: <Fingerprint value={form.sha256} />.{' '}
            </>
          ) : null}
          Check the certificate to trust it, or paste the fingerprint the cluster&apos;s
          administrator gave you.
        </p>
      )}
      {form.trust !== 'ca' && (
        <div className="field-row trust-choices">
          <Field
            label="Known SHA-256 fingerprint (optional)"
            value={form.pasted}
            onChange={(v) => set({ pasted: v })}
            placeholder="AB:CD:…  (64 hex digits)"
            hint="Tokendeck checks that the cluster presents exactly this certificate before adding it."
            error={form.pasted.trim() ? pasted.problem : undefined}
            spellCheck={false}
            autoComplete="off"
          />
          {!cert && (
            <button type="button" onClick={() => set({ trust: 'ca' })}>
              Use a CA file instead
            </button>
          )}
        </div>
      )}
      {cert && pasted.sha256 && (
        <p
          className={pasted.sha256 === cert.sha256 ? 'ok-note' : 'field-error'}
          role={pasted.sha256 === cert.sha256 ? 'status' : 'alert'}
        >
          {pasted.sha256 === cert.sha256
            ? 'The certificate the cluster presents matches the fingerprint you gave.'
            : `You gave ${pasted.sha256}, but the server presents ${cert.sha256}. Ask the cluster's administrator which one is right before trusting either.`}
        </p>
      )}
      {pinned && (
        <p className="ok-note" role="status">
          This certificate will be trusted.
        </p>
      )}
      {form.trust === 'ca' && (
        <>
          <div className="field-row trust-choices">
            <Field
              label="CA file path"
              value={form.caPath}
              onChange={(caPath) => set({ caPath })}
              placeholder="/etc/ssl/certs/cluster-ca.pem"
              hint="The PEM file of the certificate authority that signed the cluster's certificate: choose it, or type its path."
              error={
                touched && !form.caPath.trim()
                  ? 'Enter the path of the CA file, or choose it.'
                  : undefined
              }
              spellCheck={false}
            />
            <button type="button" onClick={() => void chooseCaFile()}>
              Choose CA file…
            </button>
          </div>
          {pickError && <ErrorNote>{pickError}</ErrorNote>}
          <div className="row">
            <button type="button" onClick={() => set({ trust: undefined, caPath: '' })}>
              Trust a certificate instead
            </button>
          </div>
        </>
      )}
    </>
  )
}
