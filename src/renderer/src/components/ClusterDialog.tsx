import { useState } from 'react'
import type { CertificateInfo, ClusterDraft } from '../../../shared/contract'
import {
  normalizeFingerprint,
  Sha256Fingerprint,
  VENDORS,
  type ClusterView,
  type Vendor,
} from '../../../shared/model'
import { ApiError, call } from '../api'
import { errorWords, VENDOR_NAMES } from '../format'
import { defaultPort, hasExplicitPort, urlProblem, withDefaultPort } from '../urls'
import { CertificateDetails } from './CertificateDetails'
import { Dialog, DialogClose } from './Dialog'
import { ErrorNote, Field } from './Field'
import { Fingerprint } from './Fingerprint'

/** A pasted fingerprint in canonical form, or what is wrong with it. */
function pastedFingerprint(text: string): { sha256?: string; problem?: string } {
  if (!text.trim()) return {}
  if (/[^0-9a-fA-F:\s-]/.test(text.trim()))
    return { problem: 'A SHA-256 fingerprint has only hex digits (0–9, A–F), with or without ":".' }
  const sha256 = normalizeFingerprint(text)
  return Sha256Fingerprint.safeParse(sha256).success
    ? { sha256 }
    : { problem: 'A SHA-256 fingerprint is 64 hex digits (32 pairs); this is not complete.' }
}

type TrustMode = 'pin' | 'ca' | undefined

interface Form {
  vendor: Vendor
  name: string
  url: string
  username: string
  org: string
  tenant: string
  domain: string
  s3Url: string
  trust: TrustMode
  sha256: string
  caPath: string
  /** A fingerprint the user pasted (from the cluster's admin); main compares it at add time. */
  pasted: string
}

function initialForm(existing: ClusterView | undefined): Form {
  const c = existing?.cluster
  return {
    vendor: c?.vendor ?? 'weka',
    name: c?.name ?? '',
    url: c?.url ?? '',
    username: c?.username ?? '',
    org: c?.org ?? '',
    tenant: c?.tenant ?? '',
    domain: c?.domain ?? '',
    s3Url: c?.s3Url ?? '',
    trust: c ? ('sha256' in c.trust ? 'pin' : 'ca') : undefined,
    sha256: c && 'sha256' in c.trust ? c.trust.sha256 : '',
    caPath: c && 'caPath' in c.trust ? c.trust.caPath : '',
    pasted: '',
  }
}

/**
 * Add or edit a cluster: vendor, URL (https, the vendor's default port filled in), certificate
 * check and trust decision, and who signs in (with the vendor's extra fields).
 */
export function ClusterDialog({
  open,
  existing,
  onClose,
  onSaved,
}: {
  open: boolean
  existing?: ClusterView | undefined
  onClose: () => void
  onSaved: (view: ClusterView) => void
}) {
  const [form, setForm] = useState<Form>(() => initialForm(existing))
  const [cert, setCert] = useState<CertificateInfo | undefined>()
  const [probeError, setProbeError] = useState<string | undefined>()
  const [saveError, setSaveError] = useState<string | undefined>()
  const [busy, setBusy] = useState<'probe' | 'save' | undefined>()
  const [touched, setTouched] = useState(false)
  const [pickError, setPickError] = useState<string | undefined>()
  // The port we filled in ourselves follows the vendor select; one the user typed stays.
  const [autoPort, setAutoPort] = useState(false)

  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }))
  const port = defaultPort(form.vendor)
  const urlError = touched || form.url ? urlProblem(form.url) : undefined
  const editing = existing !== undefined

  const fillPort = (url: string, vendor = form.vendor): string => {
    if (urlProblem(url)) return url
    if (hasExplicitPort(url)) return url
    const filled = withDefaultPort(url, defaultPort(vendor))
    if (filled !== url.trim()) setAutoPort(true)
    return filled
  }

  const changeVendor = (vendor: Vendor) => {
    let url = form.url
    if (autoPort) {
      url = url.replace(/^(https:\/\/(?:\[[^\]]+\]|[^/:?#]+)):\d+/i, '$1')
      url = withDefaultPort(url, defaultPort(vendor))
    }
    set({ vendor, url })
  }

  const changeUrl = (url: string) => {
    setAutoPort(false)
    // A different server: the certificate seen for the old URL says nothing about it.
    if (cert) setCert(undefined)
    if (!editing || url !== existing.cluster.url)
      set({ url, ...(form.trust === 'pin' && !editing ? { trust: undefined, sha256: '' } : {}) })
    else set({ url })
  }

  const probe = async () => {
    setTouched(true)
    const url = fillPort(form.url)
    set({ url })
    if (urlProblem(url)) return
    setBusy('probe')
    setProbeError(undefined)
    setCert(undefined)
    try {
      setCert(await call('clusters:probe', { url }))
    } catch (e) {
      setProbeError(e instanceof ApiError ? errorWords(e.info) : String(e))
    } finally {
      setBusy(undefined)
    }
  }

  const pasted = pastedFingerprint(form.pasted)
  const trustProblem =
    form.trust === 'ca'
      ? form.caPath.trim()
        ? undefined
        : 'Enter the path of the CA file, or choose it.'
      : form.pasted.trim()
        ? pasted.problem
        : form.trust === 'pin'
          ? form.sha256
            ? undefined
            : 'Check the certificate and trust it.'
          : 'Check the certificate, then trust it, paste its fingerprint or use a CA file.'

  const chooseCaFile = async () => {
    setPickError(undefined)
    try {
      const { path } = await call('files:pickCaFile', undefined)
      if (path !== undefined) set({ caPath: path })
    } catch (e) {
      setPickError(e instanceof ApiError ? errorWords(e.info) : String(e))
    }
  }

  const save = async () => {
    setTouched(true)
    const url = fillPort(form.url)
    set({ url })
    if (urlProblem(url) || !form.name.trim() || !form.username.trim() || trustProblem) return
    const draft: ClusterDraft = {
      vendor: form.vendor,
      name: form.name.trim(),
      url,
      username: form.username.trim(),
      trust:
        form.trust === 'ca'
          ? { caPath: form.caPath.trim() }
          : { sha256: pasted.sha256 ?? form.sha256 },
      ...(form.vendor === 'weka' && form.org.trim() ? { org: form.org.trim() } : {}),
      ...(form.vendor === 'swarm' && form.tenant.trim() ? { tenant: form.tenant.trim() } : {}),
      ...(form.vendor === 'swarm' && form.domain.trim() ? { domain: form.domain.trim() } : {}),
      ...(form.vendor === 'swarm' && form.s3Url.trim() ? { s3Url: form.s3Url.trim() } : {}),
    }
    setBusy('save')
    setSaveError(undefined)
    try {
      const view = editing
        ? await call('clusters:update', {
            clusterId: existing.cluster.id,
            patch: {
              name: draft.name,
              url: draft.url,
              username: draft.username,
              trust: draft.trust,
              // An emptied field is sent as '' (empty = absent): undefined would not cross IPC as JSON.
              ...(form.vendor === 'weka' ? { org: form.org.trim() } : {}),
              ...(form.vendor === 'swarm'
                ? { tenant: form.tenant.trim(), domain: form.domain.trim() }
                : {}),
              ...(draft.s3Url ? { s3Url: draft.s3Url } : {}),
            },
          })
        : await call('clusters:add', draft)
      onSaved(view)
    } catch (e) {
      setSaveError(e instanceof ApiError ? errorWords(e.info) : String(e))
    } finally {
      setBusy(undefined)
    }
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={editing ? `Edit ${existing.cluster.name}` : 'Add cluster'}
      wide
    >
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        <div className="field">
          <label htmlFor="cluster-vendor">Vendor</label>
          <select
            id="cluster-vendor"
            value={form.vendor}
            disabled={editing}
            onChange={(e) => changeVendor(e.target.value as Vendor)}
          >
            {VENDORS.map((v) => (
              <option key={v} value={v}>
                {VENDOR_NAMES[v]}
              </option>
            ))}
          </select>
          {editing && (
            <p className="hint">To change the vendor, remove the cluster and add it again.</p>
          )}
        </div>
        <Field
          label="Cluster name"
          value={form.name}
          onChange={(name) => set({ name })}
          placeholder="Production WEKA"
          error={touched && !form.name.trim() ? 'Give the cluster a name.' : undefined}
        />
        <div className="field-row">
          <Field
            label="URL"
            value={form.url}
            onChange={changeUrl}
            onBlur={() => form.url && set({ url: fillPort(form.url) })}
            placeholder={`https://cluster.example.com${port === 443 ? '' : `:${port}`}`}
            hint={`https only. ${VENDOR_NAMES[form.vendor]}'s default port ${port} is added when you type none.`}
            error={urlError}
            spellCheck={false}
            autoComplete="off"
          />
          <button type="button" onClick={probe} disabled={busy !== undefined}>
            {busy === 'probe' ? 'Checking…' : 'Check certificate'}
          </button>
        </div>
        {probeError && <ErrorNote>Could not read the certificate. {probeError}</ErrorNote>}
        {cert && (
          <section className="cert-panel" aria-label="Certificate presented by the cluster">
            <CertificateDetails cert={cert} />
            <div className="row">
              <button
                type="button"
                className={form.trust === 'pin' && form.sha256 === cert.sha256 ? 'primary' : ''}
                aria-pressed={form.trust === 'pin' && form.sha256 === cert.sha256}
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
        {form.trust === 'pin' && form.sha256 && cert && form.sha256 === cert.sha256 && (
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
        <Field
          label="Username"
          value={form.username}
          onChange={(username) => set({ username })}
          autoComplete="off"
          spellCheck={false}
          error={
            touched && !form.username.trim() ? 'Enter the username to sign in with.' : undefined
          }
        />
        {form.vendor === 'weka' && (
          <Field
            label="Organization"
            value={form.org}
            onChange={(org) => set({ org })}
            hint="Leave empty for the Root organization."
            spellCheck={false}
          />
        )}
        {form.vendor === 'swarm' && (
          <div className="field-row">
            <Field
              label="Tenant"
              value={form.tenant}
              onChange={(tenant) => set({ tenant })}
              spellCheck={false}
            />
            <Field
              label="Domain"
              value={form.domain}
              onChange={(domain) => set({ domain })}
              spellCheck={false}
            />
          </div>
        )}
        {form.vendor === 'swarm' && (
          <Field
            label="S3 endpoint"
            value={form.s3Url}
            onChange={(s3Url) => set({ s3Url })}
            hint="Optional: the S3 URL (https), used to prove new S3 keys work."
            error={form.s3Url ? urlProblem(form.s3Url) : undefined}
            spellCheck={false}
          />
        )}
        {touched && trustProblem && <p className="field-error">{trustProblem}</p>}
        {saveError && <ErrorNote>{saveError}</ErrorNote>}
        <div className="dialog-actions">
          <DialogClose>Cancel</DialogClose>
          <button type="submit" className="primary" disabled={busy !== undefined}>
            {busy === 'save' ? 'Saving…' : editing ? 'Save changes' : 'Add cluster'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
