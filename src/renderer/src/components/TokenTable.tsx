import { useMemo, useState } from 'react'
import type { ClusterView, TokenSummary } from '../../../shared/model'
import { capabilitiesOf } from '../../../shared/vendors'
import { call } from '../api'
import { formatDateTime, plural } from '../format'
import { useNow } from '../hooks/useNow'
import { ConfirmDialog } from './ConfirmDialog'
import { ExpiryDialog } from './ExpiryDialog'
import { RotateDialog } from './RotateDialog'
import type { ShownOnce } from './ShownOnceDialog'
import { useToast } from './Toasts'

type Pending =
  | { kind: 'revoke'; token: TokenSummary }
  | { kind: 'expiry'; token: TokenSummary }
  | { kind: 'rotate'; token: TokenSummary }
  | undefined

function matches(t: TokenSummary, q: string): boolean {
  if (!q) return true
  return [t.id, t.owner, t.creator, t.description].some((s) => s?.toLowerCase().includes(q))
}

/** The cluster's tokens (never their secrets), with the actions its capabilities allow. */
export function TokenTable({
  view,
  tokens,
  onChanged,
  onShown,
}: {
  view: ClusterView
  tokens: TokenSummary[]
  onChanged: () => void
  onShown: (shown: ShownOnce) => void
}) {
  const [filter, setFilter] = useState('')
  const [pending, setPending] = useState<Pending>()
  const toast = useToast()
  const now = useNow()
  const caps = capabilitiesOf(view.cluster.vendor)
  const clusterId = view.cluster.id
  const q = filter.trim().toLowerCase()
  const shown = useMemo(() => tokens.filter((t) => matches(t, q)), [tokens, q])
  const showS3 = caps.issuesS3Secrets

  const setEnabled = async (t: TokenSummary, enabled: boolean) => {
    try {
      await call('tokens:modify', { clusterId, tokenId: t.id, enabled })
      toast.show({
        title: enabled ? 'Token enabled' : 'Token disabled',
        description: `Token ${t.id} of ${t.owner}.`,
      })
      onChanged()
    } catch (e) {
      toast.error(e)
    }
  }

  return (
    <div className="token-table">
      <div className="toolbar">
        <label htmlFor="token-filter" className="visually-hidden">
          Filter tokens
        </label>
        <input
          id="token-filter"
          type="search"
          placeholder="Filter tokens by owner, id or description"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="muted" aria-live="polite">
          {shown.length === tokens.length
            ? plural(tokens.length, 'token')
            : `${shown.length.toLocaleString()} of ${plural(tokens.length, 'token')}`}
        </span>
      </div>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">Tokens</caption>
          <thead>
            <tr>
              <th scope="col">Token</th>
              <th scope="col">Owner</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Description</th>
              {caps.enablesDisables && <th scope="col">Enabled</th>}
              {showS3 && <th scope="col">S3</th>}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 && (
              <tr>
                <td colSpan={8} className="muted center">
                  {tokens.length === 0
                    ? 'No tokens on this cluster yet.'
                    : 'No token matches the filter.'}
                </td>
              </tr>
            )}
            {shown.map((t) => {
              const expired = t.expiresAt !== undefined && t.expiresAt < now
              return (
                <tr key={t.id}>
                  <td className="mono">
                    {t.id}
                    {t.isCurrentSession && (
                      <span
                        className="badge small this-session"
                        title="Tokendeck's own session on this cluster"
                      >
                        this session
                      </span>
                    )}
                  </td>
                  <td>
                    {t.owner}
                    {t.creator && t.creator !== t.owner && (
                      <span className="muted"> (by {t.creator})</span>
                    )}
                  </td>
                  <td className="nowrap">{formatDateTime(t.createdAt, now)}</td>
                  <td className={expired ? 'error nowrap' : 'nowrap'}>
                    {t.expiresAt === undefined ? 'Never' : formatDateTime(t.expiresAt, now)}
                    {expired && ' (expired)'}
                  </td>
                  <td>{t.description ?? <span className="muted">—</span>}</td>
                  {caps.enablesDisables && <td>{t.enabled === false ? 'No' : 'Yes'}</td>}
                  {showS3 && <td>{t.hasS3Secret ? 'Yes' : 'No'}</td>}
                  <td>
                    <div className="actions">
                      {caps.modifiesExpiry && (
                        <button
                          type="button"
                          aria-label={`Change expiry of token ${t.id}`}
                          onClick={() => setPending({ kind: 'expiry', token: t })}
                        >
                          Expiry…
                        </button>
                      )}
                      {caps.enablesDisables && (
                        <button
                          type="button"
                          aria-label={`${t.enabled === false ? 'Enable' : 'Disable'} token ${t.id}`}
                          onClick={() => void setEnabled(t, t.enabled === false)}
                        >
                          {t.enabled === false ? 'Enable' : 'Disable'}
                        </button>
                      )}
                      {caps.rotates && (
                        <button
                          type="button"
                          aria-label={`Rotate token ${t.id}`}
                          onClick={() => setPending({ kind: 'rotate', token: t })}
                        >
                          Rotate…
                        </button>
                      )}
                      {caps.revokes === 'one' && (
                        <button
                          type="button"
                          className="danger-outline"
                          aria-label={`Revoke token ${t.id}`}
                          onClick={() => setPending({ kind: 'revoke', token: t })}
                        >
                          Revoke…
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
      {pending?.kind === 'revoke' && (
        <ConfirmDialog
          open
          title={`Revoke token ${pending.token.id}?`}
          confirmLabel="Revoke token"
          danger
          onClose={() => setPending(undefined)}
          onConfirm={async () => {
            await call('tokens:revoke', { clusterId, target: { tokenId: pending.token.id } })
            toast.show({
              title: 'Token revoked',
              description: `Token ${pending.token.id} of ${pending.token.owner}.`,
            })
            onChanged()
          }}
        >
          Token <span className="mono">{pending.token.id}</span> of{' '}
          <strong>{pending.token.owner}</strong>
          {pending.token.description ? ` (“${pending.token.description}”)` : ''} stops working
          immediately
          {pending.token.hasS3Secret ? ', and so does its S3 secret' : ''}. Anything using it will
          be refused.
          {pending.token.isCurrentSession && (
            <span className="warn-note block">
              This is the token of Tokendeck&apos;s own session on this cluster: revoking it signs
              Tokendeck out here, and you will have to sign in again to copy tokens or manage this
              cluster.
            </span>
          )}
        </ConfirmDialog>
      )}
      {pending?.kind === 'expiry' && (
        <ExpiryDialog
          view={view}
          token={pending.token}
          onClose={() => setPending(undefined)}
          onDone={onChanged}
        />
      )}
      {pending?.kind === 'rotate' && (
        <RotateDialog
          view={view}
          token={pending.token}
          onClose={() => setPending(undefined)}
          onRotated={(s) => {
            setPending(undefined)
            onChanged()
            onShown(s)
          }}
        />
      )}
    </div>
  )
}
