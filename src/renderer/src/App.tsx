import { useEffect, useRef, useState } from 'react'
import type { AppInfo } from '../../shared/contract'
import type { ErrorInfo } from '../../shared/model'
import { call, onEvent } from './api'
import { ClusterDialog } from './components/ClusterDialog'
import { CommandPalette } from './components/CommandPalette'
import { StartupBanner } from './components/StartupBanner'
import { ToastsProvider, useToast } from './components/Toasts'
import { useClusters } from './hooks/useClusters'
import { useSettings } from './hooks/useSettings'
import { useTheme } from './hooks/useTheme'
import { ClusterDetailView } from './views/ClusterDetailView'
import { ClusterListView } from './views/ClusterListView'
import { ExpiringView } from './views/ExpiringView'
import { SettingsView } from './views/SettingsView'
import { AuditView } from './views/AuditView'
import { PlaintextCredentialsBanner } from './components/PlaintextCredentialsBanner'

type Route =
  | { view: 'list' }
  | { view: 'detail'; clusterId: string }
  | { view: 'settings' }
  | { view: 'activity' }
  | { view: 'expiring' }

function scopeOf(route: Route): string {
  return route.view === 'detail' ? `detail:${route.clusterId}` : route.view
}

export function App() {
  return (
    <ToastsProvider>
      <Shell />
    </ToastsProvider>
  )
}

function Shell() {
  const [info, setInfo] = useState<AppInfo | undefined>()
  const [problems, setProblems] = useState<ErrorInfo[]>([])
  // Asked for before React started (startup.ts), so the list's first render is already grouped.
  const { settings, error: settingsError, loaded: settingsLoaded, set: setSettings } = useSettings()
  const [route, setRoute] = useState<Route>({ view: 'list' })
  const [adding, setAdding] = useState(false)
  const [error, setError] = useState<string | undefined>()
  const { clusters, error: listError, reload } = useClusters()
  const toast = useToast()
  useTheme(settings?.theme)

  useEffect(() => {
    let live = true
    Promise.all([call('app:info', undefined), call('app:startupProblems', undefined)])
      .then(([i, p]) => {
        if (!live) return
        setInfo(i)
        setProblems(p)
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
    const off = onEvent((event) => {
      if (event.event === 'clipboard:copied')
        toast.copied(event.payload.clearsInSeconds, event.payload.what)
      if (event.event === 'ui:openCluster')
        setRoute({ view: 'detail', clusterId: event.payload.clusterId })
      if (event.event === 'ui:openExpiring') setRoute({ view: 'expiring' })
    })
    return () => {
      live = false
      off()
    }
  }, [toast])

  // Back on the list: reload it, in case an event was missed while a detail was open. Not on the
  // first render: the list is already being loaded (startup.ts).
  const lastView = useRef(route.view)
  useEffect(() => {
    if (route.view === 'list' && lastView.current !== 'list') void reload()
    lastView.current = route.view
  }, [route.view, reload])

  // Toasts belong to the view (and cluster) they were raised in: navigating drops the others.
  const scope = scopeOf(route)
  useEffect(() => toast.setScope(scope), [toast, scope])

  const warnMs = (settings?.expiryWarning.hours ?? 2) * 3600_000
  const demo = info?.profile === 'demo'

  return (
    <div className="app">
      <header className="topbar">
        <img className="logo" src="./logo.svg" alt="" width={24} height={24} />
        <h1>Tokendeck</h1>
        {demo && <span className="badge">Demo</span>}
        {info?.secretStorage === 'session-only' && (
          <span
            className="badge warn"
            title="Secrets are kept in memory and forgotten when Tokendeck quits"
          >
            This session only
          </span>
        )}
        <nav aria-label="Main" className="nav">
          <NavLink
            current={route.view === 'list' || route.view === 'detail'}
            onClick={() => setRoute({ view: 'list' })}
          >
            Clusters
          </NavLink>
          <NavLink
            current={route.view === 'expiring'}
            onClick={() => setRoute({ view: 'expiring' })}
          >
            Expiring
          </NavLink>
          <NavLink
            current={route.view === 'settings'}
            onClick={() => setRoute({ view: 'settings' })}
          >
            Settings
          </NavLink>
          <NavLink
            current={route.view === 'activity'}
            onClick={() => setRoute({ view: 'activity' })}
          >
            Activity
          </NavLink>
        </nav>
        <span className="spacer" />
        {info && <span className="muted">v{info.version}</span>}
      </header>
      <StartupBanner
        problems={problems}
        onResolved={(i) => {
          setInfo(i)
          void call('app:startupProblems', undefined).then(setProblems)
          toast.show({ title: 'Secrets are kept for this session only' })
        }}
      />
      <PlaintextCredentialsBanner />
      <main>
        {(error ?? listError ?? settingsError) && (
          <p role="alert" className="error">
            {error ?? listError ?? settingsError}
          </p>
        )}
        {route.view === 'list' && clusters && settingsLoaded && (
          <ClusterListView
            clusters={clusters}
            demo={demo}
            warnMs={warnMs}
            prefs={settings?.clusterList}
            onPrefs={(clusterList) => {
              call('settings:update', { clusterList }).then(setSettings, (e: unknown) =>
                toast.error(e, 'Could not remember the list order'),
              )
            }}
            onOpen={(clusterId) => setRoute({ view: 'detail', clusterId })}
            onAdd={() => setAdding(true)}
          />
        )}
        {route.view === 'detail' && (
          <ClusterDetailView
            key={route.clusterId}
            clusterId={route.clusterId}
            warnMs={warnMs}
            onBack={() => setRoute({ view: 'list' })}
          />
        )}
        {route.view === 'expiring' && clusters && (
          <ExpiringView
            clusters={clusters}
            warnDays={settings?.expiryWarning.days ?? 7}
            onOpen={(clusterId) => setRoute({ view: 'detail', clusterId })}
          />
        )}
        {route.view === 'settings' && settings && (
          <SettingsView settings={settings} onSaved={setSettings} />
        )}
        {route.view === 'activity' && <AuditView />}
      </main>
      <CommandPalette
        clusters={clusters}
        onOpenCluster={(clusterId) => setRoute({ view: 'detail', clusterId })}
      />
      {adding && (
        <ClusterDialog
          open
          onClose={() => setAdding(false)}
          onSaved={(v) => {
            setAdding(false)
            toast.show({
              title: `Added ${v.cluster.name}`,
              scope: scopeOf({ view: 'detail', clusterId: v.cluster.id }),
            })
            setRoute({ view: 'detail', clusterId: v.cluster.id })
          }}
        />
      )}
    </div>
  )
}

/** One entry of the main navigation: `current` marks the view on screen (aria-current). */
function NavLink({
  current,
  onClick,
  children,
}: {
  current: boolean
  onClick: () => void
  children: string
}) {
  return (
    <button
      type="button"
      className="nav-link"
      aria-current={current ? 'page' : undefined}
      onClick={onClick}
    >
      {children}
    </button>
  )
}
