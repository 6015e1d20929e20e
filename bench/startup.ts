/**
 * Figure 3, startup: open the 1,000-cluster registry and read every cluster's stored credential
 * the way the owner does at start: one getPassword per cluster (SecretStore.getCredential),
 * never a listing of the whole service — listing raced other processes in libsecret and crashed
 * them (node-keytar issue 477). The baseline is the registry open alone.
 *
 * The 1,000 secrets are the refresh tokens the refresh benchmark left under its throwaway
 * keychain service (one per cluster, what a signed-in profile holds); they are deleted here.
 */
import { ClusterRegistry } from '../src/main/core/clusters'
import type { SecretStore } from '../src/main/core/secrets'
import { CLUSTERS, progress, timed } from './common'
import { median, ratio, round, summarize, type Summary } from './stats'

export interface StartupResult {
  secrets: number
  /** registry open + one getCredential per cluster, ms, each run. */
  loadMs: number[]
  loadMedianMs: number
  /** of which opening the registry (clusters.json, schema-checked), median ms. */
  registryOpenMedianMs: number
  /** One getCredential, ms, over every call of every run. */
  singleGet: Summary
  /** load ÷ registry open alone: what reading the keychain adds to a cold start. */
  ratio: number | null
  /** Deleting the 1,000 entries afterwards (each a keyring write), ms — setup cost, not a figure. */
  cleanupMs: number
}

export async function benchStartup(
  keychain: SecretStore,
  registryDir: string,
  repeats: number,
): Promise<StartupResult> {
  const loadMs: number[] = []
  const registryMs: number[] = []
  const perCall: number[] = []
  let ids: string[] = []
  progress(
    `startup: registry open + ${CLUSTERS} getCredential, ${repeats + 1} runs (first is warm-up)`,
  )
  for (let r = 0; r <= repeats; r++) {
    const t0 = performance.now()
    const registry = await ClusterRegistry.open({ dir: registryDir })
    const t1 = performance.now()
    ids = registry.list().map((c) => c.id)
    const calls: number[] = []
    for (const id of ids) {
      const t = performance.now()
      const credential = await keychain.getCredential(id)
      calls.push(performance.now() - t)
      if (credential === undefined) throw new Error(`startup: no credential for ${id}`)
    }
    const t2 = performance.now()
    if (ids.length !== CLUSTERS)
      throw new Error(`startup: ${ids.length} clusters, expected ${CLUSTERS}`)
    if (r === 0) continue
    loadMs.push(t2 - t0)
    registryMs.push(t1 - t0)
    perCall.push(...calls)
    progress(`startup: run ${r}: ${(t2 - t0).toFixed(0)} ms (registry ${(t1 - t0).toFixed(1)} ms)`)
  }
  progress(`startup: deleting the ${CLUSTERS} keychain entries`)
  const cleanup = await timed(async () => {
    for (const id of ids) await keychain.deleteCredential(id)
  })
  for (const id of ids.slice(0, 10))
    if ((await keychain.getCredential(id)) !== undefined)
      throw new Error(`startup: the credential of ${id} is left after cleanup`)
  const s = summarize(perCall)
  return {
    secrets: CLUSTERS,
    loadMs: loadMs.map((v) => round(v, 1)),
    loadMedianMs: round(median(loadMs), 1),
    registryOpenMedianMs: round(median(registryMs), 2),
    singleGet: {
      n: s.n,
      min: round(s.min, 3),
      p50: round(s.p50, 3),
      p90: round(s.p90, 3),
      p99: round(s.p99, 3),
      max: round(s.max, 3),
      mean: round(s.mean, 3),
    },
    ratio: ratio(median(loadMs), median(registryMs)),
    cleanupMs: round(cleanup.ms, 0),
  }
}
