import { useState } from 'react'
import type { ClusterView, ErrorInfo } from '../../../shared/model'
import { call, errorInfoOf } from '../api'
import { errorHeadline } from '../format'
import { ErrorNote, Field } from './Field'

/** docs/protocols/weka.md §2.4: WEKA's complexity rule, said before the user types. */
const RULE =
  'At least 8 characters, with an upper-case letter, a lower-case letter, and a digit or special character.'

/**
 * The new password for an account the cluster accepts only on condition that it is changed
 * (WEKA `password_change_required`). `current` is the password just typed in the sign-in form,
 * held only while this form is open; when it is gone (or proved wrong) the form asks for it.
 * Each submit is one change: main sends each password once and never retries.
 */
export function ChangePasswordForm({
  view,
  current: typed,
  onCancel,
  onChanged,
}: {
  view: ClusterView
  current: string | undefined
  onCancel: () => void
  onChanged: (view: ClusterView) => void
}) {
  const [current, setCurrent] = useState(typed)
  const [askCurrent, setAskCurrent] = useState(typed === undefined)
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ErrorInfo | undefined>()
  const { cluster } = view
  const mismatch = again !== '' && next !== again

  const change = async () => {
    if (!current || !next || next !== again) return
    setBusy(true)
    setError(undefined)
    try {
      onChanged(
        await call('session:changePassword', {
          clusterId: cluster.id,
          currentPassword: current,
          newPassword: next,
        }),
      )
    } catch (e) {
      const info = errorInfoOf(e)
      setError(info)
      // A wrong current password is asked for again; a refused new one is typed again.
      if (info.code === 'BAD_CREDENTIALS') {
        setCurrent(undefined)
        setAskCurrent(true)
      }
      setNext('')
      setAgain('')
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="form change-password"
      aria-label="Change password"
      onSubmit={(e) => {
        e.preventDefault()
        void change()
      }}
    >
      <p className="hint">
        {cluster.name} requires a new password for {cluster.username} before the account is used.
        Tokendeck changes it on the cluster, then signs in with the new one; neither is stored.
      </p>
      {askCurrent && (
        <Field
          label="Current password"
          type="password"
          autoComplete="off"
          value={current ?? ''}
          disabled={busy}
          onChange={setCurrent}
        />
      )}
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        autoFocus={!askCurrent}
        hint={RULE}
        value={next}
        disabled={busy}
        onChange={setNext}
      />
      <Field
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        value={again}
        disabled={busy}
        error={mismatch ? 'The two new passwords differ.' : undefined}
        onChange={setAgain}
      />
      {error && (
        <ErrorNote>
          <strong>
            {error.code === 'INVALID_INPUT'
              ? 'The cluster refused the new password'
              : errorHeadline(error)}
          </strong>
          <p>{error.message}</p>
        </ErrorNote>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel} disabled={busy}>
          Back
        </button>
        <button
          type="submit"
          className="primary"
          disabled={busy || !current || !next || next !== again}
        >
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  )
}
