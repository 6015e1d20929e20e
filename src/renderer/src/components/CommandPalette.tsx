/**
 * The command palette (Ctrl/Cmd+K, or the optional global shortcut through ui:openPalette): type
 * any part of a cluster's name, URL or tag, move with the arrow keys, Enter copies its access
 * token, Shift+Enter (or Alt+Enter) opens it. Escape closes and focus goes back where it was.
 *
 * A Radix dialog (focus trap, Escape, focus return) holding the ARIA combobox pattern: the input
 * keeps focus and points at the highlighted option with aria-activedescendant. Matching is a plain
 * substring search over a lower-cased haystack cached per cluster object, and at most MAX_SHOWN
 * results are rendered, so a thousand clusters stay instant.
 */
import * as RDialog from '@radix-ui/react-dialog'
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { ClusterView } from '../../../shared/model'
import { onEvent } from '../api'
import { isSignedIn, vendorName } from '../format'
import { copyAs } from './CopyAsMenu'
import { useToast } from './Toasts'
import { VendorMark } from './VendorMark'

const MAX_SHOWN = 50

/** Tags, where the cluster list has them (another part of the app adds `tags?: string[]`). */
function tagsOf(v: ClusterView): string[] {
  const own = (v as { tags?: unknown }).tags ?? (v.cluster as { tags?: unknown }).tags
  return Array.isArray(own) ? own.filter((t): t is string => typeof t === 'string') : []
}

const haystacks = new WeakMap<object, { name: string; rest: string[] }>()

function haystack(v: ClusterView): { name: string; rest: string[] } {
  let h = haystacks.get(v.cluster)
  if (!h) {
    h = {
      name: v.cluster.name.toLowerCase(),
      rest: [v.cluster.url, ...tagsOf(v)].map((s) => s.toLowerCase()),
    }
    haystacks.set(v.cluster, h)
  }
  return h
}

/** Name matches first (a name that starts with the query before one that contains it), then URL or tag. */
export function paletteMatches(clusters: ClusterView[], query: string): ClusterView[] {
  const q = query.trim().toLowerCase()
  if (!q) return clusters.slice(0, MAX_SHOWN)
  const ranked: Array<[number, ClusterView]> = []
  for (const v of clusters) {
    const h = haystack(v)
    const rank = h.name.startsWith(q)
      ? 0
      : h.name.includes(q)
        ? 1
        : h.rest.some((s) => s.includes(q))
          ? 2
          : -1
    if (rank >= 0) ranked.push([rank, v])
  }
  ranked.sort((a, b) => a[0] - b[0])
  return ranked.slice(0, MAX_SHOWN).map(([, v]) => v)
}

export function CommandPalette({
  clusters,
  onOpenCluster,
}: {
  clusters: ClusterView[] | undefined
  onOpenCluster: (clusterId: string) => void
}) {
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const toast = useToast()
  // Where focus was when the palette opened: it goes back there (there is no trigger button).
  const returnFocus = useRef<HTMLElement | null>(null)
  /** Read before opening: once open, the dialog has taken focus. */
  const rememberFocus = () => {
    const el = document.activeElement
    if (el instanceof HTMLElement && el !== document.body && !el.closest('.palette'))
      returnFocus.current = el
  }

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        rememberFocus()
        setOpen((o) => !o)
      }
    }
    // Capture phase: the shortcut works wherever focus is, even in a widget that keeps its keys
    // from the page (a list row's Copy as button stops them so the grid's Enter and C stay out).
    window.addEventListener('keydown', onKey, true)
    const off = onEvent((event) => {
      if (event.event === 'ui:openPalette') {
        rememberFocus()
        setOpen(true)
      }
      if (event.event === 'ui:screenLocked') setOpen(false)
    })
    return () => {
      window.removeEventListener('keydown', onKey, true)
      off()
    }
  }, [])

  const results = useMemo(
    () => (open && clusters ? paletteMatches(clusters, query) : []),
    [open, clusters, query],
  )
  const index = Math.min(active, Math.max(0, results.length - 1))
  const current = results[index]

  const close = () => {
    setOpen(false)
    setQuery('')
    setActive(0)
  }
  const openIt = (v: ClusterView) => {
    close()
    onOpenCluster(v.cluster.id)
  }
  const copyIt = (v: ClusterView) => {
    if (!isSignedIn(v.session)) return openIt(v) // signing in happens there
    close()
    void copyAs(v.cluster.id, v.cluster.name, 'token', toast)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + 10,
      PageUp: index - 10,
    }
    const to = moves[e.key]
    if (to !== undefined) {
      e.preventDefault()
      setActive(Math.max(0, Math.min(results.length - 1, to)))
    } else if (e.key === 'Enter' && current) {
      e.preventDefault()
      if (e.shiftKey || e.altKey) openIt(current)
      else copyIt(current)
    }
  }

  return (
    <RDialog.Root open={open} onOpenChange={(o) => (o ? setOpen(true) : close())}>
      <RDialog.Portal>
        <div className="backdrop" aria-hidden="true" />
        <RDialog.Content
          className="dialog palette"
          aria-describedby="palette-help"
          onCloseAutoFocus={(e) => {
            const el = returnFocus.current
            returnFocus.current = null
            if (el && el.isConnected) {
              e.preventDefault()
              el.focus()
            }
          }}
        >
          <RDialog.Title className="visually-hidden">Find a cluster</RDialog.Title>
          <input
            className="palette-input"
            type="text"
            role="combobox"
            aria-label="Find a cluster by name, URL or tag"
            aria-expanded={results.length > 0}
            aria-controls="palette-results"
            aria-autocomplete="list"
            aria-activedescendant={current ? `palette-${current.cluster.id}` : undefined}
            placeholder="Find a cluster by name, URL or tag…"
            autoComplete="off"
            spellCheck={false}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value)
              setActive(0)
            }}
            onKeyDown={onKeyDown}
          />
          <ul id="palette-results" role="listbox" aria-label="Clusters" className="palette-list">
            {results.map((v, i) => {
              const signedIn = isSignedIn(v.session)
              const tags = tagsOf(v)
              return (
                <li
                  key={v.cluster.id}
                  id={`palette-${v.cluster.id}`}
                  role="option"
                  aria-selected={i === index}
                  className={`palette-option ${i === index ? 'active' : ''}`}
                  onMouseMove={() => i !== index && setActive(i)}
                  onClick={(e) => (e.shiftKey || e.altKey ? openIt(v) : copyIt(v))}
                >
                  <VendorMark vendor={v.cluster.vendor} />
                  <span className="palette-name">{v.cluster.name}</span>
                  <span className="palette-url muted">{v.cluster.url}</span>
                  {tags.length > 0 && <span className="palette-tags muted">{tags.join(', ')}</span>}
                  <span className="palette-action muted">
                    {signedIn ? 'Copy token' : `Open to sign in · ${vendorName(v.cluster.vendor)}`}
                  </span>
                </li>
              )
            })}
          </ul>
          {results.length === 0 && (
            <p className="muted palette-empty" role="status">
              {clusters?.length ? `No cluster matches “${query}”.` : 'No clusters yet.'}
            </p>
          )}
          <p id="palette-help" className="hint palette-help">
            ↑/↓ choose · Enter copies the access token · Shift+Enter opens · Esc closes
          </p>
        </RDialog.Content>
      </RDialog.Portal>
    </RDialog.Root>
  )
}
