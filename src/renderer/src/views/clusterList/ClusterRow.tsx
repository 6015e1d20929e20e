import { memo, useEffect, useRef, type MouseEvent } from 'react'
import type { ClusterView } from '../../../../shared/model'
import { capabilitiesOf } from '../../../../shared/vendors'
import { CopyAsMenu } from '../../components/CopyAsMenu'
import { StatusBadge, TimeLeft } from '../../components/StatusBadge'
import { VendorMark } from '../../components/VendorMark'
import { formatDateTime, isSignedIn, sessionExpiresAt } from '../../format'

/** "Dec 30, 14:05": short enough for the row; the full date and time is its title. */
const shortDateTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

/** What a row can do; one object for the list's lifetime, so rows re-render only for their own data. */
export interface RowActions {
  select(key: string): void
  open(clusterId: string): void
  copy(v: ClusterView): void
  signIn(v: ClusterView): void
  /** Tick or untick; with Shift, everything from the last ticked row to this one. */
  check(key: string, clusterIds: readonly string[], range: boolean): void
}

/** A signed-out session that a password would start (not one busy, locked or distrusted). */
export function canSignIn(v: ClusterView): boolean {
  return ['signed-out', 'expired', 'failed'].includes(v.session.state)
}

/** One cluster's row; memoized: a session change re-renders that cluster's row only. */
export const ClusterRow = memo(function ClusterRow({
  view,
  itemKey,
  domId,
  index,
  start,
  selected,
  checked,
  warnMs,
  actions,
}: {
  view: ClusterView
  itemKey: string
  domId: string
  index: number
  start: number
  selected: boolean
  checked: boolean
  warnMs: number
  actions: RowActions
}) {
  const { cluster, session, storedExpiresAt } = view
  const capabilities = capabilitiesOf(cluster.vendor)
  const signedIn = isSignedIn(session)
  return (
    <div
      id={domId}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-cluster-id={cluster.id}
      className={`grid-row cluster-row ${selected ? 'selected' : ''} ${checked ? 'checked' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      onClick={() => actions.select(itemKey)}
      onDoubleClick={() => actions.open(cluster.id)}
    >
      <span role="gridcell" className="cell-check">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={checked}
          aria-label={`Select ${cluster.name}`}
          onClick={(e: MouseEvent<HTMLInputElement>) => {
            e.stopPropagation()
            actions.check(itemKey, [cluster.id], e.shiftKey)
          }}
          onChange={() => undefined}
        />
      </span>
      <span role="gridcell" className="cell-name">
        <VendorMark vendor={cluster.vendor} />
        <button
          type="button"
          className="link"
          tabIndex={-1}
          onClick={() => actions.open(cluster.id)}
        >
          {cluster.name}
        </button>
      </span>
      <span role="gridcell" className="cell-url muted" title={cluster.url}>
        {cluster.url}
      </span>
      <span role="gridcell" id={`status-${domId}`}>
        <StatusBadge session={session} capabilities={capabilities} warnMs={warnMs} />
      </span>
      <span role="gridcell" className="cell-time">
        <TimeLeft expiresAt={sessionExpiresAt(session)} />
        {storedExpiresAt !== undefined && signedIn && (
          <span className="stored-expiry muted" title={formatDateTime(storedExpiresAt)}>
            session until {shortDateTime.format(storedExpiresAt)}
          </span>
        )}
      </span>
      <span role="gridcell" className="cell-actions">
        {canSignIn(view) && (
          <button
            type="button"
            tabIndex={-1}
            className="sign-in"
            aria-label={`Sign in to ${cluster.name}`}
            onClick={(e) => {
              e.stopPropagation()
              actions.signIn(view)
            }}
          >
            Sign in
          </button>
        )}
        <button
          type="button"
          tabIndex={-1}
          disabled={!signedIn}
          aria-label={`Copy access token of ${cluster.name}`}
          title={
            signedIn
              ? 'Copy the current access token'
              : `Sign in to ${cluster.name} to copy its access token`
          }
          aria-describedby={`status-${domId}`}
          onClick={(e) => {
            e.stopPropagation()
            actions.copy(view)
          }}
        >
          Copy
        </button>
        <CopyAsMenu clusterId={cluster.id} clusterName={cluster.name} disabled={!signedIn} inRow />
      </span>
    </div>
  )
})

/** A group's header row: its name, how many clusters, and a box that ticks them all. */
export const GroupRow = memo(function GroupRow({
  itemKey,
  label,
  ids,
  index,
  start,
  selected,
  checkedCount,
  actions,
}: {
  itemKey: string
  label: string
  ids: readonly string[]
  index: number
  start: number
  selected: boolean
  checkedCount: number
  actions: RowActions
}) {
  const box = useRef<HTMLInputElement>(null)
  const all = checkedCount === ids.length && ids.length > 0
  useEffect(() => {
    if (box.current) box.current.indeterminate = checkedCount > 0 && !all
  }, [checkedCount, all])
  return (
    <div
      id={`row-${itemKey}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`grid-row group-row ${selected ? 'selected' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      onClick={() => actions.select(itemKey)}
    >
      <span role="gridcell" className="cell-check">
        <input
          ref={box}
          type="checkbox"
          tabIndex={-1}
          checked={all}
          aria-label={`Select every cluster in ${label}`}
          onClick={(e) => {
            e.stopPropagation()
            actions.check(itemKey, ids, false)
          }}
          onChange={() => undefined}
        />
      </span>
      <span role="rowheader" className="group-label">
        {label} <span className="muted">({ids.length})</span>
      </span>
    </div>
  )
})
