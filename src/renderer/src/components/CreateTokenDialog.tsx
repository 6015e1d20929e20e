import { useState } from 'react'
import type { CreateTokenInput } from '../../../shared/contract'
import type { ClusterView } from '../../../shared/model'
import { capabilitiesOf } from '../../../shared/vendors'
import { ApiError, call } from '../api'
import { errorWords } from '../format'
import { Dialog, DialogClose } from './Dialog'
import { defaultExpiry, ExpiryPicker, expiryValue } from './ExpiryPicker'
import { ErrorNote, Field } from './Field'
import type { ShownOnce } from './ShownOnceDialog'

/**
 * Create a token (or, where tokens are not listed, generate a long-lived one). The cluster's
 * warnings come first (tokens:createWarnings); the user confirms them, then tokens:create.
 * Only "Create anyway" sends `confirmed: true`: a warning that appears between the two calls
 * makes the core answer CONFIRMATION_REQUIRED, and the dialog shows the warnings then.
 */
export function CreateTokenDialog({
  open,
  view,
  me,
  longLived,
  onClose,
  onCreated,
}: {
  open: boolean
  view: ClusterView
  me: string
  longLived?: boolean
  onClose: () => void
  onCreated: (shown: ShownOnce) => void
}) {
  const caps = capabilitiesOf(view.cluster.vendor)
  const [owner, setOwner] = useState(me)
  const [description, setDescription] = useState('')
  const [s3, setS3] = useState(false)
  const [expiry, setExpiry] = useState(defaultExpiry(longLived ? '30 days' : '24 hours'))
  const [warnings, setWarnings] = useState<string[] | undefined>()
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  // Named after the cluster: a token made on the wrong cluster is a token in the wrong place.
  const title = `${longLived ? 'Generate long-lived token' : 'Create token'} on ${view.cluster.name}`
  // Only a cluster that manages expiry of listed tokens offers "never" (see the report: a capability would say it).
  const allowNever = caps.tokensCanNeverExpire

  const input = (): CreateTokenInput | undefined => {
    const e = expiryValue(expiry)
    if ('error' in e) {
      setError(e.error)
      return undefined
    }
    return {
      clusterId: view.cluster.id,
      expiresIn: e.value,
      ...(caps.tokenAdminCanActForOthers && owner.trim() && owner.trim() !== me
        ? { owner: owner.trim() }
        : {}),
      ...(description.trim() && !longLived ? { description: description.trim() } : {}),
      ...(caps.issuesS3Secrets && s3 ? { s3Secret: true } : {}),
    }
  }

  const create = async (req: CreateTokenInput, confirmed: boolean) => {
    const { token, secrets } = await call('tokens:create', { ...req, confirmed })
    onCreated({
      title: longLived ? 'Long-lived token generated' : 'Token created',
      clusterId: view.cluster.id,
      token,
      secrets,
    })
  }

  const run = async (confirmed: boolean) => {
    const req = input()
    if (!req) return
    setBusy(true)
    setError(undefined)
    try {
      if (!confirmed) {
        const w = await call('tokens:createWarnings', req)
        if (w.length > 0) {
          setWarnings(w)
          return
        }
      }
      await create(req, confirmed)
    } catch (e) {
      if (e instanceof ApiError && e.info.code === 'CONFIRMATION_REQUIRED' && !confirmed) {
        const w = await call('tokens:createWarnings', req).catch(() => [])
        setWarnings(w.length > 0 ? w : [e.info.message])
        return
      }
      setError(e instanceof ApiError ? errorWords(e.info) : String(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog open={open} onClose={onClose} title={title} wide>
      {warnings ? (
        <div className="form">
          <div role="alert" className="warn-note">
            <strong>Before you create this token</strong>
            <ul>
              {warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </div>
          {error && <ErrorNote>{error}</ErrorNote>}
          <div className="dialog-actions">
            <button type="button" onClick={() => setWarnings(undefined)}>
              Back
            </button>
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void run(true)}
            >
              {busy ? 'Creating…' : 'Create anyway'}
            </button>
          </div>
        </div>
      ) : (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault()
            void run(false)
          }}
        >
          {caps.tokenAdminCanActForOthers && !longLived && (
            <Field
              label="Owner"
              value={owner}
              onChange={setOwner}
              hint="The user the token acts as. A token has all of that user's privileges."
              spellCheck={false}
            />
          )}
          <ExpiryPicker choice={expiry} onChange={setExpiry} allowNever={allowNever} />
          {!longLived && (
            <Field
              label="Description"
              value={description}
              onChange={setDescription}
              maxLength={512}
            />
          )}
          {caps.issuesS3Secrets && !longLived && (
            <label className="check">
              <input type="checkbox" checked={s3} onChange={(e) => setS3(e.target.checked)} />
              Include S3 secret
            </label>
          )}
          {longLived && (
            <p className="hint">
              The token is shown once. It stays valid until it expires or every token of {me} is
              revoked.
            </p>
          )}
          {error && <ErrorNote>{error}</ErrorNote>}
          <div className="dialog-actions">
            <DialogClose>Cancel</DialogClose>
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Working…' : longLived ? 'Generate token' : 'Create token'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  )
}
