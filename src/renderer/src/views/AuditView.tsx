import { useEffect } from 'react'
import type { AuditRecord } from '../../../shared/audit'
import { onEvent } from '../api'
import { formatDateTime } from '../format'
import { useCall } from '../hooks/useCall'

/** How many of the newest records the view shows. */
const SHOWN = 500

const EVENT_WORDS: Record<string, string> = {
  'session:sign-in': 'Sign-in',
  'session:sign-out': 'Sign-out',
  'session:password-change': 'Password change',
  'session:ended': 'Session ended by the server',
  'token:create': 'Token created',
  'token:rotate': 'Token rotated',
  'token:revoke': 'Token revoked',
  'token:expiry': 'Expiry changed',
  'token:enable': 'Token enabled',
  'token:disable': 'Token disabled',
  copy: 'Copied',
  'exec:start': 'exec started',
  'exec:end': 'exec ended',
  'credential-process:served': 'credential_process served',
  import: 'Imported',
}

const ACTOR_WORDS: Record<string, string> = {
  app: 'App',
  tray: 'Tray',
  cli: 'Terminal',
  agent: 'tokendeck agent',
  'agent-client': 'Terminal via the app',
}

/** A hash shown short: enough to tell two tokens apart by eye, the full one on hover. */
function hashText(hash: string): string {
  return hash.replace(/^hmac-sha256:([0-9a-f]{12})[0-9a-f]*$/, '#$1')
}

function details(r: AuditRecord) {
  const parts: string[] = []
  if (r.what) parts.push(r.to ? `${r.what} → ${r.to}` : r.what)
  if (r.user) parts.push(`all tokens of ${r.user}`)
  if (r.expiresAt !== undefined)
    parts.push(`expires ${r.expiresAt === null ? 'never' : formatDateTime(r.expiresAt)}`)
  if (r.command)
    parts.push(`${r.command}${r.exitCode !== undefined ? ` (exit ${r.exitCode})` : ''}`)
  if (r.source) parts.push(`from ${r.source}`)
  return (
    <>
      {parts.join(', ')}
      {r.token && (
        <span className="mono audit-hash" title={r.token}>
          {' '}
          {hashText(r.token)}
        </span>
      )}
      {r.newToken && (
        <span className="mono audit-hash" title={r.newToken}>
          {' → '}
          {hashText(r.newToken)}
        </span>
      )}
      {!parts.length && !r.token && <span className="muted">—</span>}
    </>
  )
}

/**
 * What Tokendeck did with credentials, newest first (core/audit): every sign-in and sign-out,
 * token created, rotated, revoked or changed, copy, exec and credential_process, by the app, the
 * tray or a terminal. Token ids appear only as hashes; no secret is ever in the log.
 */
export function AuditView() {
  const { data: log, error, reload: load } = useCall('audit:recent', { limit: SHOWN })
  // Live: what this window does (a sign-in, a copy) shows up without pressing Refresh.
  useEffect(
    () =>
      onEvent((event) => {
        if (event.event === 'session:changed' || event.event === 'clipboard:copied') void load()
      }),
    [load],
  )

  return (
    <section className="audit-view" aria-labelledby="audit-title">
      <div className="toolbar">
        <h2 id="audit-title">Activity</h2>
        <span className="spacer" />
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <p className="muted">
        What Tokendeck did with your credentials, from the app, the tray and the terminal. Token ids
        are shown as hashes; no secret is ever recorded.{' '}
        {log && (
          <>
            Kept in <span className="mono">{log.file}</span> (also:{' '}
            <span className="mono">tokendeck audit</span>).
          </>
        )}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {log?.notes.map((n) => (
        <p key={n} className="warn-note">
          {n}
        </p>
      ))}
      {log && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Activity</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">What</th>
                <th scope="col">Cluster</th>
                <th scope="col">By</th>
                <th scope="col">Outcome</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {log.records.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted center">
                    Nothing recorded yet.
                  </td>
                </tr>
              )}
              {log.records.map((r, i) => (
                <tr key={`${r.time}-${i}`}>
                  <td className="nowrap">{formatDateTime(Date.parse(r.time))}</td>
                  <td>{EVENT_WORDS[r.event] ?? r.event}</td>
                  <td>{r.clusterName ?? <span className="muted">—</span>}</td>
                  <td className="nowrap">{ACTOR_WORDS[r.actor] ?? r.actor}</td>
                  <td className={r.outcome === 'ok' ? 'nowrap' : 'error nowrap'}>
                    {r.outcome === 'ok' ? 'OK' : r.outcome}
                  </td>
                  <td>{details(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
