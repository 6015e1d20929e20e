import { useEffect, useState } from 'react'
import type { AppInfo } from '../../shared/contract'
import type { ClusterView } from '../../shared/model'
import { call, onEvent } from './api'
import { ClusterListView } from './views/ClusterListView'

export function App() {
  const [info, setInfo] = useState<AppInfo | undefined>()
  const [clusters, setClusters] = useState<ClusterView[] | undefined>()
  const [error, setError] = useState<string | undefined>()

  useEffect(() => {
    let live = true
    const load = () =>
      Promise.all([call('app:info', undefined), call('clusters:list', undefined)])
        .then(([i, c]) => {
          if (!live) return
          setInfo(i)
          setClusters(c)
        })
        .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
    void load()
    const off = onEvent((event) => {
      if (event.event === 'clusters:changed' || event.event === 'session:changed') void load()
    })
    return () => {
      live = false
      off()
    }
  }, [])

  return (
    <div className="app">
      <header className="topbar">
        <img className="logo" src="./logo.svg" alt="" width={24} height={24} />
        <h1>Tokendeck</h1>
        {info?.profile === 'demo' && <span className="badge">Demo</span>}
        {info?.secretStorage === 'session-only' && (
          <span className="badge warn" title="Secrets are kept in memory and forgotten when Tokendeck quits">
            This session only
          </span>
        )}
        <span className="spacer" />
        {info && <span className="muted">v{info.version}</span>}
      </header>
      <main>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {clusters && <ClusterListView clusters={clusters} demo={info?.profile === 'demo'} />}
      </main>
    </div>
  )
}
