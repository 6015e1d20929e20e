import { useState } from 'react'
import type { CertificateInfo, ClusterDraft } from '../../../shared/contract'
import type { ClusterView, Vendor } from '../../../shared/model'
import { vendorFields, vendorIds } from '../../../shared/vendors'
import { ApiError, call } from '../api'
import { errorWords, vendorName } from '../format'
import { defaultPort, hasExplicitPort, urlProblem, withDefaultPort } from '../urls'
import {
  fieldProblem,
  fieldValuesToSend,
  initialFieldValues,
  VendorFields,
  type FieldValues,
} from './clusterDialog/VendorFields'
import {
  TrustSection,
  pastedFingerprint,
  trustProblem,
  type TrustForm,
} from './clusterDialog/TrustSection'
import { Dialog, DialogClose } from './Dialog'
import { ErrorNote, Field } from './Field'
import { useSameAccount } from './clusterDialog/useSameAccount'

interface Form extends TrustForm {
  vendor: Vendor
  name: string
  url: string
  username: string
  /** The vendor's connection fields (vendor table), by key. */
  fields: FieldValues
}

function initialForm(existing: ClusterView | undefined): Form {
  const c = existing?.cluster
  const vendor = c?.vendor ?? 'weka'
  return {
    vendor,
    name: c?.name ?? '',
    url: c?.url ?? '',
    username: c?.username ?? '',
    fields: initialFieldValues(vendor, c),
    trust: c ? ('sha256' in c.trust ? 'pin' : 'ca') : undefined,
    sha256: c && 'sha256' in c.trust ? c.trust.sha256 : '',
    caPath: c && 'caPath' in c.trust ? c.trust.caPath : '',
    pasted: '',
  }
}

/**
 * Add or edit a cluster: vendor, URL (https, the vendor's default port filled in), certificate
 * check and trust decision, and who signs in (with the vendor's fields from the vendor table).
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
  // The port we filled in ourselves follows the vendor select; one the user typed stays.
  const [autoPort, setAutoPort] = useState(false)

  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }))
  const sameAccount = useSameAccount(open && !existing, form.url, form.username)
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

  const trustIssue = trustProblem(form)
  const fieldIssue = vendorFields(form.vendor).some((f) =>
    fieldProblem(f, form.fields[f.key] ?? ''),
  )

  const save = async () => {
    setTouched(true)
    const url = fillPort(form.url)
    set({ url })
    if (urlProblem(url) || !form.name.trim() || !form.username.trim() || trustIssue || fieldIssue)
      return
    const common = {
      name: form.name.trim(),
      url,
      username: form.username.trim(),
      trust:
        form.trust === 'ca'
          ? { caPath: form.caPath.trim() }
          : { sha256: pastedFingerprint(form.pasted).sha256 ?? form.sha256 },
      ...fieldValuesToSend(form.vendor, form.fields, editing),
    }
    setBusy('save')
    setSaveError(undefined)
    try {
      const view = editing
        ? await call('clusters:update', { clusterId: existing.cluster.id, patch: common })
        : await call('clusters:add', { vendor: form.vendor, ...common } as ClusterDraft)
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
            {vendorIds().map((v) => (
              <option key={v} value={v}>
                {vendorName(v)}
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
            hint={`https only. ${vendorName(form.vendor)}'s default port ${port} is added when you type none.`}
            error={urlError}
            spellCheck={false}
            autoComplete="off"
          />
          <button type="button" onClick={probe} disabled={busy !== undefined}>
            {busy === 'probe' ? 'Checking…' : 'Check certificate'}
          </button>
        </div>
        {probeError && <ErrorNote>Could not read the certificate. {probeError}</ErrorNote>}
        <TrustSection form={form} set={set} cert={cert} touched={touched} />
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
        {sameAccount.map((c) => (
          <p key={c.id} className="warn-note" role="note">
            {c.name} already signs in to {c.url} as {c.username}. You can add this one too: both
            entries share the account (and its lockout), but each keeps its own session.
          </p>
        ))}
        <VendorFields
          vendor={form.vendor}
          values={form.fields}
          onChange={(key, value) => set({ fields: { ...form.fields, [key]: value } })}
        />
        {touched && trustIssue && <p className="field-error">{trustIssue}</p>}
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
