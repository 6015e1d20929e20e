/** The benchmark's one result object and its table. */
import type { CliTokenResult } from './cliToken'
import type { CopyResult } from './copy'
import type { RefreshResult } from './refresh'
import type { RendererResult } from './renderer'
import type { SizeResult } from './size'
import type { StartupResult } from './startup'

export const TARGETS = {
  refreshRatioMax: 1.2,
  copyInProcessP99MsMax: 20,
} as const

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
  }
  durationSeconds: number
  targets: typeof TARGETS
  verdicts: {
    refreshKeychain: boolean
    refreshMemory: boolean
    copyInProcessP99: boolean
    cliTokenServedNoRefresh: boolean
  }
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

export function formatTable(r: BenchReport): string {
  const { refresh: f, copy: c, startup: s, renderer: d, size: z, cliToken: t } = r
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
      `0 refreshes ${ok(r.verdicts.cliTokenServedNoRefresh)}`,
    ],
    [
      '1',
      `Refresh pass, ${f.clusters} WEKA sessions, keychain (median of ${f.repeats})`,
      ms(f.keychain.engineMedianMs, 0),
      `bare undici loop ${ms(f.keychain.baselineMedianMs, 0)}`,
      x(f.keychain.ratio),
      `≤ ${TARGETS.refreshRatioMax}× ${ok(r.verdicts.refreshKeychain)}`,
    ],
    [
      '1',
      `Refresh pass, same engine, secrets in memory (median of ${f.repeats})`,
      ms(f.memory.engineMedianMs, 0),
      `bare undici loop ${ms(f.memory.baselineMedianMs, 0)}`,
      x(f.memory.ratio),
      `≤ ${TARGETS.refreshRatioMax}× ${ok(r.verdicts.refreshMemory)}`,
    ],
    [
      '1',
      'Keychain share of the pass (keychain − memory)',
      ms(f.keychainShareMs, 0),
      '',
      `${f.keychainMsPerWrite} ms per stored token`,
      '',
    ],
    [
      '1',
      'Engine concurrency: requests in flight (1 Agent per cluster)',
      `${f.keychain.engine.maxInFlight}`,
      `pool of ${f.keychain.baseline.poolConnections} conns, ${f.keychain.baseline.inFlightLimit} in flight`,
      `new sockets/pass: keychain ${f.keychain.engine.socketsOpened} vs ${f.keychain.baseline.socketsOpened}, memory ${f.memory.engine.socketsOpened} vs ${f.memory.baseline.socketsOpened}`,
      '',
    ],
    [
      '1',
      'Peak RSS during the refresh benchmark (sim + core)',
      mb(f.rss.peakRssBytes),
      '',
      `sampled every ${f.rss.everyMs} ms`,
      '',
    ],
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
      '',
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
    '',
    line(rows[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    '',
    'How to read these numbers: bench/README.md',
  ].join('\n')
}
