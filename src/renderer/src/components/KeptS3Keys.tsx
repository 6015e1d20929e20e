import { useCallback, useEffect, useState } from 'react'
import type { KeptS3Key } from '../../../shared/model'
import { ApiError, call, onEvent } from '../api'
import { errorWords, formatDateTime } from '../format'
import { ConfirmDialog } from './ConfirmDialog'

/**
 * The S3 keys kept in the keychain for this cluster (never their secrets), each with Forget.
 * Shown only where the vendor issues S3 secrets; reloads when any process keeps or forgets one.
 */
export function KeptS3Keys({ clusterId }: { clusterId: string }) {
  const [keys, setKeys] = useState<KeptS3Key[] | undefined>()
  /** When the list was read: "expired" is judged against it. */
  const [now, setNow] = useState(0)
  const [problem, setProblem] = useState<string | undefined>()
  const [forgetting, setForgetting] = useState<KeptS3Key | undefined>()

  const load = useCallback(
    () =>
      call('s3keys:list', { clusterId }).then(
        (k) => {
          setNow(Date.now())
          setKeys(k)
          setProblem(undefined)
        },
        (e: unknown) => setProblem(e instanceof ApiError ? errorWords(e.info) : String(e)),
      ),
    [clusterId],
  )
  useEffect(() => {
    void load()
    return onEvent((e) => {
      if (e.event === 's3keys:changed' && e.payload.clusterId === clusterId) void load()
    })
  }, [clusterId, load])

  return (
    <section className="card kept-s3-keys" aria-labelledby="kept-s3-h">
      <h3 id="kept-s3-h">S3 keys kept in the keychain</h3>
      {problem && (
        <p role="alert" className="error-note">
          Could not list the kept S3 keys. {problem}
        </p>
      )}
      {keys && keys.length === 0 && (
        <p className="muted">
          None. Tick “Keep this S3 key in the keychain” when you create a token with an S3 secret.
        </p>
      )}
      {keys && keys.length > 0 && (
        <table>
          <caption className="visually-hidden">Kept S3 keys</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Owner</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => {
              const expired = k.expiresAt !== undefined && k.expiresAt <= now
              return (
                <tr key={k.tokenId}>
                  <td className="mono">{k.tokenId}</td>
                  <td>{k.owner ?? <span className="muted">—</span>}</td>
                  <td className={expired ? 'error nowrap' : 'nowrap'}>
                    {k.expiresAt === undefined ? 'never' : formatDateTime(k.expiresAt, now)}
                    {expired ? ' (expired)' : ''}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="danger-outline"
                      aria-label={`Forget S3 key ${k.tokenId}`}
                      onClick={() => setForgetting(k)}
                    >
                      Forget
                    </button>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {forgetting && (
        <ConfirmDialog
          open
          title="Forget this S3 key?"
          confirmLabel="Forget key"
          danger
          onClose={() => setForgetting(undefined)}
          onConfirm={async () => {
            await call('s3keys:forget', { clusterId, tokenId: forgetting.tokenId })
            await load()
          }}
        >
          Tokendeck deletes the secret of {forgetting.tokenId} from the keychain, and AWS profiles
          that use it stop working. The token itself stays valid on the cluster.
        </ConfirmDialog>
      )}
    </section>
  )
}
