import { useEffect, useState } from 'react'
import type { KeptS3Key, OneTimeSecret } from '../../../shared/model'
import { ApiError, call } from '../api'
import { errorWords } from '../format'

const pendingDiscards = new Map<string, ReturnType<typeof setTimeout>>()

/**
 * "Keep this S3 key in the keychain": off until the user ticks it. Keeping is a request to main
 * that names the one-time handle main issued with the create reply; the secret is never sent
 * back. Unticking forgets the key again; closing the dialog lets main drop what it held.
 */
export function KeepS3KeyOption({
  clusterId,
  secret,
}: {
  clusterId: string
  secret: OneTimeSecret
}) {
  const [kept, setKept] = useState(false)
  /** What main confirmed (the kept key, named by its handle): the words below follow it. */
  const [done, setDone] = useState<KeptS3Key | undefined>()
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | undefined>()
  const handle = secret.keepHandle
  // Closing the dialog (unmounting this) lets main drop the secret it holds. The drop waits one
  // turn: React's development mode unmounts and mounts again at once, which must not count.
  useEffect(() => {
    if (!handle) return
    const pending = pendingDiscards.get(handle)
    if (pending) clearTimeout(pending)
    return () => {
      pendingDiscards.set(
        handle,
        setTimeout(() => {
          pendingDiscards.delete(handle)
          void call('s3keys:discard', { handle }).catch(() => undefined)
        }, 0),
      )
    }
  }, [handle])
  if (!handle || !secret.accessKeyId) return null

  const toggle = async (keep: boolean) => {
    // The box shows the choice at once; it goes back if main could not do it.
    setKept(keep)
    setBusy(true)
    setProblem(undefined)
    try {
      // Forgetting names the key by its handle, as main answered keeping (never the access key id).
      if (keep) setDone(await call('s3keys:keep', { handle }))
      else if (done) {
        await call('s3keys:forget', { clusterId, tokenId: done.tokenId })
        setDone(undefined)
      }
    } catch (e) {
      setKept(!keep)
      setProblem(e instanceof ApiError ? errorWords(e.info) : String(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="keep-s3-key">
      <label className="check">
        <input
          type="checkbox"
          checked={kept}
          disabled={busy}
          onChange={(e) => void toggle(e.target.checked)}
        />
        Keep this S3 key in the keychain
      </label>
      <p className="hint" aria-live="polite">
        {busy
          ? 'Working…'
          : done
            ? `Kept as ${done.tokenId}. "tokendeck s3 profile ${clusterId} ${done.tokenId}" prints an AWS CLI profile that uses it.`
            : 'Off: Tokendeck forgets the secret when this dialog closes. On: the AWS CLI and SDKs can use it through tokendeck s3 credential-process.'}
      </p>
      {problem && (
        <p role="alert" className="error-note">
          {kept ? 'The key could not be forgotten.' : 'The key was not kept.'} {problem}
        </p>
      )}
    </div>
  )
}
