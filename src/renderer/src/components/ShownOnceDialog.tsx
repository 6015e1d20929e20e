import type { RotateStep } from '../../../shared/contract'
import type { OneTimeSecret, TokenSummary } from '../../../shared/model'
import { call } from '../api'
import { formatDateTime, formatDuration } from '../format'
import { useOnScreenLock } from '../hooks/useOnScreenLock'
import { Dialog, DialogClose } from './Dialog'
import { KeepS3KeyOption } from './KeepS3KeyOption'
import { useToast } from './Toasts'

/** What a create or rotate reply left to show: the only secrets the renderer ever holds. */
export interface ShownOnce {
  title: string
  clusterId: string
  token?: TokenSummary | undefined
  steps?: RotateStep[] | undefined
  secrets: OneTimeSecret[]
}

export function awsProfile(clusterId: string, secret: OneTimeSecret): string {
  return `[tokendeck-${clusterId}]\naws_access_key_id = ${secret.accessKeyId ?? ''}\naws_secret_access_key = ${secret.value}\n`
}

/** The least a one-time secret stays on the clipboard after its dialog closes (main's ONE_TIME_MIN_SECONDS). */
const ONE_TIME_CLIPBOARD_MS = 120_000

function keptAfterClose(clearsInSeconds: number): string {
  return clearsInSeconds > 0
    ? `It is cleared ${formatDuration(clearsInSeconds * 1000)} after you close it.`
    : 'It is not cleared after you close it (your clipboard setting is "never").'
}

const STEP_NAMES: Record<RotateStep['step'], string> = {
  create: 'Create the new token',
  prove: 'Prove the new token works',
  'revoke-old': 'Revoke the old token',
}

/**
 * Shows freshly minted secrets once. The parent holds them only while this is open and drops them
 * (sets its state to undefined) in onClose; nothing here keeps a copy. Pause on lock: the screen
 * locking or the machine going to sleep closes it, wherever it is shown (cluster view, Expiring).
 */
export function ShownOnceDialog({
  shown,
  onClose,
}: {
  shown: ShownOnce | undefined
  onClose: () => void
}) {
  const toast = useToast()
  useOnScreenLock(() => {
    if (shown) onClose()
  })
  const copy = async (value: string, what: string) => {
    try {
      const { clearsInSeconds } = await call('clipboard:copyShownSecret', { value })
      toast.show({
        title: 'Copied — kept on the clipboard until you close this dialog',
        description: `Copied the ${what}. ${keptAfterClose(clearsInSeconds)}`,
        key: 'copied',
      })
    } catch (e) {
      toast.error(e, 'Could not copy')
    }
  }
  // Main starts the (longer) countdown of a copy made here only once the dialog is gone.
  const close = () => {
    void call('clipboard:shownSecretClosed', undefined).catch(() => undefined)
    onClose()
  }
  if (!shown) return null
  const { token, steps, secrets } = shown
  return (
    <Dialog
      open
      onClose={close}
      title={shown.title}
      wide
      description={
        secrets.length > 0
          ? 'You will not see this again. Copy it now and keep it somewhere safe; Tokendeck does not store it.'
          : undefined
      }
    >
      {steps && (
        <ol className="steps" aria-label="Rotation steps">
          {steps.map((s) => (
            <li key={s.step} className={`step step-${s.status}`}>
              <strong>
                {STEP_NAMES[s.step]}: {s.status}
              </strong>
              <span>{s.message}</span>
            </li>
          ))}
        </ol>
      )}
      {token && (
        <p className="muted">
          Token <span className="mono">{token.id}</span> for {token.owner}
          {token.expiresAt !== undefined
            ? `, expires ${formatDateTime(token.expiresAt)}`
            : ', never expires'}
          .
        </p>
      )}
      {secrets.length > 0 && (
        <p className="warn-note" role="note">
          <strong>You will not see this again.</strong> Closing this dialog forgets the secret. A
          copy you make here stays on the clipboard until you close this dialog, and for at least{' '}
          {formatDuration(ONE_TIME_CLIPBOARD_MS)} after.
        </p>
      )}
      {secrets.map((s, i) =>
        s.kind === 'access-token' ? (
          <div key={i} className="secret">
            <span className="secret-label" id={`secret-${i}`}>
              Access token
            </span>
            <code className="secret-value" aria-labelledby={`secret-${i}`}>
              {s.value}
            </code>
            <button type="button" className="primary" onClick={() => copy(s.value, 'access token')}>
              Copy access token
            </button>
          </div>
        ) : (
          <div key={i} className="secret">
            <span className="secret-label">Access key ID</span>
            <code className="secret-value">{s.accessKeyId ?? '—'}</code>
            <span className="secret-label" id={`secret-${i}`}>
              S3 secret key
            </span>
            <code className="secret-value" aria-labelledby={`secret-${i}`}>
              {s.value}
            </code>
            <div className="row">
              <button
                type="button"
                className="primary"
                onClick={() => copy(s.value, 'S3 secret key')}
              >
                Copy S3 secret key
              </button>
              {s.accessKeyId && (
                <button
                  type="button"
                  onClick={() => copy(awsProfile(shown.clusterId, s), 'AWS CLI profile')}
                >
                  Copy AWS CLI profile
                </button>
              )}
            </div>
            <KeepS3KeyOption clusterId={shown.clusterId} secret={s} />
          </div>
        ),
      )}
      <div className="dialog-actions">
        <DialogClose className="primary">
          {secrets.length > 0 ? 'Close — I have saved it' : 'Close'}
        </DialogClose>
      </div>
    </Dialog>
  )
}
