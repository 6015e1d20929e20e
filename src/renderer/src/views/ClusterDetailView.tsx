import { useCallback, useEffect, useState } from 'react'
import type { ClusterDetail } from '../../../shared/contract'
import type { TokenSummary } from '../../../shared/model'
import { capabilitiesOf } from '../../../shared/vendors'
import { ApiError, call, onEvent } from '../api'
import { ClusterDialog } from '../components/ClusterDialog'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { CopyAsMenu } from '../components/CopyAsMenu'
import { useOnScreenLock } from '../hooks/useOnScreenLock'
import { CreateTokenDialog } from '../components/CreateTokenDialog'
import { Dialog } from '../components/Dialog'
import { RetrustPanel } from '../components/RetrustPanel'
import { ShownOnceDialog, type ShownOnce } from '../components/ShownOnceDialog'
import { SignInDialog } from '../components/SignInDialog'
import { StatusBadge, TimeLeft } from '../components/StatusBadge'
import { TagEditor } from '../components/TagEditor'
import { TokenTable } from '../components/TokenTable'
import { useToast } from '../components/Toasts'
import { VendorMark } from '../components/VendorMark'
import { errorWords, formatDateTime, isSignedIn, sessionExpiresAt, vendorName } from '../format'
import { Fingerprint } from '../components/Fingerprint'
import { KeptS3Keys } from '../components/KeptS3Keys'

type Open =
  'sign-in' | 'edit' | 'remove' | 'create' | 'long-lived' | 'revoke-all' | 'retrust' | undefined

export function ClusterDetailView({
  clusterId,
  warnMs,
  onBack,
}: {
  clusterId: string
  warnMs: number
  onBack: () => void
}) {
  const [detail, setDetail] = useState<ClusterDetail | undefined>()
  const [loadError, setLoadError] = useState<string | undefined>()
  const [tokens, setTokens] = useState<TokenSummary[] | undefined>()
  const [tokensError, setTokensError] = useState<string | undefined>()
  const [open, setOpen] = useState<Open>()
  // The only place a freshly minted secret lives; set to undefined when its dialog closes.
  const [shown, setShown] = useState<ShownOnce | undefined>()
  const [busy, setBusy] = useState<string | undefined>()
  const toast = useToast()
  // Pause on lock: a secret shown once does not stay on a locked screen.
  useOnScreenLock(() => setShown(undefined))

  const load = useCallback(
    () =>
      call('clusters:get', { clusterId }).then(
        (d) => {
          setDetail(d)
          setLoadError(undefined)
        },
        (e: unknown) => setLoadError(e instanceof ApiError ? errorWords(e.info) : String(e)),
      ),
    [clusterId],
  )

  const view = detail?.view
  const signedIn = view ? isSignedIn(view.session) : false
  const listsTokens = view ? capabilitiesOf(view.cluster.vendor).listsTokens : false

  const loadTokens = useCallback(
    () =>
      call('tokens:list', { clusterId }).then(
        (t) => {
          setTokens(t)
          setTokensError(undefined)
        },
        (e: unknown) => setTokensError(e instanceof ApiError ? errorWords(e.info) : String(e)),
      ),
    [clusterId],
  )

  useEffect(() => {
    void load()
    return onEvent((event) => {
      if (event.event === 'clusters:changed') void load()
      if (event.event === 'session:changed' && event.payload.clusterId === clusterId) void load()
    })
  }, [load, clusterId])

  useEffect(() => {
    if (listsTokens && signedIn) void loadTokens()
  }, [listsTokens, signedIn, loadTokens])

  if (loadError && !detail)
    return (
      <section className="detail">
        <button type="button" onClick={onBack}>
          ← All clusters
        </button>
        <p role="alert" className="error">
          {loadError}
        </p>
      </section>
    )
  if (!detail || !view) return <p className="muted">Loading…</p>

  const { cluster, session } = view
  const caps = capabilitiesOf(cluster.vendor)
  const me = detail.identity?.username ?? cluster.username
  const act = async (name: string, fn: () => Promise<unknown>) => {
    setBusy(name)
    try {
      await fn()
      await load()
    } catch (e) {
      toast.error(e)
    } finally {
      setBusy(undefined)
    }
  }
  const copy = () =>
    act('copy', async () => {
      const r = await call('session:copyAccessToken', { clusterId })
      toast.copied(r.clearsInSeconds, `access token of ${cluster.name}`)
    })

  return (
    <section className="detail" aria-labelledby="detail-title">
      <div className="detail-head">
        <button type="button" onClick={onBack}>
          ← All clusters
        </button>
        <VendorMark vendor={cluster.vendor} />
        <div className="detail-title">
          <h2 id="detail-title">{cluster.name}</h2>
          <span className="muted">{cluster.url}</span>
        </div>
        <span className="spacer" />
        <button type="button" onClick={() => setOpen('edit')}>
          Edit
        </button>
        <button type="button" className="danger-outline" onClick={() => setOpen('remove')}>
          Remove…
        </button>
      </div>

      <div className="cards">
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
                <button type="button" className="primary" disabled={busy === 'copy'} onClick={copy}>
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
        </section>

        <section className="card" aria-labelledby="who-h">
          <h3 id="who-h">Who I am</h3>
          <dl className="facts">
            <dt>User</dt>
            <dd>
              {detail.identity?.username ?? cluster.username}
              {detail.identity?.isAdmin && <span className="badge small">admin</span>}
            </dd>
            {detail.identity?.role && (
              <>
                <dt>Role</dt>
                <dd>{detail.identity.role}</dd>
              </>
            )}
            {cluster.org && (
              <>
                <dt>Organization</dt>
                <dd>{cluster.org}</dd>
              </>
            )}
            {(cluster.tenant || cluster.domain) && (
              <>
                <dt>Tenant / domain</dt>
                <dd>
                  {cluster.tenant || '—'} / {cluster.domain || '—'}
                </dd>
              </>
            )}
          </dl>
        </section>

        <section className="card" aria-labelledby="cluster-h">
          <h3 id="cluster-h">Cluster</h3>
          <dl className="facts">
            <dt>Vendor</dt>
            <dd>{vendorName(cluster.vendor)}</dd>
            <dt>Name on the cluster</dt>
            <dd>{cluster.seen?.clusterName ?? <span className="muted">not seen yet</span>}</dd>
            <dt>Version</dt>
            <dd>{cluster.seen?.version ?? '—'}</dd>
            <dt>Trust</dt>
            <dd>
              {'sha256' in cluster.trust ? (
                <Fingerprint value={cluster.trust.sha256} />
              ) : (
                `CA file ${cluster.trust.caPath}`
              )}
            </dd>
            <dt>Tags</dt>
            <dd>
              <TagEditor
                clusterId={clusterId}
                tags={cluster.tags ?? []}
                onChanged={() => void load()}
              />
            </dd>
          </dl>
        </section>
      </div>

      <section className="card" aria-labelledby="tokens-h">
        <div className="row">
          <h3 id="tokens-h">Tokens</h3>
          <span className="spacer" />
          {caps.listsTokens && caps.generatesLongLivedTokens && (
            <button
              type="button"
              className="primary"
              disabled={!signedIn}
              onClick={() => setOpen('create')}
            >
              Create token
            </button>
          )}
          {!caps.listsTokens && caps.generatesLongLivedTokens && (
            <button
              type="button"
              className="primary"
              disabled={!signedIn}
              onClick={() => setOpen('long-lived')}
            >
              Generate long-lived token
            </button>
          )}
          {caps.revokes === 'all-of-user' && (
            <button
              type="button"
              className="danger-outline"
              disabled={!signedIn}
              onClick={() => setOpen('revoke-all')}
            >
              Revoke all tokens of {me}
            </button>
          )}
        </div>
        {!signedIn && <p className="muted">Sign in to see and manage tokens.</p>}
        {signedIn && !caps.listsTokens && (
          <p className="muted">
            This cluster does not list tokens. Long-lived tokens you generate are shown once; to
            invalidate them, revoke all tokens of the user.
          </p>
        )}
        {signedIn && caps.listsTokens && tokensError && (
          <div role="alert" className="error-note">
            Could not list tokens. {tokensError}{' '}
            <button type="button" onClick={() => void loadTokens()}>
              Try again
            </button>
          </div>
        )}
        {signedIn && caps.listsTokens && tokens && (
          <TokenTable
            view={view}
            tokens={tokens}
            onChanged={() => void loadTokens()}
            onShown={setShown}
          />
        )}
      </section>
      {caps.issuesS3Secrets && <KeptS3Keys clusterId={clusterId} />}

      {open === 'sign-in' && (
        <SignInDialog
          open
          view={view}
          onClose={() => setOpen(undefined)}
          onSignedIn={() => {
            setOpen(undefined)
            toast.show({ title: `Signed in to ${cluster.name}` })
            void load()
          }}
        />
      )}
      {open === 'edit' && (
        <ClusterDialog
          open
          existing={view}
          onClose={() => setOpen(undefined)}
          onSaved={() => {
            setOpen(undefined)
            toast.show({ title: 'Cluster saved' })
            void load()
          }}
        />
      )}
      {open === 'remove' && (
        <ConfirmDialog
          open
          title={`Remove ${cluster.name}?`}
          confirmLabel="Remove cluster"
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await call('clusters:remove', { clusterId })
            toast.show({ title: `Removed ${cluster.name}` })
            onBack()
          }}
        >
          Tokendeck forgets this cluster and deletes the session and every secret it keeps for it
          from the keychain. Tokens already issued on the cluster are not revoked.
        </ConfirmDialog>
      )}
      {(open === 'create' || open === 'long-lived') && (
        <CreateTokenDialog
          open
          view={view}
          me={me}
          longLived={open === 'long-lived'}
          onClose={() => setOpen(undefined)}
          onCreated={(s) => {
            setOpen(undefined)
            setShown(s)
            if (caps.listsTokens) void loadTokens()
          }}
        />
      )}
      {open === 'revoke-all' && (
        <ConfirmDialog
          open
          title={`Revoke all tokens of ${me}?`}
          confirmLabel={`Revoke all tokens of ${me}`}
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await call('tokens:revoke', { clusterId, target: { username: me } })
            toast.show({ title: `All tokens of ${me} revoked` })
            await load()
          }}
        >
          Every token of <strong>{me}</strong> on {cluster.name} stops working: all long-lived
          tokens, and every session of that user on every computer —{' '}
          <strong>including this one</strong>. You will need to sign in again.
        </ConfirmDialog>
      )}
      {open === 'retrust' && session.state === 'untrusted' && (
        <Dialog open onClose={() => setOpen(undefined)} title="Certificate changed">
          <RetrustPanel
            view={view}
            seenSha256={session.seenSha256}
            onCancel={() => setOpen(undefined)}
            onTrusted={() => {
              setOpen(undefined)
              toast.show({ title: 'New certificate trusted' })
              void load()
            }}
          />
        </Dialog>
      )}
      <ShownOnceDialog shown={shown} onClose={() => setShown(undefined)} />
    </section>
  )
}
