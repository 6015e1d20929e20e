import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { ClusterView } from '../../../shared/model'
import { call } from '../api'
import { listItems, type ListItem } from '../clusterOrder'
import { CatalogueButtons } from '../components/CatalogueButtons'
import { EmptyState } from '../components/EmptyState'
import { SignInDialog } from '../components/SignInDialog'
import { useToast } from '../components/Toasts'
import { isSignedIn, vendorName } from '../format'
import { BulkBar, BulkSummaryNote } from './clusterList/BulkBar'
import type { BulkOutcome, BulkSummary } from './clusterList/bulk'
import { canSignIn, ClusterRow, GroupRow, type RowActions } from './clusterList/ClusterRow'
import { ListControls, type ListPrefs } from './clusterList/ListControls'

const ROW_HEIGHT = 52
const GROUP_ROW_HEIGHT = 36
const DEFAULT_PREFS: ListPrefs = { groupBy: 'none', sortBy: 'name' }

/**
 * What the filter looks in, lower-cased, once per cluster (session changes keep the cluster
 * object, so this survives them).
 */
const haystacks = new WeakMap<ClusterView['cluster'], string[]>()

function haystack(c: ClusterView['cluster']): string[] {
  let h = haystacks.get(c)
  if (!h) {
    h = [c.name, c.url, c.username, vendorName(c.vendor), c.seen?.clusterName, ...(c.tags ?? [])]
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
    // The "copied" toast comes from main's clipboard:copied event (App): one path for every copy.
    await call('session:copyAccessToken', { clusterId: v.cluster.id })
  } catch (e) {
    toast.error(e, `Could not copy the access token of ${v.cluster.name}`)
  }
}

/** Sign-ins waiting for their dialog, one cluster at a time; `bulk` ends with one summary. */
interface SignInQueue {
  ids: string[]
  bulk: boolean
  outcomes: BulkOutcome[]
}

/**
 * Every cluster, one row each (grouped and sorted as the user chose), virtualized (only the rows
 * in view are in the DOM). A grid with one cursor row: arrow keys, Page Up/Down, Home/End move it
 * (from the grid or the filter box), Enter opens it, Space ticks it. Ticked rows (checkbox,
 * Shift-click for a range, Ctrl/Cmd+A for every row the filter shows, a group's box for the
 * group) get bulk actions.
 */
export function ClusterListView({
  clusters,
  demo,
  warnMs,
  prefs: savedPrefs,
  onPrefs,
  onOpen,
  onAdd,
}: {
  clusters: ClusterView[]
  demo: boolean
  warnMs: number
  /** Grouping and order from the settings; the list starts with these. */
  prefs?: ListPrefs | undefined
  /** Remember a changed grouping or order. */
  onPrefs?: (patch: Partial<ListPrefs>) => void
  onOpen: (clusterId: string) => void
  onAdd: () => void
}) {
  const [filter, setFilter] = useState('')
  const [cursorKey, setCursorKey] = useState<string | undefined>()
  const [localPrefs, setLocalPrefs] = useState<Partial<ListPrefs>>({})
  const prefs = { ...DEFAULT_PREFS, ...savedPrefs, ...localPrefs }
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set())
  const anchor = useRef<string | undefined>(undefined)
  const [queue, setQueue] = useState<SignInQueue | undefined>()
  const [summary, setSummary] = useState<BulkSummary | undefined>()
  const scrollRef = useRef<HTMLDivElement>(null)
  const toast = useToast()
  const q = filter.trim().toLowerCase()
  const shown = useMemo(() => (q ? clusters.filter((v) => matches(v, q)) : clusters), [clusters, q])
  const items = useMemo(
    () => listItems(shown, prefs.groupBy, prefs.sortBy),
    [shown, prefs.groupBy, prefs.sortBy],
  )
  const found = items.findIndex((it) => it.key === cursorKey)
  const selected = found >= 0 ? found : 0
  const byId = useMemo(() => new Map(clusters.map((v) => [v.cluster.id, v])), [clusters])

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's API is what it is; rows re-render on its updates
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (items[i]?.kind === 'group' ? GROUP_ROW_HEIGHT : ROW_HEIGHT),
    overscan: 6,
    getItemKey: (i) => items[i]?.key ?? i,
  })

  const advanceRef = useRef<(outcome: BulkOutcome) => void>(() => undefined)
  const latest = useRef({ onOpen, items })
  useLayoutEffect(() => {
    latest.current = { onOpen, items }
  })
  // A queued cluster signed in meanwhile (another window, a terminal) or removed: nothing to ask.
  // Once its dialog is up, its own sign-in (state "signing-in") must not count as that.
  const [dialogFor, setDialogFor] = useState<string | undefined>()
  useEffect(() => {
    const id = queue?.ids[0]
    if (id === undefined || id === dialogFor) return
    const v = byId.get(id)
    if (v && canSignIn(v)) {
      setDialogFor(id)
      return
    }
    advanceRef.current({
      clusterId: id,
      name: v?.cluster.name ?? id,
      status: 'skipped',
      detail: v ? 'already signed in' : 'removed',
    })
  }, [queue, byId, dialogFor])
  const actions = useMemo<RowActions>(
    () => ({
      select: setCursorKey,
      open: (clusterId) => latest.current.onOpen(clusterId),
      copy: (v) => void copyAccessToken(v, toast),
      signIn: (v) => setQueue({ ids: [v.cluster.id], bulk: false, outcomes: [] }),
      check: (key, ids, range) => {
        const list = latest.current.items
        setChecked((was) => {
          const next = new Set(was)
          const from =
            range && anchor.current ? list.findIndex((it) => it.key === anchor.current) : -1
          const to = list.findIndex((it) => it.key === key)
          if (from >= 0 && to >= 0) {
            const [a, b] = from < to ? [from, to] : [to, from]
            for (const it of list.slice(a, b + 1)) {
              if (it.kind === 'cluster') next.add(it.view.cluster.id)
            }
          } else {
            const on = !ids.every((id) => was.has(id))
            for (const id of ids) {
              if (on) next.add(id)
              else next.delete(id)
            }
          }
          return next
        })
        anchor.current = key
      },
    }),
    [toast],
  )

  // Ticked clusters that still exist (one removed elsewhere drops out), in list order.
  const ticked = useMemo(() => {
    const seen = new Set<string>()
    const out: ClusterView[] = []
    for (const it of items) {
      if (
        it.kind === 'cluster' &&
        checked.has(it.view.cluster.id) &&
        !seen.has(it.view.cluster.id)
      ) {
        seen.add(it.view.cluster.id)
        out.push(it.view)
      }
    }
    return out
  }, [items, checked])

  if (clusters.length === 0) return <EmptyState demo={demo} onAdd={onAdd} />

  const changePrefs = (patch: Partial<ListPrefs>) => {
    setLocalPrefs((p) => ({ ...p, ...patch }))
    onPrefs?.(patch)
  }

  const moveTo = (index: number) => {
    const i = Math.max(0, Math.min(items.length - 1, index))
    const it = items[i]
    if (!it) return
    setCursorKey(it.key)
    virtualizer.scrollToIndex(i, { align: 'auto' })
  }

  const cursor: ListItem | undefined = items[selected]
  const cursorView = cursor?.kind === 'cluster' ? cursor.view : undefined

  const onKeyDown = (e: KeyboardEvent) => {
    const inInput = e.currentTarget.tagName === 'INPUT'
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1)
    const moves: Record<string, number | undefined> = {
      ArrowDown: selected + 1,
      ArrowUp: selected - 1,
      PageDown: selected + page,
      PageUp: selected - page,
      Home: inInput ? undefined : 0,
      End: inInput ? undefined : items.length - 1,
    }
    const to = moves[e.key]
    if (to !== undefined) {
      e.preventDefault()
      moveTo(to)
    } else if ((e.key === 'a' || e.key === 'A') && (e.ctrlKey || e.metaKey) && !inInput) {
      // Every cluster the filter shows, not the hidden ones.
      e.preventDefault()
      setChecked(new Set(shown.map((v) => v.cluster.id)))
    } else if (e.key === ' ' && !inInput && cursor) {
      e.preventDefault()
      actions.check(
        cursor.key,
        cursor.kind === 'group' ? cursor.ids : [cursor.view.cluster.id],
        e.shiftKey,
      )
    } else if ((e.key === 'c' || e.key === 'C') && !inInput && !e.ctrlKey && !e.metaKey) {
      if (cursorView && isSignedIn(cursorView.session)) {
        e.preventDefault()
        actions.copy(cursorView)
      }
    } else if (e.key === 'Enter' && cursorView) {
      e.preventDefault()
      onOpen(cursorView.cluster.id)
    }
  }

  // The sign-in dialog in front: the first queued cluster that still needs a password.
  const queued = queue?.ids[0] !== undefined ? byId.get(queue.ids[0]) : undefined
  const advance = (outcome: BulkOutcome) => {
    if (!queue) return
    const outcomes = [...queue.outcomes, outcome]
    const ids = queue.ids.slice(1)
    if (ids.length) {
      setQueue({ ...queue, ids, outcomes })
      return
    }
    setQueue(undefined)
    if (queue.bulk) setSummary({ kind: 'sign-in', outcomes })
    else if (outcome.status === 'done') toast.show({ title: `Signed in to ${outcome.name}` })
  }
  advanceRef.current = advance
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
          placeholder="Filter by name, URL, user, vendor or tag"
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
        <ListControls prefs={prefs} onChange={changePrefs} />
        <CatalogueButtons />
        <button type="button" className="primary" onClick={onAdd}>
          Add cluster
        </button>
      </div>
      {ticked.length > 0 && (
        <BulkBar
          selected={ticked}
          onClear={() => setChecked(new Set())}
          onSignIn={(views) =>
            setQueue({ ids: views.map((v) => v.cluster.id), bulk: true, outcomes: [] })
          }
          onSummary={setSummary}
        />
      )}
      {summary && <BulkSummaryNote summary={summary} onDismiss={() => setSummary(undefined)} />}
      <div
        id="cluster-grid"
        className="grid"
        role="grid"
        aria-label="Clusters"
        aria-rowcount={items.length + 1}
        aria-colcount={6}
        aria-multiselectable
        data-cluster-count={shown.length}
        data-group-by={prefs.groupBy}
        tabIndex={0}
        aria-activedescendant={cursor ? domIdOf(cursor) : undefined}
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" className="grid-head">
          <div role="row" aria-rowindex={1} className="grid-row">
            <span role="columnheader">
              <span className="visually-hidden">Selected</span>
            </span>
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
            {virtualizer.getVirtualItems().map((row) => {
              const it = items[row.index]
              if (!it) return null
              if (it.kind === 'group') {
                return (
                  <GroupRow
                    key={row.key}
                    itemKey={it.key}
                    label={it.label}
                    ids={it.ids}
                    index={row.index}
                    start={row.start}
                    selected={row.index === selected}
                    checkedCount={it.ids.filter((id) => checked.has(id)).length}
                    actions={actions}
                  />
                )
              }
              return (
                <ClusterRow
                  key={row.key}
                  view={it.view}
                  itemKey={it.key}
                  domId={domIdOf(it)}
                  index={row.index}
                  start={row.start}
                  selected={row.index === selected}
                  checked={checked.has(it.view.cluster.id)}
                  warnMs={warnMs}
                  actions={actions}
                />
              )
            })}
          </div>
        </div>
      </div>
      <p className="hint">
        ↑/↓ move, Enter opens, Space selects
        {cursorView && isSignedIn(cursorView.session) ? ', C copies the selected token' : ''}.
      </p>
      {queue && queued && (dialogFor === queued.cluster.id || canSignIn(queued)) && (
        <SignInDialog
          key={queued.cluster.id}
          open
          view={queued}
          onClose={() =>
            advance({
              clusterId: queued.cluster.id,
              name: queued.cluster.name,
              status: 'skipped',
              detail: 'cancelled',
            })
          }
          onSignedIn={() =>
            advance({ clusterId: queued.cluster.id, name: queued.cluster.name, status: 'done' })
          }
        />
      )}
    </section>
  )
}

/** The row's DOM id: `row-<cluster id>` for a cluster's first row (what tests and links use). */
function domIdOf(it: ListItem): string {
  return it.kind === 'group' ? `row-${it.key}` : `row-${it.key.replace('@', '--')}`
}
