import { useState } from 'react'
import type { AppInfo } from '../../../shared/contract'
import type { ErrorInfo } from '../../../shared/model'
import { call } from '../api'
import { errorHeadline } from '../format'
import { useToast } from './Toasts'

/** Problems found at start (corrupt config, no keychain), with what the user can do about them. */
export function StartupBanner({
  problems,
  onResolved,
}: {
  problems: ErrorInfo[]
  onResolved: (info: AppInfo) => void
}) {
  const [busy, setBusy] = useState(false)
  const toast = useToast()
  if (problems.length === 0) return null
  const sessionOnly = async () => {
    setBusy(true)
    try {
      onResolved(await call('app:useSessionOnlySecrets', undefined))
    } catch (e) {
      toast.error(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="banners">
      {problems.map((p, i) => (
        <section
          key={`${p.code}-${i}`}
          className="banner"
          role="alert"
          aria-label={errorHeadline(p)}
        >
          <strong>{errorHeadline(p)}</strong>
          <p>{p.message}</p>
          {p.code === 'KEYCHAIN_UNAVAILABLE' && (
            <div className="row">
              <button type="button" className="primary" disabled={busy} onClick={sessionOnly}>
                Keep secrets for this session only
              </button>
              <span className="muted">
                Sign-ins are kept in memory and forgotten when Tokendeck quits. Nothing is written
                to disk.
              </span>
            </div>
          )}
        </section>
      ))}
    </div>
  )
}
