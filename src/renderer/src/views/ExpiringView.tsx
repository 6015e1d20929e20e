import { useState } from 'react'
import type { ClusterView, ExpiringItem, TokenSummary } from '../../../shared/model'
import { call } from '../api'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ExpiryDialog } from '../components/ExpiryDialog'
import { RotateDialog } from '../components/RotateDialog'
import { ShownOnceDialog, type ShownOnce } from '../components/ShownOnceDialog'
import { useToast } from '../components/Toasts'
import { VendorMark } from '../components/VendorMark'
import { errorWords, formatDateTime, formatDuration } from '../format'
import { useCall } from '../hooks/useCall'
import { useNow } from '../hooks/useNow'

const DAY_MS = 86_400_000
/** The window choices; 0 = everything, tokens that never expire included. */
const WINDOWS = [
  { days: 0, label: 'Everything' },
  { days: 7, label: 'Within 7 days' },
  { days: 30, label: 'Within 30 days' },
  { days: 90, label: 'Within 90 days' },
]

type Pending = { kind: 'rotate' | 'extend' | 'revoke'; item: ExpiringItem; view: ClusterView }

/** The row as the token dialogs know a token (never a secret: the summary the list gave). */
function summaryOf(item: ExpiringItem): TokenSummary {
  return {
    id: item.tokenId ?? '',
    owner: item.owner,
    ...(item.expiresAt !== undefined ? { expiresAt: item.expiresAt } : {}),
    ...(item.description !== undefined ? { description: item.description } : {}),
    ...(item.enabled !== undefined ? { enabled: item.enabled } : {}),
    ...(item.hasS3Secret !== undefined ? { hasS3Secret: item.hasS3Secret } : {}),
  }
}

/**
 * Every long-lived token and stored session on every cluster, soonest first (tokens:expiring),
 * with rotate / change expiry / revoke where the cluster allows, through the same dialogs as a
 * cluster's own token table. Clusters that could not be looked at are listed under the table.
 */
export function ExpiringView({
  clusters,
  warnDays,
  onOpen,
}: {
  clusters: ClusterView[]
  /** Rows expiring within this many days are marked (the expiry-warning setting). */
  warnDays: number
  onOpen: (clusterId: string) => void
}) {
  const [days, setDays] = useState(0)
  const [pending, setPending] = useState<Pending | undefined>()
  // The only place a freshly rotated secret lives; dropped when its dialog closes.
  const [shown, setShown] = useState<ShownOnce | undefined>()
  const toast = useToast()
  const now = useNow()

  // A slow answer for the window chosen before never replaces the one chosen now (useCall);
  // meanwhile the previous window's table stays, marked by "Checking…".
  const {
    data: report,
    error,
    loading,
    reload: again,
  } = useCall('tokens:expiring', days ? { withinSeconds: days * 86_400 } : {}, {
    keepPrevious: true,
  })

  const act = (kind: Pending['kind'], item: ExpiringItem) => {
    const view = clusters.find((c) => c.cluster.id === item.clusterId)
    if (view) setPending({ kind, item, view })
  }
  const close = () => setPending(undefined)
  const soon = (at: number | undefined) => at !== undefined && at - now <= warnDays * DAY_MS

  return (
    <section className="expiring" aria-labelledby="expiring-title">
      <div className="row wrap">
        <h2 id="expiring-title">Expiring</h2>
        <span className="spacer" />
        <label htmlFor="expiring-window" className="visually-hidden">
          Show
        </label>
        <select id="expiring-window" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {WINDOWS.map((w) => (
            <option key={w.days} value={w.days}>
              {w.label}
            </option>
          ))}
        </select>
        <button type="button" disabled={loading} onClick={() => void again()}>
          {loading ? 'Checking…' : 'Check again'}
        </button>
      </div>
      <p className="muted">
        Long-lived tokens and stored sessions on every signed-in cluster, soonest first.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!report && !error && <p className="muted">Checking every cluster…</p>}
      {report && (
        <div className="table-scroll card">
          <table>
            <caption className="visually-hidden">Expiring tokens and sessions</caption>
            <thead>
              <tr>
                <th scope="col">Expires</th>
                <th scope="col">Cluster</th>
                <th scope="col">Owner</th>
                <th scope="col">What</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {report.items.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted center">
                    {days ? `Nothing expires within ${days} days.` : 'No tokens or sessions.'}
                  </td>
                </tr>
              )}
              {report.items.map((item) => {
                const left = item.expiresAt === undefined ? undefined : item.expiresAt - now
                const what = item.tokenId
                  ? `token ${item.tokenId}`
                  : `session on ${item.clusterName}`
                return (
                  <tr
                    key={`${item.clusterId}/${item.kind}/${item.tokenId ?? ''}`}
                    className={soon(item.expiresAt) ? 'expiring-soon' : undefined}
                  >
                    <td className="nowrap">
                      {left === undefined ? (
                        <span className="muted">{item.kind === 'token' ? 'Never' : 'Unknown'}</span>
                      ) : left <= 0 ? (
                        <span className="error">Expired</span>
                      ) : (
                        <>
                          <strong>in {formatDuration(left)}</strong>
                          <br />
                          <span className="muted">{formatDateTime(item.expiresAt, now)}</span>
                        </>
                      )}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        aria-label={`Open ${item.clusterName}`}
                        onClick={() => onOpen(item.clusterId)}
                      >
                        <VendorMark vendor={item.vendor} /> {item.clusterName}
                      </button>
                    </td>
                    <td>{item.owner}</td>
                    <td>
                      {item.kind === 'session' ? 'Session' : 'Token'}
                      {item.tokenId && <span className="mono muted"> {item.tokenId}</span>}
                      {item.description && <span className="muted"> · {item.description}</span>}
                    </td>
                    <td>
                      <div className="actions">
                        {item.actions.includes('extend') && (
                          <button
                            type="button"
                            aria-label={`Change expiry of ${what}`}
                            onClick={() => act('extend', item)}
                          >
                            Expiry…
                          </button>
                        )}
                        {item.actions.includes('rotate') && (
                          <button
                            type="button"
                            aria-label={`Rotate ${what}`}
                            onClick={() => act('rotate', item)}
                          >
                            Rotate…
                          </button>
                        )}
                        {item.actions.includes('revoke') && (
                          <button
                            type="button"
                            className="danger-outline"
                            aria-label={`Revoke ${what}`}
                            onClick={() => act('revoke', item)}
                          >
                            Revoke…
                          </button>
                        )}
                        {item.kind === 'session' && item.actions.length === 0 && (
                          <button type="button" onClick={() => onOpen(item.clusterId)}>
                            Open
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      {report && report.notes.length > 0 && (
        <section className="card expiring-notes" aria-labelledby="expiring-notes-h">
          <h3 id="expiring-notes-h">Not checked ({report.notes.length})</h3>
          <ul>
            {report.notes.map((n) => (
              <li key={n.clusterId}>
                <button type="button" className="link" onClick={() => onOpen(n.clusterId)}>
                  {n.clusterName}
                </button>
                : <span className="muted">{errorWords(n.error)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {pending?.kind === 'rotate' && (
        <RotateDialog
          view={pending.view}
          token={summaryOf(pending.item)}
          onClose={close}
          onRotated={(s) => {
            close()
            setShown(s)
            void again()
          }}
        />
      )}
      {pending?.kind === 'extend' && (
        <ExpiryDialog
          view={pending.view}
          token={summaryOf(pending.item)}
          onClose={close}
          onDone={() => void again()}
        />
      )}
      {pending?.kind === 'revoke' && (
        <ConfirmDialog
          open
          title={`Revoke ${pending.item.kind === 'session' ? 'this session' : 'token'} ${pending.item.tokenId ?? ''}?`}
          confirmLabel="Revoke token"
          danger
          onClose={close}
          onConfirm={async () => {
            const { item } = pending
            await call('tokens:revoke', {
              clusterId: item.clusterId,
              target: { tokenId: item.tokenId ?? '' },
            })
            toast.show({
              title: 'Token revoked',
              description: `Token ${item.tokenId ?? ''} of ${item.owner} on ${item.clusterName}.`,
            })
            void again()
          }}
        >
          Token <span className="mono">{pending.item.tokenId}</span> of{' '}
          <strong>{pending.item.owner}</strong> on {pending.item.clusterName} stops working
          immediately{pending.item.hasS3Secret ? ', and so does its S3 secret' : ''}.
          {pending.item.kind === 'session' &&
            ' It is the token of Tokendeck’s own session: Tokendeck is signed out of that cluster.'}
        </ConfirmDialog>
      )}
      <ShownOnceDialog shown={shown} onClose={() => setShown(undefined)} />
    </section>
  )
}
