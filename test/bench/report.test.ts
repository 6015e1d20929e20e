import { describe, expect, it } from 'vitest'
import { TARGETS, verdictsOf } from '../../bench/report'
import type { StormSummary } from '../../bench/storm'
import type { Summary } from '../../bench/stats'

const summary = (p99: number): Summary => ({
  n: 100,
  min: 0,
  p50: p99 / 2,
  p90: p99,
  p99,
  max: p99,
  mean: p99 / 2,
})
const storm = (p99: number | null): StormSummary => ({
  requests: p99 === null ? 0 : 100,
  failed: 0,
  waitedForRefresh: 0,
  ms: p99 === null ? null : summary(p99),
  sinceScheduledMs: p99 === null ? null : summary(p99),
  waitedMs: null,
  cachedMs: null,
  errors: [],
})

function input(o: {
  memory?: number | null
  keychain?: number | null
  failed?: number
  passes?: number
  stormP99?: number | null
  copyP99?: number
  cliRefreshes?: number
  renderer?: number | null
  groupedVsFlat?: number | null
}) {
  return {
    refresh: {
      memory: { freshRatio: o.memory === undefined ? 1.1 : o.memory },
      keychain: { freshRatio: o.keychain === undefined ? 1.15 : o.keychain },
      hog: {
        failedSessions: o.failed ?? 0,
        passes: new Array(o.passes ?? 2).fill({}),
        copyDuringStorm: storm(o.stormP99 === undefined ? 30 : o.stormP99),
      },
    },
    copy: { inProcess: summary(o.copyP99 ?? 1) },
    cliToken: { refreshesPerCallServed: o.cliRefreshes ?? 0 },
    renderer: {
      interactiveRatio: o.renderer === undefined ? 1.3 : o.renderer,
      grouped: { vsFlatRatio: o.groupedVsFlat === undefined ? 1.05 : o.groupedVsFlat },
    },
  } as unknown as Parameters<typeof verdictsOf>[0]
}

describe('verdictsOf', () => {
  it('meets every target when each figure is within it (bounds inclusive)', () => {
    expect(Object.values(verdictsOf(input({})))).toEqual(new Array(8).fill(true))
    const edge = verdictsOf(
      input({
        memory: TARGETS.refreshFreshRatioMax,
        keychain: TARGETS.refreshFreshRatioMax,
        stormP99: TARGETS.copyDuringStormP99MsMax,
        copyP99: TARGETS.copyInProcessP99MsMax,
        renderer: TARGETS.rendererInteractiveRatioMax,
        groupedVsFlat: TARGETS.rendererGroupedVsFlatMax,
      }),
    )
    expect(Object.values(edge).every(Boolean)).toBe(true)
  })

  it('misses each target on its own figure', () => {
    expect(verdictsOf(input({ memory: 1.21 })).refreshFreshMemory).toBe(false)
    expect(verdictsOf(input({ keychain: 3 })).refreshFreshKeychain).toBe(false)
    expect(verdictsOf(input({ failed: 1 })).hogFailedSessions).toBe(false)
    expect(verdictsOf(input({ stormP99: 50.1 })).copyDuringStormP99).toBe(false)
    expect(verdictsOf(input({ copyP99: 21 })).copyInProcessP99).toBe(false)
    expect(verdictsOf(input({ cliRefreshes: 0.1 })).cliTokenServedNoRefresh).toBe(false)
    expect(verdictsOf(input({ renderer: 1.6 })).rendererInteractiveRatio).toBe(false)
    const one = verdictsOf(input({ renderer: 1.6 }))
    expect(Object.values(one).filter((v) => !v)).toHaveLength(1)
    // Grouped 1.3× as long as flat (what it was before the settings came with the list).
    const grouped = verdictsOf(input({ groupedVsFlat: 1.3 }))
    expect(grouped.rendererGroupedVsFlat).toBe(false)
    expect(Object.values(grouped).filter((v) => !v)).toHaveLength(1)
    expect(verdictsOf(input({ groupedVsFlat: 1.11 })).rendererGroupedVsFlat).toBe(false)
  })

  it('a figure that could not be measured misses', () => {
    expect(verdictsOf(input({ memory: null })).refreshFreshMemory).toBe(false)
    expect(verdictsOf(input({ renderer: null })).rendererInteractiveRatio).toBe(false)
    expect(verdictsOf(input({ groupedVsFlat: null })).rendererGroupedVsFlat).toBe(false)
    expect(verdictsOf(input({ stormP99: null })).copyDuringStormP99).toBe(false)
    // No hogged pass ran: 0 failures proves nothing.
    expect(verdictsOf(input({ passes: 0 })).hogFailedSessions).toBe(false)
  })
})
