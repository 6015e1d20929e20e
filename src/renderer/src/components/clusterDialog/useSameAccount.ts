import { useEffect, useState } from 'react'
import type { Cluster } from '../../../../shared/model'
import { sameServer } from '../../../../shared/sameServer'
import { call } from '../../api'

/**
 * Clusters already signing in to `url` as `username` (only while adding: `active`). A second
 * entry is allowed, but the two share the account and its lockout, so the dialog says so, as
 * `tokendeck clusters add` does.
 */
export function useSameAccount(active: boolean, url: string, username: string): Cluster[] {
  const [known, setKnown] = useState<Cluster[]>([])
  useEffect(() => {
    if (!active) return
    let current = true
    call('clusters:list', undefined)
      .then((views) => current && setKnown(views.map((v) => v.cluster)))
      .catch(() => undefined) // only a warning: without the list there is nothing to warn of
    return () => {
      current = false
    }
  }, [active])
  const user = username.trim()
  if (!active || !user || !url.trim()) return []
  return known.filter((c) => c.username === user && sameServer(c.url, url.trim()))
}
