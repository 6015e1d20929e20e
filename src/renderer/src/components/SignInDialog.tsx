import { useState } from 'react'
import type { ClusterView, ErrorInfo } from '../../../shared/model'
import { call, errorInfoOf } from '../api'
import { errorHeadline, formatDateTime, vendorName } from '../format'
import { Dialog, DialogClose } from './Dialog'
import { ErrorNote } from './Field'
import { RetrustPanel } from './RetrustPanel'
import { ChangePasswordForm } from './ChangePasswordForm'

/**
 * What to do about a failed sign-in, by code: said once, after the headline (errorHeadline), so
 * the body never repeats it.
 */
function signInAdvice(info: ErrorInfo): string {
  switch (info.code) {
    case 'BAD_CREDENTIALS':
      return 'Check both and try again; repeated failures may lock the account.'
    case 'ACCOUNT_LOCKED':
      return info.retryAt ? 'Try again after that.' : info.message
    case 'TLS_PIN_MISMATCH':
      return 'The cluster presented a certificate you have not trusted. Review it before signing in.'
    case 'UNREACHABLE':
      return `Check the URL, the VPN and that the cluster is up. (${info.message})`
    case 'TIMEOUT':
      return `Try again; if it persists, check the network. (${info.message})`
    default:
      return info.message
  }
}

/**
 * Sign in with a password that is used for exactly one call: it leaves this component's state
 * as soon as the call settles, whatever the outcome.
 */
export function SignInDialog({
  open,
  view,
  onClose,
  onSignedIn,
}: {
  open: boolean
  view: ClusterView
  onClose: () => void
  onSignedIn: (view: ClusterView) => void
}) {
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ErrorInfo | undefined>()
  const [reviewing, setReviewing] = useState(false)
  const [note, setNote] = useState<string | undefined>()
  // The password just typed, kept only while the cluster demands a change and this dialog is
  // open: the change form sends it once as the current password (issue 13).
  const [changeFrom, setChangeFrom] = useState<string | undefined>()
  const [changing, setChanging] = useState(false)
  const { cluster } = view
  const lockedUntil = view.session.state === 'locked' ? view.session.until : undefined

  const signIn = async () => {
    if (!password) return
    const once = password
    setBusy(true)
    setError(undefined)
    setNote(undefined)
    setChangeFrom(undefined)
    try {
      onSignedIn(await call('session:signIn', { clusterId: cluster.id, password: once }))
    } catch (e) {
      const info = errorInfoOf(e)
      setError(info)
      if (info.code === 'PASSWORD_CHANGE_REQUIRED') setChangeFrom(once)
    } finally {
      setPassword('')
      setBusy(false)
    }
  }

  const who = [
    cluster.username,
    cluster.org && `organization ${cluster.org}`,
    cluster.tenant && `tenant ${cluster.tenant}`,
  ]
    .filter(Boolean)
    .join(', ')

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Sign in to ${cluster.name}`}
      description={`${vendorName(cluster.vendor)} at ${cluster.url} as ${who}. The password is sent once and never stored.`}
    >
      {changing ? (
        <ChangePasswordForm
          view={view}
          current={changeFrom}
          onCancel={() => {
            setChanging(false)
            setChangeFrom(undefined)
          }}
          onChanged={(v) => {
            setChangeFrom(undefined)
            onSignedIn(v)
          }}
        />
      ) : reviewing && error?.seenSha256 ? (
        <RetrustPanel
          view={view}
          seenSha256={error.seenSha256}
          onCancel={() => setReviewing(false)}
          onTrusted={() => {
            setReviewing(false)
            setError(undefined)
            setNote('The new certificate is trusted. Enter the password again to sign in.')
          }}
        />
      ) : (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault()
            void signIn()
          }}
        >
          {lockedUntil !== undefined && !error && (
            <p className="warn-note" role="note">
              This account is locked until {formatDateTime(lockedUntil)}. A sign-in tried before
              then is refused, and on many clusters it counts as another failed attempt that may
              extend the lock: wait until then if you can.
            </p>
          )}
          <div className="field">
            <label htmlFor="signin-password">Password</label>
            <input
              id="signin-password"
              type="password"
              autoComplete="off"
              autoFocus
              value={password}
              disabled={busy}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          {note && (
            <p className="ok-note" role="status">
              {note}
            </p>
          )}
          {error && (
            <ErrorNote>
              <strong>{errorHeadline(error)}</strong>
              <p>{signInAdvice(error)}</p>
              {error.code === 'PASSWORD_CHANGE_REQUIRED' && (
                <button type="button" onClick={() => setChanging(true)}>
                  Change password…
                </button>
              )}
              {error.code === 'TLS_PIN_MISMATCH' && error.seenSha256 && (
                <button type="button" onClick={() => setReviewing(true)}>
                  Review &amp; trust
                </button>
              )}
            </ErrorNote>
          )}
          <div className="dialog-actions">
            <DialogClose>Cancel</DialogClose>
            <button type="submit" className="primary" disabled={busy || !password}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  )
}
