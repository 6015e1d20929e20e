import { useState } from 'react'
import type { ClusterView } from '../../../../shared/model'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { canSignIn } from './ClusterRow'
import { runBulk, summaryHeadline, type BulkSummary } from './bulk'

/** What the ticked clusters can have done to them, and the one summary of the last bulk action. */
export function BulkBar({
  selected,
  onClear,
  onSignIn,
  onSummary,
}: {
  /** The ticked clusters, in list order. */
  selected: readonly ClusterView[]
  onClear: () => void
  /** Sign in to these, one dialog at a time. */
  onSignIn: (views: ClusterView[]) => void
  onSummary: (summary: BulkSummary) => void
}) {
  const [busy, setBusy] = useState<string | undefined>()
  const [confirmSignOut, setConfirmSignOut] = useState(false)
  const n = selected.length
  const plural = (k: number) => `${k} ${k === 1 ? 'cluster' : 'clusters'}`
  const run = async (kind: 'refresh' | 'sign-out') => {
    setBusy(kind === 'refresh' ? 'Refreshing…' : 'Signing out…')
    try {
      onSummary(await runBulk(kind, selected))
    } finally {
      setBusy(undefined)
    }
  }
  const signInable = selected.filter(canSignIn)
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected clusters">
      <strong>{plural(n)} selected</strong>
      <button
        type="button"
        disabled={busy !== undefined || signInable.length === 0}
        title={signInable.length === 0 ? 'Every selected cluster is signed in or busy' : undefined}
        onClick={() => onSignIn(signInable)}
      >
        Sign in{signInable.length && signInable.length !== n ? ` (${signInable.length})` : ''}…
      </button>
      <button type="button" disabled={busy !== undefined} onClick={() => void run('refresh')}>
        Refresh
      </button>
      <button
        type="button"
        className="danger"
        disabled={busy !== undefined}
        onClick={() => setConfirmSignOut(true)}
      >
        Sign out…
      </button>
      <button type="button" className="link" onClick={onClear}>
        Clear selection
      </button>
      {busy && (
        <span className="muted" role="status">
          {busy}
        </span>
      )}
      {confirmSignOut && (
        <ConfirmDialog
          open
          title={`Sign out of ${plural(n)}?`}
          confirmLabel={`Sign out of ${plural(n)}`}
          danger
          onClose={() => setConfirmSignOut(false)}
          onConfirm={() => run('sign-out')}
        >
          Tokendeck forgets the sessions of the {plural(n)} you selected (where the vendor can, the
          session is ended on the server too). You can sign in again with each password.
        </ConfirmDialog>
      )}
    </div>
  )
}

/** The outcome of the last bulk action: one line, then each failure or skip by name. */
export function BulkSummaryNote({
  summary,
  onDismiss,
}: {
  summary: BulkSummary
  onDismiss: () => void
}) {
  const notable = summary.outcomes.filter((o) => o.status !== 'done')
  const failed = notable.some((o) => o.status === 'failed')
  return (
    <div className={`bulk-summary ${failed ? 'has-failures' : ''}`} role="status">
      <strong>{summaryHeadline(summary)}</strong>
      {notable.length > 0 && (
        <ul>
          {notable.map((o) => (
            <li key={o.clusterId}>
              {o.name}: {o.status === 'failed' ? 'failed' : 'skipped'} — {o.detail}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="link" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  )
}
