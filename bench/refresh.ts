/**
 * Figure 1, the refresh engine: 1,000 signed-in WEKA sessions, all due, refreshed by one
 * scheduler pass, against the best bare undici loop sending the same 1,000
 * POST /api/v2/login/refresh requests.
 *
 * Each pass is timed twice: until every session holds a fresh access token (`sessions.tick()`
 * resolved; the keychain writes may still be running behind) and until every rotated refresh
 * token is stored (`sessions.writer.flush()` resolved). The bare loop is run at several
 * concurrencies (one undici Pool with that many connections each) and the fastest median is the
 * baseline. Then one more pass per store runs beside a CPU hog (a spinning child process per
 * core) while copy requests arrive every 20 ms.
 *
 * One WEKA simulator (1,000 seeded users) and the core share a BenchClock, so "all due" is one
 * `clock.advance`, not a five-minute wait. The sim runs in a worker thread of its own
 * (bench/simThread.ts), as a real cluster runs on another machine: its TLS and token signing
 * share the machine's cores with the engine and the baseline, but not their event loop.
 */
import { randomUUID } from 'node:crypto'
import os from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Pool } from 'undici'
import { startCore, type Core } from '../src/main/core/startCore'
import { KeytarSecretStore, SwitchableSecretStore } from '../src/main/core/secrets'
import { MemoryClipboard } from '../src/main/core/clipboard/clipboardService'
import type { WekaSeedUser } from '../test/sim/weka/options'
import { BenchClock } from './clock'
import { startSimThread, type SimThread } from './simThread'
import type { SimNice } from './simWorker'
import {
  CLUSTERS,
  cloneDataDir,
  makeRegistryDir,
  mapLimit,
  progress,
  removeDir,
  rssSampler,
  timed,
  wekaUser,
} from './common'
import { startCpuHog } from './hog'
import { fastest, median, ratio, round, seededRandom, summarize, type Summary } from './stats'
import { startCopyStorm, summarizeStorm, type StormCopy, type StormSummary } from './storm'
import { UndiciWatch, type WatchWindow } from './undiciWatch'

/** Sign-ins in flight at once while setting up (not measured). */
export const SIGN_IN_CONCURRENCY = 32
/** One access-token lifetime (the sim's default, 300 s): every session is past its expiry. */
const ADVANCE_MS = 300_000
/** The bare loop is run at each of these concurrencies (pool connections = requests in flight). */
export const BARE_LOOP_CONCURRENCIES = [4, 8, 16, 32, 64] as const
/** A copy request every this many ms during each hogged pass. */
export const STORM_EVERY_MS = 20
/** The longest a hog (and its copy storm) runs; see hogPass. */
export const HOG_MAX_MS = 180_000
/**
 * The simulator thread's nice value (bench/simWorker.ts): it stands for a cluster on hardware of
 * its own, which the CPU hog on the admin's machine does not slow down. Without the permission
 * to raise it (root or CAP_SYS_NICE) the simulator shares the hog's CPU, and the result says so.
 */
export const SIM_NICE = -15
/** Seed of the storm's cluster picks (the same clusters in the same order every run). */
export const STORM_SEED = 20_261_123

export interface BareLoopRow {
  /** Requests in flight and pool connections (equal). */
  concurrency: number
  /** Each timed run, ms, in run order. */
  runsMs: number[]
  medianMs: number
  /** New sockets the pool opened per timed run (max): keep-alive makes this ≤ concurrency. */
  socketsOpenedPerRun: number
}

export interface PassSeries {
  secretStore: string
  /** Background refreshes at once: the engine's setting (`refreshConcurrency`). */
  engineConcurrency: number
  /** Wall time of each timed pass until every session held a fresh access token, ms. */
  freshMs: number[]
  freshMedianMs: number
  /** Wall time of each timed pass until every rotated refresh token was stored, ms. */
  persistedMs: number[]
  persistedMedianMs: number
  /** The bare loop at each concurrency tried, interleaved with the engine's passes. */
  bareLoops: BareLoopRow[]
  /** The fastest bare loop (lowest median): the baseline. */
  bestBareLoop: { concurrency: number; medianMs: number }
  /** freshMedianMs ÷ the best bare loop's median (target ≤ 1.2). */
  freshRatio: number | null
  /** persistedMedianMs ÷ the best bare loop's median (no target: the keychain's cost). */
  persistedRatio: number | null
  /**
   * For orientation, not the baseline: the bare loop at the engine's concurrency with a new
   * connection (TLS handshake) for every request, as 1,000 separate clusters need.
   */
  bareLoopNewConnectionEachRequest: { concurrency: number; runsMs: number[]; medianMs: number }
  /** Server answer → refresh token stored, ms, over every write of the timed passes. */
  crashWindowMs: Summary
  /** Requests in flight and sockets the engine used in its timed passes (max over passes). */
  engine: WatchWindow
}

export interface HogPass {
  secretStore: string
  processes: number
  freshMs: number
  /** Until every rotated token was stored; the hog may have stopped before (hogMs). */
  persistedMs: number
  /** How long the hog and the copy storm ran, ms: the whole pass, or HOG_MAX_MS. */
  hogMs: number
  /** Rotated tokens still waiting for the keychain when the hog stopped (0: it lasted the pass). */
  writesPendingWhenHogStopped: number
  /** freshMs ÷ the same store's unhogged fresh median. */
  freshVsUnhogged: number | null
  refreshes: number
  /**
   * Sessions without a fresh access token when tick() resolved, or not active once the writes
   * were flushed (target 0).
   */
  failedSessions: number
  /** Session states other than active after the pass, with counts. */
  failedStates: Record<string, number>
  /** What the hog children got while they ran: CPU seconds ÷ (hogMs × cores); null off Linux. */
  hogCpuShare: number | null
  /** Event-loop delay of this process during the pass, ms. */
  eventLoopDelayMs: { p50: number; p99: number; max: number }
  crashWindowMs: Summary
  /** Copies issued while the refreshes were running (advance → every token fresh). */
  copyWhileRefreshing: StormSummary
  /** Copies issued after every token was fresh, while rotated tokens were still being stored. */
  copyWhileWriting: StormSummary
}

export interface RefreshResult {
  clusters: number
  repeats: number
  setup: { signInMs: number; signInConcurrency: number }
  keychain: PassSeries
  memory: PassSeries
  /** Keychain − memory, fresh medians: what storing behind still costs the refreshes. */
  keychainFreshShareMs: number
  /** Keychain − memory, persisted medians: the time spent storing the 1,000 rotated tokens. */
  keychainPersistShareMs: number
  /** keychainPersistShareMs ÷ clusters. */
  keychainMsPerWrite: number
  hog: {
    processes: number
    copyEveryMs: number
    /**
     * The simulator thread's nice value during the hogged passes (SIM_NICE: it stands for a
     * cluster on its own hardware), or null with the reason it shared the hog's CPU.
     */
    simulatorNice: SimNice
    passes: HogPass[]
    /** Sum over the hogged passes (target 0). */
    failedSessions: number
    /** Copies issued while refreshes ran, over every hogged pass (the storm figure). */
    copyDuringStorm: StormSummary
    /**
     * For orientation, not a target: one more memory pass with the simulator at the hog's
     * priority, as if the cluster ran on the admin's busy machine (how this figure was measured
     * before the simulator got its own priority). Null when the simulator shared it anyway.
     */
    simulatorSharingTheHog: { failedSessions: number; copyDuringStorm: StormSummary } | null
  }
  rss: { peakRssBytes: number; samples: number; everyMs: number; maxRssBytes: number }
}

/** What the later benchmarks reuse: a core with 1,000 active sessions on the sim, secrets in memory. */
export interface LiveCore {
  core: Core
  /** Frozen after the refresh benchmark: cached tokens stay valid whatever the later figures take. */
  clock: BenchClock
  sim: SimThread
  registryTemplate: string
  /** The keychain service now holding the 1,000 rotated refresh tokens (startup reads them). */
  keychain: KeytarSecretStore
  close(): Promise<void>
}

export interface Bench {
  core: Core
  clock: BenchClock
  sim: SimThread
  watch: UndiciWatch
  ids: string[]
}

interface PassResult {
  freshMs: number
  persistedMs: number
  window: WatchWindow
  crashWindowsMs: number[]
  refreshes: number
  /** Sessions without a fresh access token when tick() resolved. */
  notFresh: string[]
  /** Non-active states after the writes were flushed, with counts. */
  failedStates: Record<string, number>
  failedAfterFlush: number
  pendingAfterFlush: number
}

function sumRefreshes(core: Core): number {
  let n = 0
  for (const v of core.sessions.refreshCount.values()) n += v
  return n
}

function isFresh(b: Bench, id: string): boolean {
  const s = b.core.sessions.state(id)
  const marginMs = b.core.registry.getSettings().refreshMarginSeconds * 1000
  return s.state === 'active' && s.expiresAt !== undefined && s.expiresAt > b.clock.now() + marginMs
}

/**
 * One scheduler pass: jump the clock (every session due), `tick()` (resolves when the due
 * refreshes finished: every access token fresh), then `writer.flush()` (every rotated refresh
 * token tried in the store). `phase.current` says which part is running, for the copy storm.
 */
async function enginePass(
  b: Bench,
  opts: { strict: boolean; phase?: { current: string } },
): Promise<PassResult> {
  const { core, clock, watch, ids } = b
  clock.advance(ADVANCE_MS)
  const before = sumRefreshes(core)
  core.sessions.writer.windowsMs.splice(0) // the crash windows of this pass only
  if (opts.phase) opts.phase.current = 'refreshing'
  watch.begin()
  const t0 = performance.now()
  await core.sessions.tick()
  const t1 = performance.now()
  const notFresh = ids.filter((id) => !isFresh(b, id))
  if (opts.phase) opts.phase.current = 'writing'
  await core.sessions.idle() // nothing should be left; copies may have started refreshes
  await core.sessions.writer.flush()
  const t2 = performance.now()
  if (opts.phase) opts.phase.current = 'after'
  const window = watch.end()
  const refreshes = sumRefreshes(core) - before
  // Failed: no fresh access token when tick() resolved, or not active once the writes were
  // flushed (a failed keychain write turns a session 'failed'). Freshness is not checked again
  // after the flush: the clock keeps running, and a long flush is the keychain's, not a refresh's.
  const failedStates: Record<string, number> = {}
  const notFreshSet = new Set(notFresh)
  let failedAfterFlush = 0
  for (const id of ids) {
    const s = core.sessions.state(id)
    if (s.state === 'active' && !notFreshSet.has(id)) continue
    failedAfterFlush++
    const key = s.state === 'failed' ? `failed:${s.error.code}` : s.state
    failedStates[key] = (failedStates[key] ?? 0) + 1
  }
  const pendingAfterFlush = ids.filter((id) => core.sessions.writer.isPending(id)).length
  const result: PassResult = {
    freshMs: t1 - t0,
    persistedMs: t2 - t0,
    window,
    crashWindowsMs: core.sessions.writer.windowsMs.splice(0),
    refreshes,
    notFresh,
    failedStates,
    failedAfterFlush,
    pendingAfterFlush,
  }
  if (
    opts.strict &&
    (refreshes !== ids.length ||
      notFresh.length > 0 ||
      failedAfterFlush > 0 ||
      pendingAfterFlush > 0)
  ) {
    const first = notFresh[0] ?? ids.find((id) => core.sessions.state(id).state !== 'active') ?? ''
    throw new Error(
      `refresh pass: ${refreshes} refreshes for ${ids.length} sessions, ${notFresh.length} without a fresh token when tick() resolved, ` +
        `${failedAfterFlush} not active after the writes (${JSON.stringify(failedStates)}), ${pendingAfterFlush} writes pending ` +
        `(first: ${JSON.stringify(core.sessions.state(first))})`,
    )
  }
  return result
}

function newPool(url: string, connections: number): Pool {
  // Same TLS settings as the engine's pinned connector (no CA check, no session resumption), so
  // every new connection is a full handshake on both sides.
  return new Pool(url, {
    connections,
    allowH2: false,
    connect: { rejectUnauthorized: false, maxCachedSessions: 0 },
  })
}

/**
 * The baseline: the same requests (POST /api/v2/login/refresh, JSON `{refresh_token}`, valid
 * tokens the sim issued to the engine), each reply read to the end and parsed, `inFlight` at a
 * time through `pool`. The pool lives for the whole series, so its connections are reused
 * (keep-alive) unless `newConnection` asks for one per request.
 */
async function bareLoop(
  pool: Pool,
  tokens: readonly string[],
  inFlight: number,
  newConnection = false,
): Promise<number> {
  const { ms } = await timed(() =>
    mapLimit(tokens, inFlight, async (token) => {
      const res = await pool.request({
        path: '/api/v2/login/refresh',
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: token }),
        ...(newConnection ? { reset: true } : {}),
      })
      const text = await res.body.text()
      if (res.statusCode !== 200) throw new Error(`bare loop: refresh answered ${res.statusCode}`)
      JSON.parse(text)
    }),
  )
  return ms
}

function maxWindow(ws: readonly WatchWindow[]): WatchWindow {
  return {
    maxInFlight: Math.max(...ws.map((w) => w.maxInFlight)),
    requests: Math.max(...ws.map((w) => w.requests)),
    socketsOpened: Math.max(...ws.map((w) => w.socketsOpened)),
    maxOpenSockets: Math.max(...ws.map((w) => w.maxOpenSockets)),
  }
}

function roundedSummary(values: readonly number[]): Summary {
  const s = summarize(values.length > 0 ? values : [0])
  return {
    n: values.length,
    min: round(s.min, 1),
    p50: round(s.p50, 1),
    p90: round(s.p90, 1),
    p99: round(s.p99, 1),
    max: round(s.max, 1),
    mean: round(s.mean, 1),
  }
}

/**
 * Warm-up (engine pass, each bare loop once), then `repeats` × (engine pass, every bare loop),
 * the bare loops in a rotating order so drift hits each concurrency alike.
 */
export async function series(label: string, b: Bench, repeats: number): Promise<PassSeries> {
  const { core, sim, watch } = b
  const tokens = () => b.ids.map((id) => core.sessions.storedCredential(id)!)
  const engineConcurrency = core.registry.getSettings().refreshConcurrency
  progress(`refresh/${label}: warm-up pass (engine concurrency ${engineConcurrency})`)
  const warm = await enginePass(b, { strict: true })
  const loops = BARE_LOOP_CONCURRENCIES.map((concurrency) => ({
    concurrency,
    pool: newPool(sim.url, concurrency),
    runsMs: [] as number[],
    sockets: [] as number[],
  }))
  const fresh = {
    concurrency: engineConcurrency,
    pool: newPool(sim.url, engineConcurrency),
    runsMs: [] as number[],
  }
  try {
    progress(
      `refresh/${label}: warm-up took ${warm.freshMs.toFixed(0)} ms fresh, ${warm.persistedMs.toFixed(0)} ms persisted; ` +
        `bare-loop warm-up at ${BARE_LOOP_CONCURRENCIES.join(', ')} in flight`,
    )
    for (const l of loops) await bareLoop(l.pool, tokens(), l.concurrency)
    await bareLoop(fresh.pool, tokens(), fresh.concurrency, true)
    const passes: PassResult[] = []
    for (let r = 0; r < repeats; r++) {
      const pass = await enginePass(b, { strict: true })
      passes.push(pass)
      const order = loops.map((_, i) => loops[(i + r) % loops.length]!)
      const line: string[] = []
      for (const l of order) {
        watch.begin()
        const ms = await bareLoop(l.pool, tokens(), l.concurrency)
        l.runsMs.push(ms)
        l.sockets.push(watch.end().socketsOpened)
        line.push(`${l.concurrency}: ${ms.toFixed(0)}`)
      }
      const fms = await bareLoop(fresh.pool, tokens(), fresh.concurrency, true)
      fresh.runsMs.push(fms)
      progress(
        `refresh/${label} ${r + 1}/${repeats}: engine fresh ${pass.freshMs.toFixed(0)} ms, persisted ${pass.persistedMs.toFixed(0)} ms ` +
          `(${pass.window.maxInFlight} in flight, ${pass.window.socketsOpened} new sockets); ` +
          `bare loop ms by concurrency ${line.join(', ')}; new connection each request ${fms.toFixed(0)}`,
      )
    }
    const bareLoops: BareLoopRow[] = loops.map((l) => ({
      concurrency: l.concurrency,
      runsMs: l.runsMs.map((v) => round(v, 1)),
      medianMs: round(median(l.runsMs), 1),
      socketsOpenedPerRun: Math.max(...l.sockets),
    }))
    const best = fastest(bareLoops)
    const freshMs = passes.map((p) => p.freshMs)
    const persistedMs = passes.map((p) => p.persistedMs)
    return {
      secretStore: label,
      engineConcurrency,
      freshMs: freshMs.map((v) => round(v, 1)),
      freshMedianMs: round(median(freshMs), 1),
      persistedMs: persistedMs.map((v) => round(v, 1)),
      persistedMedianMs: round(median(persistedMs), 1),
      bareLoops,
      bestBareLoop: { concurrency: best.concurrency, medianMs: best.medianMs },
      freshRatio: ratio(median(freshMs), best.medianMs),
      persistedRatio: ratio(median(persistedMs), best.medianMs),
      bareLoopNewConnectionEachRequest: {
        concurrency: fresh.concurrency,
        runsMs: fresh.runsMs.map((v) => round(v, 1)),
        medianMs: round(median(fresh.runsMs), 1),
      },
      crashWindowMs: roundedSummary(passes.flatMap((p) => p.crashWindowsMs)),
      engine: maxWindow(passes.map((p) => p.window)),
    }
  } finally {
    await Promise.all([...loops.map((l) => l.pool.close()), fresh.pool.close()])
  }
}

/**
 * One pass beside a CPU hog (a spinning child per core), with a copy request of a random
 * cluster every STORM_EVERY_MS from the clock jump until the writes are flushed. Failures are
 * counted, not thrown: this pass is about what breaks under load.
 *
 * The hog (and the storm) stop when the pass ends or after HOG_MAX_MS, whichever comes first:
 * under a hog gnome-keyring needs a quarter of a second or more per token at 1,000 entries,
 * so the keychain pass's writes alone would keep both cores spinning for many minutes. The
 * writes left when the hog stopped are reported (`writesPendingWhenHogStopped`); the pass then
 * finishes unhogged.
 */
export async function hogPass(
  label: string,
  b: Bench,
  unhoggedFreshMedianMs: number,
  random: () => number,
): Promise<{ pass: HogPass; copies: StormCopy[] }> {
  const processes = os.availableParallelism()
  progress(`refresh/${label} + CPU hog: starting ${processes} spinning processes`)
  const hog = await startCpuHog(processes)
  let hogStopped = false
  try {
    // Let the scheduler see them spinning before the pass starts.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const delay = monitorEventLoopDelay({ resolution: 10 })
    const phase = { current: 'before' }
    const cpu0 = hog.cpuSeconds()
    const wall0 = performance.now()
    delay.enable()
    const storm = startCopyStorm({
      ids: b.ids,
      everyMs: STORM_EVERY_MS,
      random,
      copy: async (clusterId) => {
        const r = await b.core.dispatcher.invoke('session:copyAccessToken', { clusterId })
        return r.ok ? undefined : r.error.code
      },
      isFresh: (id) => isFresh(b, id),
      phase: () => phase.current,
    })
    // Ends the hogged part: stops the storm and the hog, notes what the hog got.
    let ended:
      | Promise<{ copies: StormCopy[]; hogMs: number; cpu: number | undefined; pending: number }>
      | undefined
    const endHog = () =>
      (ended ??= (async () => {
        const hogMs = performance.now() - wall0
        const cpu = hog.cpuSeconds()
        const pending = b.ids.filter((id) => b.core.sessions.writer.isPending(id)).length
        delay.disable()
        const copies = await storm.stop()
        await hog.stop()
        hogStopped = true
        return { copies, hogMs, cpu, pending }
      })())
    const cap = setTimeout(() => {
      progress(
        `refresh/${label} + CPU hog: ${HOG_MAX_MS / 1000} s reached; stopping the hog, the pass goes on`,
      )
      void endHog()
    }, HOG_MAX_MS)
    let pass: PassResult
    try {
      pass = await enginePass(b, { strict: false, phase })
    } finally {
      clearTimeout(cap)
      await endHog()
    }
    const end = await endHog()
    const cappedByTime = end.hogMs < pass.persistedMs
    const hogCpuShare =
      cpu0 !== undefined && end.cpu !== undefined
        ? round((end.cpu - cpu0) / ((end.hogMs / 1000) * os.availableParallelism()), 2)
        : null
    const copies = end.copies
    const refreshing = summarizeStorm(copies, 'refreshing')
    const writing = summarizeStorm(copies, 'writing')
    progress(
      `refresh/${label} + CPU hog: fresh ${pass.freshMs.toFixed(0)} ms, persisted ${pass.persistedMs.toFixed(0)} ms` +
        (cappedByTime
          ? ` (hog stopped at ${end.hogMs.toFixed(0)} ms with ${end.pending} writes pending)`
          : '') +
        `, ${pass.failedAfterFlush} failed sessions, hog CPU share ${hogCpuShare ?? 'n/a'}; ` +
        `${refreshing.requests} copies while refreshing (p99 ${refreshing.ms?.p99.toFixed(1) ?? '-'} ms, ${refreshing.failed} failed), ` +
        `${writing.requests} while writing`,
    )
    return {
      copies,
      pass: {
        secretStore: label,
        processes,
        freshMs: round(pass.freshMs, 1),
        persistedMs: round(pass.persistedMs, 1),
        hogMs: round(end.hogMs, 0),
        writesPendingWhenHogStopped: cappedByTime ? end.pending : 0,
        freshVsUnhogged: ratio(pass.freshMs, unhoggedFreshMedianMs),
        refreshes: pass.refreshes,
        failedSessions: pass.failedAfterFlush,
        failedStates: pass.failedStates,
        hogCpuShare,
        eventLoopDelayMs: {
          p50: round(delay.percentile(50) / 1e6, 1),
          p99: round(delay.percentile(99) / 1e6, 1),
          max: round(delay.max / 1e6, 1),
        },
        crashWindowMs: roundedSummary(pass.crashWindowsMs),
        copyWhileRefreshing: refreshing,
        copyWhileWriting: writing,
      },
    }
  } finally {
    if (!hogStopped) await hog.stop()
    progress(`refresh/${label} + CPU hog: hog stopped`)
  }
}

/**
 * Runs `work` with the simulator thread at `nice`, then puts back SIM_NICE (root may lower a
 * nice value again; the passes that need it ran before this one).
 */
export async function withSimulatorNice<T>(
  sim: SimThread,
  nice: number,
  work: () => Promise<T>,
): Promise<T> {
  await sim.setNice(nice)
  try {
    return await work()
  } finally {
    const back = await sim.setNice(SIM_NICE)
    if (back.refused !== undefined)
      progress(`refresh: the simulator thread stays at nice ${nice} (${back.refused})`)
  }
}

/** A core with 1,000 signed-in sessions on one simulator, and what the passes need. */
export interface RefreshSetup {
  b: Bench
  store: SwitchableSecretStore
  keychain: KeytarSecretStore
  registryTemplate: string
  dataDir: string
  signInMs: number
  /** The simulator thread's nice value (SIM_NICE), or null with the reason it stayed at 0. */
  simulatorNice: SimNice
}

/** Starts the simulator, registers the clusters and signs every session in (secrets in memory). */
export async function setupRefreshBench(): Promise<RefreshSetup> {
  const watch = new UndiciWatch()
  const clock = new BenchClock()
  const users: WekaSeedUser[] = Array.from({ length: CLUSTERS }, (_, i) => ({
    ...wekaUser(i),
    role: 'Regular',
  }))
  progress(`refresh: starting one WEKA simulator with ${CLUSTERS} users in its own thread`)
  const sim = await startSimThread(clock, users)
  const simulatorNice = await sim.setNice(SIM_NICE)
  if (simulatorNice.refused !== undefined)
    progress(
      `refresh: the simulator thread could not run at nice ${SIM_NICE} (${simulatorNice.refused}); ` +
        'beside the CPU hog it shares the CPU with it, unlike a cluster on its own hardware',
    )
  progress(`refresh: registering ${CLUSTERS} clusters`)
  const registryTemplate = await makeRegistryDir(CLUSTERS, sim.url, sim.fingerprint)

  const keychain = new KeytarSecretStore({
    service: `Tokendeck Bench ${randomUUID()}`,
    namespace: randomUUID(),
  })
  await keychain.check()
  // The core's own switchable store, made to switch either way: one core measured with each store.
  const store = new SwitchableSecretStore(keychain, { forMeasurement: true })
  store.useSessionOnly('chosen-at-start')
  const dataDir = cloneDataDir(registryTemplate, 'refresh')
  const core = await startCore({
    profile: 'default',
    appVersion: '0.0.0-bench',
    dataDir,
    secretStore: store,
    clipboard: new MemoryClipboard(),
    clock,
    ticker: null,
    random: () => 0.5,
  })
  if (core.startupProblems.length > 0)
    throw new Error(
      `core started with problems: ${core.startupProblems.map((p) => p.message).join('; ')}`,
    )
  const ids = core.registry.list().map((c) => c.id)
  progress(`refresh: signing in ${CLUSTERS} sessions, ${SIGN_IN_CONCURRENCY} at a time`)
  const signIn = await timed(() =>
    mapLimit(ids, SIGN_IN_CONCURRENCY, (id, i) => core.sessions.signIn(id, wekaUser(i).password)),
  )
  return {
    b: { core, clock, sim, watch, ids },
    store,
    keychain,
    registryTemplate,
    dataDir,
    signInMs: signIn.ms,
    simulatorNice,
  }
}

export async function benchRefresh(
  repeats: number,
): Promise<{ result: RefreshResult; live: LiveCore }> {
  const EVERY_MS = 50
  const rss = rssSampler(EVERY_MS)
  const setup = await setupRefreshBench()
  const { b, store, keychain, registryTemplate, dataDir } = setup
  const { core, clock, sim, watch } = b
  const signIn = { ms: setup.signInMs }

  // Memory first; then the keychain, whose warm-up pass creates the 1,000 entries the timed
  // passes then replace (the app's steady state: one entry per signed-in cluster). Then one
  // hogged pass per store.
  const memory = await series('memory', b, repeats)
  store.useKeychain()
  const keychainSeries = await series('keychain', b, repeats)
  const random = seededRandom(STORM_SEED)
  store.useSessionOnly('chosen-at-start')
  const hogMemory = await hogPass('memory', b, memory.freshMedianMs, random)
  store.useKeychain()
  const hogKeychain = await hogPass('keychain', b, keychainSeries.freshMedianMs, random)
  store.useSessionOnly('chosen-at-start')
  const simulatorSharingTheHog =
    setup.simulatorNice.nice !== null && setup.simulatorNice.nice < 0
      ? await withSimulatorNice(b.sim, 0, () =>
          hogPass('memory, simulator at the hog’s priority', b, memory.freshMedianMs, random),
        )
      : null
  // The clock kept running through the hogged keychain pass's long flush: one more (untimed)
  // pass leaves every session with a token fresh for the full lifetime, then the clock stops,
  // so the later figures copy cached tokens however long they take.
  progress('refresh: one untimed pass to leave fresh tokens for the later figures')
  await enginePass(b, { strict: true })
  clock.freeze()
  watch.close()
  const peak = rss.stop()

  const hogPasses = [hogMemory.pass, hogKeychain.pass]
  const keychainPersistShareMs = keychainSeries.persistedMedianMs - memory.persistedMedianMs
  const result: RefreshResult = {
    clusters: CLUSTERS,
    repeats,
    setup: { signInMs: round(signIn.ms, 0), signInConcurrency: SIGN_IN_CONCURRENCY },
    keychain: {
      ...keychainSeries,
      secretStore: 'KeytarSecretStore (OS keychain: private gnome-keyring on Linux)',
    },
    memory: { ...memory, secretStore: 'MemorySecretStore' },
    keychainFreshShareMs: round(keychainSeries.freshMedianMs - memory.freshMedianMs, 1),
    keychainPersistShareMs: round(keychainPersistShareMs, 1),
    keychainMsPerWrite: round(keychainPersistShareMs / CLUSTERS, 2),
    hog: {
      processes: os.availableParallelism(),
      copyEveryMs: STORM_EVERY_MS,
      passes: hogPasses,
      simulatorNice: setup.simulatorNice,
      failedSessions: hogPasses.reduce((n, p) => n + p.failedSessions, 0),
      copyDuringStorm: summarizeStorm([...hogMemory.copies, ...hogKeychain.copies], 'refreshing'),
      simulatorSharingTheHog: simulatorSharingTheHog && {
        failedSessions: simulatorSharingTheHog.pass.failedSessions,
        copyDuringStorm: summarizeStorm(simulatorSharingTheHog.copies, 'refreshing'),
      },
    },
    rss: {
      peakRssBytes: peak.peakBytes,
      samples: peak.samples,
      everyMs: EVERY_MS,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    },
  }
  return {
    result,
    live: {
      core,
      clock,
      sim,
      registryTemplate,
      keychain,
      async close() {
        await core.close()
        await sim.close()
        removeDir(dataDir)
        removeDir(registryTemplate)
      },
    },
  }
}
