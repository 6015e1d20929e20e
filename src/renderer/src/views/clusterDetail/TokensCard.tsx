import { useState } from 'react'
import type { ClusterDetail } from '../../../../shared/contract'
import { call } from '../../api'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { CreateTokenDialog } from '../../components/CreateTokenDialog'
import type { ShownOnce } from '../../components/ShownOnceDialog'
import { useToast } from '../../components/Toasts'
import { TokenTable } from '../../components/TokenTable'
import { isSignedIn } from '../../format'
import { useCall } from '../../hooks/useCall'
import { capabilitiesOf } from '../../../../shared/vendors'

/**
 * The cluster's tokens, where the vendor lists them (tokens:list, read while signed in), and
 * what the vendor allows: create a token, generate a long-lived one, revoke all of a user's.
 */
export function TokensCard({
  detail,
  onShown,
  onChanged,
}: {
  detail: ClusterDetail
  /** A secret minted here, for the shown-once dialog the page owns. */
  onShown: (shown: ShownOnce) => void
  /** Revoking all tokens ended this session too: read the cluster again. */
  onChanged: () => Promise<void>
}) {
  const { view } = detail
  const { cluster } = view
  const caps = capabilitiesOf(cluster.vendor)
  const clusterId = cluster.id
  const signedIn = isSignedIn(view.session)
  const me = detail.identity?.username ?? cluster.username
  const [open, setOpen] = useState<'create' | 'long-lived' | 'revoke-all' | undefined>()
  const toast = useToast()
  const tokens = useCall('tokens:list', { clusterId }, { enabled: caps.listsTokens && signedIn })

  return (
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
      {signedIn && caps.listsTokens && tokens.error && (
        <div role="alert" className="error-note">
          Could not list tokens. {tokens.error}{' '}
          <button type="button" onClick={() => void tokens.reload()}>
            Try again
          </button>
        </div>
      )}
      {signedIn && caps.listsTokens && tokens.data && (
        <TokenTable
          view={view}
          tokens={tokens.data}
          onChanged={() => void tokens.reload()}
          onShown={onShown}
        />
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
            onShown(s)
            if (caps.listsTokens) void tokens.reload()
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
            await onChanged()
          }}
        >
          Every token of <strong>{me}</strong> on {cluster.name} stops working: all long-lived
          tokens, and every session of that user on every computer —{' '}
          <strong>including this one</strong>. You will need to sign in again.
        </ConfirmDialog>
      )}
    </section>
  )
}
