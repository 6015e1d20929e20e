/** The benchmark's one result object and its table. */
import type { CliTokenResult } from './cliToken'
import type { CopyResult } from './copy'
import type { PassSeries, RefreshResult } from './refresh'
import type { RendererResult } from './renderer'
import type { SizeResult } from './size'
import type { StartupResult } from './startup'
import { ratio, type Summary } from './stats'

export const TARGETS = {
  /** Every session fresh ÷ the best bare loop, memory and keychain store alike. */
  refreshFreshRatioMax: 1.2,
  /** Sessions left without a fresh token (or not active) by a pass beside the CPU hog. */
  hogFailedSessionsMax: 0,
  /** p99 of copies issued while the hogged pass was refreshing, ms. */
  copyDuringStormP99MsMax: 50,
  copyInProcessP99MsMax: 20,
  /** Refresh requests per `tokendeck token` served by a running owner. */
  cliTokenServedRefreshesMax: 0,
  /** 1,000-cluster list interactive ÷ the empty list. */
  rendererInteractiveRatioMax: 1.5,
  /** The same list grouped by tag interactive ÷ flat (issue 15: as fast as the flat list). */
  rendererGroupedVsFlatMax: 1.1,
} as const

export interface Verdicts {
  refreshFreshMemory: boolean
  refreshFreshKeychain: boolean
  hogFailedSessions: boolean
  copyDuringStormP99: boolean
  copyInProcessP99: boolean
  cliTokenServedNoRefresh: boolean
  rendererInteractiveRatio: boolean
  rendererGroupedVsFlat: boolean
}

/** Each figure against its target; a figure that could not be computed (null) misses. */
export function verdictsOf(r: {
  refresh: Pick<RefreshResult, 'memory' | 'keychain' | 'hog'>
  copy: Pick<CopyResult, 'inProcess'>
  cliToken: Pick<CliTokenResult, 'refreshesPerCallServed'>
  renderer: Pick<RendererResult, 'interactiveRatio'> & {
    grouped: Pick<RendererResult['grouped'], 'vsFlatRatio'>
  }
}): Verdicts {
  const atMost = (v: number | null | undefined, max: number) =>
    v !== null && v !== undefined && Number.isFinite(v) && v <= max
  const storm = r.refresh.hog.copyDuringStorm
  return {
    refreshFreshMemory: atMost(r.refresh.memory.freshRatio, TARGETS.refreshFreshRatioMax),
    refreshFreshKeychain: atMost(r.refresh.keychain.freshRatio, TARGETS.refreshFreshRatioMax),
    hogFailedSessions:
      r.refresh.hog.passes.length > 0 &&
      atMost(r.refresh.hog.failedSessions, TARGETS.hogFailedSessionsMax),
    copyDuringStormP99: atMost(storm.ms?.p99, TARGETS.copyDuringStormP99MsMax),
    copyInProcessP99: atMost(r.copy.inProcess.p99, TARGETS.copyInProcessP99MsMax),
    cliTokenServedNoRefresh: atMost(
      r.cliToken.refreshesPerCallServed,
      TARGETS.cliTokenServedRefreshesMax,
    ),
    rendererInteractiveRatio: atMost(
      r.renderer.interactiveRatio,
      TARGETS.rendererInteractiveRatioMax,
    ),
    rendererGroupedVsFlat: atMost(r.renderer.grouped.vsFlatRatio, TARGETS.rendererGroupedVsFlatMax),
  }
}

export interface BenchReport {
  benchmark: 'tokendeck'
  date: string
  machine: {
    cores: number
    cpu: string
    totalMemoryBytes: number
    node: string
    platform: string
    chromium: string
    /** os.loadavg() (1, 5, 15 min) when the run started and ended: other work on the machine. */
    loadAverage: { start: number[]; end: number[] }
  }
  durationSeconds: number
  targets: typeof TARGETS
  verdicts: Verdicts
  cliToken: CliTokenResult
  refresh: RefreshResult
  copy: CopyResult
  startup: StartupResult
  renderer: RendererResult
  size: SizeResult
}

const ms = (v: number, digits = 1) => `${v.toFixed(digits)} ms`
const x = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(2)}×`)
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`
const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`
const ok = (met: boolean) => (met ? 'met' : 'MISSED')

const pct = (s: Summary | null, digits = 1) =>
  s === null
    ? 'no requests'
    : `p50 ${ms(s.p50, digits)}, p99 ${ms(s.p99, digits)}, max ${ms(s.max, digits)}`

/** Figure 1's rows: the two stores, the bare loops, the crash window and the hogged passes. */
function refreshRows(r: BenchReport): string[][] {
  const f = r.refresh
  const v = r.verdicts
  const rows: string[][] = []
  const stores: Array<[string, PassSeries, boolean]> = [
    ['secrets in memory', f.memory, v.refreshFreshMemory],
    ['keychain', f.keychain, v.refreshFreshKeychain],
  ]
  for (const [name, p, met] of stores) {
    const base = `best bare loop ${ms(p.bestBareLoop.medianMs, 0)} (${p.bestBareLoop.concurrency} in flight)`
    rows.push(
      [
        '1',
        `Refresh ${f.clusters} WEKA sessions, ${name}: every access token fresh (median of ${f.repeats})`,
        ms(p.freshMedianMs, 0),
        base,
        x(p.freshRatio),
        `≤ ${TARGETS.refreshFreshRatioMax}× ${ok(met)}`,
      ],
      [
        '1',
        `  … and every rotated refresh token persisted`,
        ms(p.persistedMedianMs, 0),
        base,
        x(p.persistedRatio),
        '',
      ],
    )
  }
  rows.push(
    ...f.memory.bareLoops.map((l, i) => {
      const k = f.keychain.bareLoops[i]
      const won = [
        l.concurrency === f.memory.bestBareLoop.concurrency ? 'memory' : '',
        k?.concurrency === f.keychain.bestBareLoop.concurrency ? 'keychain' : '',
      ].filter(Boolean)
      return [
        '1',
        `  bare undici loop, ${l.concurrency} in flight (pool of ${l.concurrency}), memory / keychain series`,
        `${ms(l.medianMs, 0)} / ${k ? ms(k.medianMs, 0) : '-'}`,
        '',
        won.length > 0 ? `fastest (${won.join(', ')})` : '',
        '',
      ]
    }),
    [
      '1',
      `Bare loop with a new connection per request, ${f.memory.bareLoopNewConnectionEachRequest.concurrency} in flight (orientation)`,
      `${ms(f.memory.bareLoopNewConnectionEachRequest.medianMs, 0)} / ${ms(f.keychain.bareLoopNewConnectionEachRequest.medianMs, 0)}`,
      '',
      `engine fresh ÷ this: ${x(ratio(f.memory.freshMedianMs, f.memory.bareLoopNewConnectionEachRequest.medianMs))} / ${x(ratio(f.keychain.freshMedianMs, f.keychain.bareLoopNewConnectionEachRequest.medianMs))}`,
      '',
    ],
    [
      '1',
      'Engine: refreshes at once (setting) / requests in flight seen',
      `${f.memory.engineConcurrency} / ${f.memory.engine.maxInFlight}`,
      '',
      `new sockets per pass: engine ${f.memory.engine.socketsOpened}, best bare loop ${f.memory.bareLoops.find((l) => l.concurrency === f.memory.bestBareLoop.concurrency)?.socketsOpenedPerRun ?? '-'}`,
      '',
    ],
    [
      '1',
      'Crash window (server answer → refresh token stored), keychain',
      `p50 ${ms(f.keychain.crashWindowMs.p50, 0)}`,
      '',
      `p99 ${ms(f.keychain.crashWindowMs.p99, 0)}, max ${ms(f.keychain.crashWindowMs.max, 0)}; memory p99 ${ms(f.memory.crashWindowMs.p99, 0)}`,
      '',
    ],
    [
      '1',
      'Keychain share (keychain − memory): persisted / fresh',
      ms(f.keychainPersistShareMs, 0),
      '',
      `${f.keychainMsPerWrite} ms per stored token; fresh ${ms(f.keychainFreshShareMs, 0)}`,
      '',
    ],
  )
  for (const h of f.hog.passes) {
    const store = h.secretStore === 'memory' ? 'secrets in memory' : h.secretStore
    rows.push([
      '1',
      `Beside a CPU hog (${h.processes} spinning processes), ${store}: fresh / persisted`,
      `${ms(h.freshMs, 0)} / ${ms(h.persistedMs, 0)}`,
      'same pass, no hog',
      `${x(h.freshVsUnhogged)}; hog got ${h.hogCpuShare === null ? 'n/a' : `${Math.round(h.hogCpuShare * 100)} %`} CPU; loop delay p99 ${ms(h.eventLoopDelayMs.p99, 0)}` +
        (h.writesPendingWhenHogStopped > 0
          ? `; hog stopped at ${(h.hogMs / 1000).toFixed(0)} s, ${h.writesPendingWhenHogStopped} writes left`
          : ''),
      '',
    ])
  }
  const storm = f.hog.copyDuringStorm
  rows.push(
    [
      '1',
      'Failed sessions after the hogged passes',
      `${f.hog.failedSessions}`,
      '',
      f.hog.passes
        .map(
          (h) =>
            `${h.secretStore} ${h.failedSessions}` +
            (h.failedSessions > 0 ? ` ${JSON.stringify(h.failedStates)}` : ''),
        )
        .join(', '),
      `${TARGETS.hogFailedSessionsMax} ${ok(v.hogFailedSessions)}`,
    ],
    [
      '1',
      `Copy during the storm (hog, while refreshing; ${storm.requests} copies, ${storm.waitedForRefresh} waited for a refresh, ${storm.failed} failed)`,
      storm.ms === null ? 'no requests' : `p50 ${ms(storm.ms.p50, 1)}`,
      '',
      storm.ms === null
        ? ''
        : `p99 ${ms(storm.ms.p99, 1)}, max ${ms(storm.ms.max, 1)}; p99 waited ${storm.waitedMs ? ms(storm.waitedMs.p99, 1) : '-'}, cached ${storm.cachedMs ? ms(storm.cachedMs.p99, 1) : '-'}`,
      `p99 ≤ ${TARGETS.copyDuringStormP99MsMax} ms ${ok(v.copyDuringStormP99)}`,
    ],
    [
      '1',
      `  … the simulator ${
        f.hog.simulatorNice.nice === null
          ? `shared the hog’s CPU (nice could not be raised: ${f.hog.simulatorNice.refused ?? '?'})`
          : `ran at nice ${f.hog.simulatorNice.nice}, as a cluster on its own hardware`
      }`,
      '',
      '',
      f.hog.simulatorSharingTheHog?.copyDuringStorm.ms
        ? `at the hog’s priority instead (orientation): ${pct(f.hog.simulatorSharingTheHog.copyDuringStorm.ms)}, ${f.hog.simulatorSharingTheHog.failedSessions} failed sessions`
        : '',
      '',
    ],
    [
      '1',
      '  … the same timed from the scheduled moment (adds event-loop wait)',
      storm.sinceScheduledMs === null ? 'no requests' : `p50 ${ms(storm.sinceScheduledMs.p50, 1)}`,
      '',
      pct(storm.sinceScheduledMs),
      '',
    ],
    ...f.hog.passes.map((h) => [
      '1',
      `  … copies after every token was fresh, writes still running (${h.secretStore}, ${h.copyWhileWriting.requests})`,
      h.copyWhileWriting.ms === null ? 'no requests' : `p50 ${ms(h.copyWhileWriting.ms.p50, 1)}`,
      '',
      pct(h.copyWhileWriting.ms),
      '',
    ]),
    [
      '1',
      'Peak RSS during the refresh benchmark (sim + core)',
      mb(f.rss.peakRssBytes),
      '',
      `sampled every ${f.rss.everyMs} ms`,
      '',
    ],
  )
  return rows
}

export function formatTable(r: BenchReport): string {
  const { copy: c, startup: s, renderer: d, size: z, cliToken: t } = r
  const rows: string[][] = [
    ['#', 'Figure', 'Measured', 'Baseline', 'Ratio / stat', 'Target'],
    [
      '0',
      `tokendeck token, cold CLI owning for itself (median of ${t.calls})`,
      ms(t.coldMs.p50, 0),
      `node -e 0 ${ms(t.floorMs.p50, 0)}`,
      `${x(t.coldVsFloor)}; ${t.refreshesPerCallCold} refreshes/call`,
      '',
    ],
    [
      '0',
      `tokendeck token, served by a running owner (median of ${t.calls})`,
      ms(t.servedMs.p50, 0),
      `node -e 0 ${ms(t.floorMs.p50, 0)}`,
      `${x(t.servedVsFloor)} (${x(t.servedVsCold)} of cold); ${t.refreshesPerCallServed} refreshes/call`,
      `${TARGETS.cliTokenServedRefreshesMax} refreshes ${ok(r.verdicts.cliTokenServedNoRefresh)}`,
    ],
    ...refreshRows(r),
    [
      '2',
      `Copy, in process (${c.inProcess.n} calls)`,
      `p50 ${ms(c.inProcess.p50, 3)}`,
      '',
      `p99 ${ms(c.inProcess.p99, 3)}`,
      `p99 ≤ ${TARGETS.copyInProcessP99MsMax} ms ${ok(r.verdicts.copyInProcessP99)}`,
    ],
    [
      '2',
      `Copy, Chromium → bridge (${c.bridge.n} calls)`,
      `p50 ${ms(c.bridge.p50, 3)}`,
      '',
      `p99 ${ms(c.bridge.p99, 3)}`,
      '',
    ],
    [
      '3',
      `Startup: registry + ${s.secrets} × getCredential (one getPassword each)`,
      ms(s.loadMedianMs, 0),
      `registry open alone ${ms(s.registryOpenMedianMs, 1)}`,
      `${x(s.ratio)}; one get p50 ${ms(s.singleGet.p50, 2)}, p99 ${ms(s.singleGet.p99, 2)}`,
      '',
    ],
    [
      '4',
      `Renderer: ${d.clusters}-cluster list interactive (median of ${d.runs})`,
      ms(d.interactiveMedianMs, 0),
      `0 clusters ${ms(d.emptyInteractiveMedianMs, 0)}`,
      x(d.interactiveRatio),
      `≤ ${TARGETS.rendererInteractiveRatioMax}× ${ok(r.verdicts.rendererInteractiveRatio)}`,
    ],
    [
      '4',
      `Renderer: full scroll, ${d.scroll.steps} steps of ${d.scroll.stepPx} px`,
      ms(d.scroll.totalMedianMs, 0),
      `${d.scroll.steps} × idle frame ${ms(d.scroll.idleFrameMs, 1)}`,
      `${x(d.scroll.ratio)}; frame p99 ${ms(d.scroll.frameP99Ms, 1)}`,
      '',
    ],
    [
      '4',
      `Renderer: the same list grouped by ${d.grouped.groupBy}, interactive`,
      ms(d.grouped.interactiveMedianMs, 0),
      `flat ${ms(d.interactiveMedianMs, 0)}`,
      `${x(d.grouped.vsFlatRatio)} of flat; ${x(d.grouped.interactiveRatio)} of empty; scroll frame p99 ${ms(d.grouped.frameP99Ms, 1)}`,
      `≤ ${TARGETS.rendererGroupedVsFlatMax}× of flat ${ok(r.verdicts.rendererGroupedVsFlat)}`,
    ],
    [
      '5',
      'Renderer bundle (assets/*.js + *.css)',
      kb(z.renderer.bytes),
      '',
      `gzip ${kb(z.renderer.gzipBytes)}`,
      '',
    ],
    ['5', 'Main bundle (out/main)', kb(z.main.bytes), '', `gzip ${kb(z.main.gzipBytes)}`, ''],
    ['5', 'Preload (out/preload)', kb(z.preload.bytes), '', `gzip ${kb(z.preload.gzipBytes)}`, ''],
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)))
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  const m = r.machine
  return [
    `Tokendeck benchmark — ${r.date}`,
    `${m.cores} cores (${m.cpu}), ${mb(m.totalMemoryBytes)} RAM, Node ${m.node}, ${m.platform}, Chromium ${m.chromium}; run took ${r.durationSeconds.toFixed(0)} s`,
    `load average (1/5/15 min) at start ${m.loadAverage.start.join(' / ')}, at end ${m.loadAverage.end.join(' / ')}`,
    '',
    line(rows[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    '',
    'How to read these numbers: bench/README.md',
  ].join('\n')
}
