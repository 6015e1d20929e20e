/**
 * Figure 3, startup: open the 1,000-cluster registry and read every secret with ONE keychain
 * call (SecretStore.loadAll → findCredentials), against reading the same 1,000 secrets one
 * getPassword at a time (KeytarSecretStore.get per cluster).
 *
 * The 1,000 secrets are the refresh tokens the refresh benchmark left under its throwaway
 * keychain service (one per cluster, what a signed-in profile holds); they are deleted here.
 */
import { ClusterRegistry } from '../src/main/core/clusters'
import type { KeytarSecretStore } from '../src/main/core/secrets'
import { CLUSTERS, progress, timed } from './common'
import { median, ratio, round, summarize, type Summary } from './stats'

export interface StartupResult {
  secrets: number
  /** registry open + loadAll, ms, each run. */
  loadAllMs: number[]
  loadAllMedianMs: number
  /** of which opening the registry (clusters.json, schema-checked), median ms. */
  registryOpenMedianMs: number
  /** 1,000 × get, ms, each run. */
  singleGetsMs: number[]
  singleGetsMedianMs: number
  /** One get, ms, over every call of every run. */
  singleGet: Summary
  /** (registry open + loadAll) ÷ 1,000 single gets: below 1 is the point of loadAll. */
  ratio: number | null
  /** Deleting the 1,000 entries afterwards (each a keyring write), ms — setup cost, not a figure. */
  cleanupMs: number
}

export async function benchStartup(
  keychain: KeytarSecretStore,
  registryDir: string,
  repeats: number,
): Promise<StartupResult> {
  const loadAllMs: number[] = []
  const registryMs: number[] = []
  let ids: string[] = []
  progress(`startup: registry open + one findCredentials, ${repeats + 1} runs (first is warm-up)`)
  for (let r = 0; r <= repeats; r++) {
    const t0 = performance.now()
    const registry = await ClusterRegistry.open({ dir: registryDir })
    const t1 = performance.now()
    const all = await keychain.loadAll()
    const t2 = performance.now()
    ids = registry.list().map((c) => c.id)
    if (ids.length !== CLUSTERS || all.size !== CLUSTERS)
      throw new Error(
        `startup: ${ids.length} clusters and ${all.size} secrets, expected ${CLUSTERS} each`,
      )
    if (r === 0) continue
    loadAllMs.push(t2 - t0)
    registryMs.push(t1 - t0)
  }
  progress(`startup: ${CLUSTERS} single getPassword calls, ${repeats} runs`)
  const singleGetsMs: number[] = []
  const perCall: number[] = []
  for (let r = 0; r < repeats; r++) {
    const { ms } = await timed(async () => {
      for (const id of ids) {
        const t = performance.now()
        const value = await keychain.get({ clusterId: id, kind: 'refresh-token' })
        perCall.push(performance.now() - t)
        if (value === undefined) throw new Error(`startup: no secret for ${id}`)
      }
    })
    singleGetsMs.push(ms)
    progress(
      `startup: run ${r + 1}: loadAll ${loadAllMs[r]?.toFixed(1)} ms, single gets ${ms.toFixed(0)} ms`,
    )
  }
  progress(`startup: deleting the ${CLUSTERS} keychain entries`)
  const cleanup = await timed(async () => {
    for (const id of ids) await keychain.delete({ clusterId: id, kind: 'refresh-token' })
  })
  const left = await keychain.loadAll()
  if (left.size !== 0) throw new Error(`startup: ${left.size} keychain entries left after cleanup`)
  const s = summarize(perCall)
  return {
    secrets: CLUSTERS,
    loadAllMs: loadAllMs.map((v) => round(v, 2)),
    loadAllMedianMs: round(median(loadAllMs), 2),
    registryOpenMedianMs: round(median(registryMs), 2),
    singleGetsMs: singleGetsMs.map((v) => round(v, 1)),
    singleGetsMedianMs: round(median(singleGetsMs), 1),
    singleGet: {
      n: s.n,
      min: round(s.min, 3),
      p50: round(s.p50, 3),
      p90: round(s.p90, 3),
      p99: round(s.p99, 3),
      max: round(s.max, 3),
      mean: round(s.mean, 3),
    },
    ratio: ratio(median(loadAllMs), median(singleGetsMs)),
    cleanupMs: round(cleanup.ms, 0),
  }
}
