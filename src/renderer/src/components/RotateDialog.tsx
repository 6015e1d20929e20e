import { useState } from 'react'
import type { ClusterView, TokenSummary } from '../../../shared/model'
import { call } from '../api'
import { useCall } from '../hooks/useCall'
import { Dialog, DialogClose } from './Dialog'
import type { ShownOnce } from './ShownOnceDialog'
import { useToast } from './Toasts'

/**
 * Rotate: say what will happen (create, prove, revoke the old), show the cluster's warnings for
 * the replacement, then run tokens:rotate and hand its steps and secrets to the shown-once dialog.
 */
export function RotateDialog({
  view,
  token,
  onClose,
  onRotated,
}: {
  view: ClusterView
  token: TokenSummary
  onClose: () => void
  onRotated: (shown: ShownOnce) => void
}) {
  const [busy, setBusy] = useState(false)
  const toast = useToast()
  const clusterId = view.cluster.id

  const check = useCall('tokens:createWarnings', {
    clusterId,
    owner: token.owner,
    ...(token.hasS3Secret ? { s3Secret: true } : {}),
  })
  // Rotate waits for the check; a check that failed has no warnings to show and blocks nothing.
  const warnings = check.data ?? (check.error !== undefined ? [] : undefined)

  const rotate = async () => {
    setBusy(true)
    try {
      const r = await call('tokens:rotate', { clusterId, tokenId: token.id, confirmed: true })
      onRotated({
        title: `Rotated token of ${token.owner}`,
        clusterId,
        token: r.token,
        steps: r.steps,
        secrets: r.secrets,
      })
    } catch (e) {
      toast.error(e, 'Rotation failed')
      setBusy(false)
    }
  }

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Rotate token ${token.id}`}
      description={`A new token for ${token.owner} is created with the same lifetime${token.hasS3Secret ? ' and a new S3 secret' : ''}, proven to work, and only then is token ${token.id} revoked. Anything using the old token must be given the new one.`}
    >
      {warnings && warnings.length > 0 && (
        <div role="alert" className="warn-note">
          <strong>Before you rotate</strong>
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="dialog-actions">
        <DialogClose>Cancel</DialogClose>
        <button type="button" className="primary" disabled={busy || !warnings} onClick={rotate}>
          {busy ? 'Rotating…' : 'Rotate token'}
        </button>
      </div>
    </Dialog>
  )
}
