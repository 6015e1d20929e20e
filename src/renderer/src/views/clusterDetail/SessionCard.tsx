import { useState } from 'react'
import type { ClusterDetail } from '../../../../shared/contract'
import { call } from '../../api'
import { CopyAsMenu } from '../../components/CopyAsMenu'
import { Dialog } from '../../components/Dialog'
import { RetrustPanel } from '../../components/RetrustPanel'
import { SignInDialog } from '../../components/SignInDialog'
import { StatusBadge, TimeLeft } from '../../components/StatusBadge'
import { useToast } from '../../components/Toasts'
import { formatDateTime, isSignedIn, sessionExpiresAt } from '../../format'
import { capabilitiesOf } from '../../../../shared/vendors'

/**
 * The session: its state and expiry, and what can be done with it — sign in, review a changed
 * certificate, copy the access token (the "copied" toast comes from main's clipboard:copied
 * event, as for a copy from the tray), refresh, sign out.
 */
export function SessionCard({
  detail,
  warnMs,
  onChanged,
}: {
  detail: ClusterDetail
  warnMs: number
  /** The session changed here: read the cluster again. */
  onChanged: () => Promise<void>
}) {
  const { cluster, session } = detail.view
  const caps = capabilitiesOf(cluster.vendor)
  const clusterId = cluster.id
  const signedIn = isSignedIn(session)
  const [open, setOpen] = useState<'sign-in' | 'retrust' | undefined>()
  const [busy, setBusy] = useState<string | undefined>()
  const toast = useToast()

  const act = async (name: string, fn: () => Promise<unknown>) => {
    setBusy(name)
    try {
      await fn()
      await onChanged()
    } catch (e) {
      toast.error(e)
    } finally {
      setBusy(undefined)
    }
  }

  return (
    <section className="card" aria-labelledby="session-h">
      <h3 id="session-h">Session</h3>
      <p>
        <StatusBadge session={session} capabilities={caps} warnMs={warnMs} showDetail />
      </p>
      {signedIn && (
        <p>
          Access token expires in <TimeLeft expiresAt={sessionExpiresAt(session)} />
          {detail.storedExpiresAt !== undefined && (
            <>
              <br />
              <span className="muted">
                {caps.refreshesAccessTokens ? 'Refresh token' : 'Stored session'} valid until{' '}
                {formatDateTime(detail.storedExpiresAt)}
              </span>
            </>
          )}
        </p>
      )}
      <div className="row wrap">
        {!signedIn && session.state !== 'untrusted' && (
          <button type="button" className="primary" onClick={() => setOpen('sign-in')}>
            Sign in
          </button>
        )}
        {session.state === 'untrusted' && (
          <button type="button" className="primary" onClick={() => setOpen('retrust')}>
            Review certificate
          </button>
        )}
        {signedIn && (
          <>
            <button
              type="button"
              className="primary"
              disabled={busy === 'copy'}
              onClick={() => act('copy', () => call('session:copyAccessToken', { clusterId }))}
            >
              Copy access token
            </button>
            <CopyAsMenu clusterId={clusterId} clusterName={cluster.name} disabled={false} />
            <button
              type="button"
              disabled={busy === 'refresh'}
              onClick={() =>
                act('refresh', async () => {
                  await call('session:refresh', { clusterId })
                  toast.show({ title: 'Session refreshed' })
                })
              }
            >
              Refresh now
            </button>
            <button
              type="button"
              disabled={busy === 'sign-out'}
              onClick={() => act('sign-out', () => call('session:signOut', { clusterId }))}
            >
              Sign out
            </button>
          </>
        )}
      </div>

      {open === 'sign-in' && (
        <SignInDialog
          open
          view={detail.view}
          onClose={() => setOpen(undefined)}
          onSignedIn={() => {
            setOpen(undefined)
            toast.show({ title: `Signed in to ${cluster.name}` })
            void onChanged()
          }}
        />
      )}
      {open === 'retrust' && session.state === 'untrusted' && (
        <Dialog open onClose={() => setOpen(undefined)} title="Certificate changed">
          <RetrustPanel
            view={detail.view}
            seenSha256={session.seenSha256}
            onCancel={() => setOpen(undefined)}
            onTrusted={() => {
              setOpen(undefined)
              toast.show({ title: 'New certificate trusted' })
              void onChanged()
            }}
          />
        </Dialog>
      )}
    </section>
  )
}
