import { useState } from 'react'
import type { ClusterView, TokenSummary } from '../../../shared/model'
import { capabilitiesOf } from '../../../shared/vendors'
import { call } from '../api'
import { formatDateTime } from '../format'
import { Dialog, DialogClose } from './Dialog'
import { defaultExpiry, ExpiryPicker, expiryValue } from './ExpiryPicker'
import { ErrorNote } from './Field'
import { useToast } from './Toasts'

/** Change a listed token's expiry (tokens:modify), counted from now. */
export function ExpiryDialog({
  view,
  token,
  onClose,
  onDone,
}: {
  view: ClusterView
  token: TokenSummary
  onClose: () => void
  onDone: () => void
}) {
  const [choice, setChoice] = useState(defaultExpiry())
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const toast = useToast()
  const save = async () => {
    const e = expiryValue(choice)
    if ('error' in e) return setError(e.error)
    setBusy(true)
    try {
      const expiresAt = e.value === 'never' ? null : Date.now() + e.value * 1000
      await call('tokens:modify', { clusterId: view.cluster.id, tokenId: token.id, expiresAt })
      toast.show({ title: 'Expiry changed', description: `Token ${token.id} of ${token.owner}.` })
      onDone()
      onClose()
    } catch (err) {
      toast.error(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Dialog
      open
      onClose={onClose}
      title="Change expiry"
      description={`Token ${token.id} of ${token.owner} expires ${token.expiresAt ? formatDateTime(token.expiresAt) : 'never'}. Choose a new lifetime from now.`}
    >
      <form
        className="form"
        onSubmit={(ev) => {
          ev.preventDefault()
          void save()
        }}
      >
        <ExpiryPicker
          choice={choice}
          onChange={setChoice}
          allowNever={capabilitiesOf(view.cluster.vendor).tokensCanNeverExpire}
          legend="New expiry, from now"
        />
        {error && <ErrorNote>{error}</ErrorNote>}
        <div className="dialog-actions">
          <DialogClose>Cancel</DialogClose>
          <button type="submit" className="primary" disabled={busy}>
            Save expiry
          </button>
        </div>
      </form>
    </Dialog>
  )
}
