import type { Capabilities, SessionState } from '../../../shared/model'
import { formatCountdown, statusWords } from '../format'
import { useNow } from '../hooks/useNow'

/** The session state in words, with a coloured dot; the detail (error message) as its title. */
export function StatusBadge({
  session,
  capabilities,
  warnMs,
  showDetail,
}: {
  session: SessionState
  capabilities: Capabilities
  warnMs?: number
  showDetail?: boolean
}) {
  const now = useNow()
  const words = statusWords(session, capabilities, now, warnMs)
  return (
    <span className={`status status-${words.tone}`} title={words.detail}>
      <span className="dot" aria-hidden="true" />
      <span className="status-text">{words.text}</span>
      {showDetail && words.detail && <span className="status-detail">{words.detail}</span>}
    </span>
  )
}

/** Time left on the current access token, ticking every second. */
export function TimeLeft({ expiresAt }: { expiresAt: number | undefined }) {
  const now = useNow()
  if (expiresAt === undefined) return <span className="muted">—</span>
  const left = expiresAt - now
  return <span className={`countdown ${left < 60_000 ? 'soon' : ''}`}>{formatCountdown(left)}</span>
}
