import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { ClusterView } from '../../../shared/model'
import { call } from '../api'
import { CopyAsMenu } from '../components/CopyAsMenu'
import { EmptyState } from '../components/EmptyState'
import { StatusBadge, TimeLeft } from '../components/StatusBadge'
import { useToast } from '../components/Toasts'
import { VendorMark } from '../components/VendorMark'
import { isSignedIn, sessionExpiresAt, VENDOR_NAMES } from '../format'

const ROW_HEIGHT = 52

/**
 * What the filter looks in, lower-cased, once per cluster (session changes keep the cluster
 * object, so this survives them).
 */
const haystacks = new WeakMap<ClusterView['cluster'], string[]>()

function haystack(c: ClusterView['cluster']): string[] {
  let h = haystacks.get(c)
  if (!h) {
    h = [c.name, c.url, c.username, VENDOR_NAMES[c.vendor], c.seen?.clusterName]
      .filter((s): s is string => s !== undefined)
      .map((s) => s.toLowerCase())
    haystacks.set(c, h)
  }
  return h
}

function matches(v: ClusterView, q: string): boolean {
  return haystack(v.cluster).some((s) => s.includes(q))
}

type Toast = ReturnType<typeof useToast>

async function copyAccessToken(v: ClusterView, toast: Toast): Promise<void> {
  try {
    const r = await call('session:copyAccessToken', { clusterId: v.cluster.id })
    toast.copied(r.clearsInSeconds, `access token of ${v.cluster.name}`)
  } catch (e) {
    toast.error(e, `Could not copy the access token of ${v.cluster.name}`)
  }
}

/** What a row can do; one object for the list's lifetime, so rows re-render only for their own data. */
interface RowActions {
  select(clusterId: string): void
  open(clusterId: string): void
  copy(v: ClusterView): void
}

/**
 * Every cluster, one row each, virtualized (only the rows in view are in the DOM). A grid with one
 * selected row: arrow keys, Page Up/Down, Home/End move it (from the grid or the filter box), Enter
 * opens it.
 */
export function ClusterListView({
  clusters,
  demo,
  warnMs,
  onOpen,
  onAdd,
}: {
  clusters: ClusterView[]
  demo: boolean
  warnMs: number
  onOpen: (clusterId: string) => void
  onAdd: () => void
}) {
  const [filter, setFilter] = useState('')
  const [selectedId, setSelectedId] = useState<string | undefined>()
  const scrollRef = useRef<HTMLDivElement>(null)
  const toast = useToast()
  const q = filter.trim().toLowerCase()
  const shown = useMemo(() => (q ? clusters.filter((v) => matches(v, q)) : clusters), [clusters, q])
  const found = shown.findIndex((v) => v.cluster.id === selectedId)
  const selected = found >= 0 ? found : 0

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's API is what it is; rows re-render on its updates
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    getItemKey: (i) => shown[i]?.cluster.id ?? i,
  })

  const onOpenLatest = useRef(onOpen)
  useLayoutEffect(() => {
    onOpenLatest.current = onOpen
  })
  const actions = useMemo<RowActions>(
    () => ({
      select: setSelectedId,
      open: (clusterId) => onOpenLatest.current(clusterId),
      copy: (v) => void copyAccessToken(v, toast),
    }),
    [toast],
  )

  if (clusters.length === 0) return <EmptyState demo={demo} onAdd={onAdd} />

  const select = (index: number) => {
    const i = Math.max(0, Math.min(shown.length - 1, index))
    const v = shown[i]
    if (!v) return
    setSelectedId(v.cluster.id)
    virtualizer.scrollToIndex(i, { align: 'auto' })
  }

  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1)
    const moves: Record<string, number | undefined> = {
      ArrowDown: selected + 1,
      ArrowUp: selected - 1,
      PageDown: selected + page,
      PageUp: selected - page,
      Home: e.currentTarget.tagName === 'INPUT' ? undefined : 0,
      End: e.currentTarget.tagName === 'INPUT' ? undefined : shown.length - 1,
    }
    const to = moves[e.key]
    if (to !== undefined) {
      e.preventDefault()
      select(to)
    } else if (
      (e.key === 'c' || e.key === 'C') &&
      e.currentTarget.tagName !== 'INPUT' &&
      !e.ctrlKey &&
      !e.metaKey
    ) {
      const v = shown[selected]
      if (v && isSignedIn(v.session)) {
        e.preventDefault()
        actions.copy(v)
      }
    } else if (e.key === 'Enter') {
      const v = shown[selected]
      if (v) {
        e.preventDefault()
        onOpen(v.cluster.id)
      }
    }
  }

  const selectedView = shown[selected]

  return (
    <section className="cluster-list-view" aria-labelledby="clusters-title">
      <div className="toolbar">
        <h2 id="clusters-title">Clusters</h2>
        <label htmlFor="cluster-filter" className="visually-hidden">
          Filter clusters
        </label>
        <input
          id="cluster-filter"
          type="search"
          placeholder="Filter by name, URL, user or vendor"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={onKeyDown}
          aria-controls="cluster-grid"
        />
        <span className="muted" aria-live="polite">
          {shown.length === clusters.length
            ? `${clusters.length} ${clusters.length === 1 ? 'cluster' : 'clusters'}`
            : `${shown.length} of ${clusters.length} clusters`}
        </span>
        <span className="spacer" />
        <button type="button" className="primary" onClick={onAdd}>
          Add cluster
        </button>
      </div>
      <div
        id="cluster-grid"
        className="grid"
        role="grid"
        aria-label="Clusters"
        aria-rowcount={shown.length + 1}
        aria-colcount={5}
        tabIndex={0}
        aria-activedescendant={selectedView ? `row-${selectedView.cluster.id}` : undefined}
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" className="grid-head">
          <div role="row" aria-rowindex={1} className="grid-row">
            <span role="columnheader">Cluster</span>
            <span role="columnheader">URL</span>
            <span role="columnheader">Status</span>
            <span role="columnheader">Time left</span>
            <span role="columnheader">
              <span className="visually-hidden">Actions</span>
            </span>
          </div>
        </div>
        <div ref={scrollRef} className="grid-scroll" role="rowgroup">
          {shown.length === 0 && <p className="muted center">No cluster matches “{filter}”.</p>}
          <div className="grid-inner" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const v = shown[item.index]
              if (!v) return null
              return (
                <ClusterRow
                  key={item.key}
                  view={v}
                  index={item.index}
                  start={item.start}
                  selected={item.index === selected}
                  warnMs={warnMs}
                  actions={actions}
                />
              )
            })}
          </div>
        </div>
      </div>
      <p className="hint">
        ↑/↓ move, Enter opens
        {selectedView && isSignedIn(selectedView.session) ? ', C copies the selected token' : ''}.
      </p>
    </section>
  )
}

/** One row; memoized: a session change re-renders that cluster's row only. */
const ClusterRow = memo(function ClusterRow({
  view,
  index,
  start,
  selected,
  warnMs,
  actions,
}: {
  view: ClusterView
  index: number
  start: number
  selected: boolean
  warnMs: number
  actions: RowActions
}) {
  const { cluster, session, capabilities } = view
  const signedIn = isSignedIn(session)
  return (
    <div
      id={`row-${cluster.id}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`grid-row cluster-row ${selected ? 'selected' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      onClick={() => actions.select(cluster.id)}
      onDoubleClick={() => actions.open(cluster.id)}
    >
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
      <span role="gridcell" id={`status-${cluster.id}`}>
        <StatusBadge session={session} capabilities={capabilities} warnMs={warnMs} />
      </span>
      <span role="gridcell">
        <TimeLeft expiresAt={sessionExpiresAt(session)} />
      </span>
      <span role="gridcell" className="cell-actions">
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
          aria-describedby={`status-${cluster.id}`}
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
