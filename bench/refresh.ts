/**
 * Figure 1, the refresh engine: 1,000 signed-in WEKA sessions, all due, refreshed by one
 * scheduler pass (`sessions.tick()` + `sessions.idle()`), against a bare undici loop sending the
 * same 1,000 POST /api/v2/login/refresh requests with the same concurrency.
 *
 * One WEKA simulator (1,000 seeded users) and the core share a FakeClock, so "all due" is one
 * `clock.advance`, not a five-minute wait. The sim runs in this process, on the same event loop
 * as the engine and the baseline: its TLS and token signing are in both sides of the ratio.
 */
import { randomUUID } from 'node:crypto'
import { Pool } from 'undici'
import { startCore, type Core } from '../src/main/core/startCore'
import { KeytarSecretStore, MemorySecretStore } from '../src/main/core/secrets'
import { MemoryClipboard } from '../src/main/core/clipboard/clipboardService'
import { FakeClock } from '../test/sim/common/clock'
import { startWekaSim, type WekaSim } from '../test/sim/weka'
import type { WekaSeedUser } from '../test/sim/weka/options'
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
import { SwitchableStore } from './switchableStore'
import { median, ratio, round } from './stats'
import { UndiciWatch, type WatchWindow } from './undiciWatch'

/** Sign-ins in flight at once while setting up (not measured). */
export const SIGN_IN_CONCURRENCY = 32
/** One access-token lifetime (the sim's default, 300 s): every session is past expiry − margin. */
const ADVANCE_MS = 300_000

export interface PassSeries {
  secretStore: string
  /** Wall time of each timed engine pass, ms, in run order. */
  engineMs: number[]
  /** Wall time of each timed baseline run, ms (each right after the engine pass it matches). */
  baselineMs: number[]
  engineMedianMs: number
  baselineMedianMs: number
  /** engine median ÷ baseline median. */
  ratio: number | null
  /** Requests in flight and sockets the engine used in its timed passes (max over passes). */
  engine: WatchWindow
  /** The same for the baseline runs: its pool size and in-flight limit copy the engine's. */
  baseline: WatchWindow & { poolConnections: number; inFlightLimit: number }
}

export interface RefreshResult {
  clusters: number
  repeats: number
  setup: { signInMs: number; signInConcurrency: number }
  keychain: PassSeries
  memory: PassSeries
  /** Keychain median minus memory median: the time spent storing the 1,000 rotated refresh tokens. */
  keychainShareMs: number
  /** Per stored refresh token, ms (keychainShareMs ÷ clusters): the writes are serialised. */
  keychainMsPerWrite: number
  rss: { peakRssBytes: number; samples: number; everyMs: number; maxRssBytes: number }
}

/** What the later benchmarks reuse: a core with 1,000 active sessions on the sim, secrets in memory. */
export interface LiveCore {
  core: Core
  clock: FakeClock
  sim: WekaSim
  registryTemplate: string
  /** The keychain service now holding the 1,000 rotated refresh tokens (startup reads them). */
  keychain: KeytarSecretStore
  close(): Promise<void>
}

function sumRefreshes(core: Core): number {
  let n = 0
  for (const v of core.sessions.refreshCount.values()) n += v
  return n
}

async function enginePass(
  core: Core,
  clock: FakeClock,
  watch: UndiciWatch,
): Promise<{ ms: number; window: WatchWindow }> {
  clock.advance(ADVANCE_MS)
  const before = sumRefreshes(core)
  watch.begin()
  const { ms } = await timed(async () => {
    await core.sessions.tick()
    await core.sessions.idle()
  })
  const window = watch.end()
  const sent = sumRefreshes(core) - before
  const ids = core.registry.list().map((c) => c.id)
  const notActive = ids.filter((id) => core.sessions.state(id).state !== 'active')
  if (sent !== ids.length || notActive.length > 0) {
    throw new Error(
      `refresh pass: ${sent} refreshes for ${ids.length} sessions, ${notActive.length} not active afterwards (first: ${JSON.stringify(core.sessions.state(notActive[0] ?? ''))})`,
    )
  }
  return { ms, window }
}

/**
 * The baseline: the same requests (POST /api/v2/login/refresh, JSON `{refresh_token}`, valid
 * tokens the sim issued to the engine), each reply read to the end and parsed, through one undici
 * Pool whose size is the engine's measured number of connections, with the engine's measured
 * number in flight. Same TLS settings as the engine's pinned connector (no CA check, no session
 * resumption), so both pay a full handshake for each new connection. The pool lives for the whole
 * series like the engine's agents, so keep-alive helps (or not) both alike.
 */
async function baselineLoop(
  pool: Pool,
  tokens: readonly string[],
  inFlight: number,
): Promise<number> {
  const { ms } = await timed(() =>
    mapLimit(tokens, inFlight, async (token) => {
      const res = await pool.request({
        path: '/api/v2/login/refresh',
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: token }),
      })
      const text = await res.body.text()
      if (res.statusCode !== 200) throw new Error(`baseline refresh answered ${res.statusCode}`)
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

/** Warm-up pass (engine and baseline), then `repeats` × (engine pass, baseline run). */
async function series(
  label: string,
  core: Core,
  clock: FakeClock,
  sim: WekaSim,
  watch: UndiciWatch,
  repeats: number,
): Promise<PassSeries> {
  const tokens = () => core.registry.list().map((c) => core.sessions.storedCredential(c.id)!)
  progress(`refresh/${label}: warm-up pass`)
  const warm = await enginePass(core, clock, watch)
  // One Agent per cluster, one request per cluster: each request in flight has a socket of its
  // own, so the engine's connection count is its in-flight count (sockets still open from
  // sign-in, idle, are not counted).
  const inFlight = Math.max(1, warm.window.maxInFlight)
  const connections = Math.max(1, Math.min(warm.window.maxOpenSockets, inFlight))
  const pool = new Pool(sim.url, {
    connections,
    allowH2: false,
    connect: { rejectUnauthorized: false, maxCachedSessions: 0 },
  })
  try {
    progress(
      `refresh/${label}: warm-up pass took ${warm.ms.toFixed(0)} ms; bare-loop warm-up with ${connections} connections, ${inFlight} in flight`,
    )
    await baselineLoop(pool, tokens(), inFlight)
    const engineMs: number[] = []
    const baselineMs: number[] = []
    const engineWindows: WatchWindow[] = []
    const baseWindows: WatchWindow[] = []
    for (let r = 0; r < repeats; r++) {
      const pass = await enginePass(core, clock, watch)
      engineMs.push(pass.ms)
      engineWindows.push(pass.window)
      const list = tokens()
      watch.begin()
      const base = await baselineLoop(pool, list, inFlight)
      const bw = watch.end()
      baselineMs.push(base)
      baseWindows.push(bw)
      progress(
        `refresh/${label} ${r + 1}/${repeats}: engine ${pass.ms.toFixed(0)} ms (${pass.window.maxInFlight} in flight, ${pass.window.socketsOpened} new sockets), ` +
          `bare loop ${base.toFixed(0)} ms (${bw.maxInFlight} in flight, ${bw.socketsOpened} new sockets)`,
      )
    }
    const engineMedianMs = median(engineMs)
    const baselineMedianMs = median(baselineMs)
    return {
      secretStore: label,
      engineMs: engineMs.map((v) => round(v, 1)),
      baselineMs: baselineMs.map((v) => round(v, 1)),
      engineMedianMs: round(engineMedianMs, 1),
      baselineMedianMs: round(baselineMedianMs, 1),
      ratio: ratio(engineMedianMs, baselineMedianMs),
      engine: maxWindow(engineWindows),
      baseline: {
        ...maxWindow(baseWindows),
        poolConnections: connections,
        inFlightLimit: inFlight,
      },
    }
  } finally {
    await pool.close()
  }
}

export async function benchRefresh(
  repeats: number,
): Promise<{ result: RefreshResult; live: LiveCore }> {
  const EVERY_MS = 50
  const rss = rssSampler(EVERY_MS)
  const watch = new UndiciWatch()
  const clock = new FakeClock()
  const users: WekaSeedUser[] = Array.from({ length: CLUSTERS }, (_, i) => ({
    ...wekaUser(i),
    role: 'Regular',
  }))
  progress(`refresh: starting one WEKA simulator with ${CLUSTERS} users`)
  const sim = await startWekaSim({ clock, users })
  progress(`refresh: registering ${CLUSTERS} clusters`)
  const registryTemplate = await makeRegistryDir(CLUSTERS, sim.url, sim.fingerprint)

  const keychain = new KeytarSecretStore({
    service: `Tokendeck Bench ${randomUUID()}`,
    namespace: randomUUID(),
  })
  await keychain.check()
  const memoryStore = new MemorySecretStore()
  const store = new SwitchableStore(memoryStore)
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

  // Memory first; then the keychain, whose warm-up pass creates the 1,000 entries the timed
  // passes then replace (the app's steady state: one entry per signed-in cluster).
  const memory = await series('memory', core, clock, sim, watch, repeats)
  store.target = keychain
  const keychainSeries = await series('keychain', core, clock, sim, watch, repeats)
  store.target = memoryStore
  watch.close()
  const peak = rss.stop()

  const keychainShareMs = keychainSeries.engineMedianMs - memory.engineMedianMs
  const result: RefreshResult = {
    clusters: CLUSTERS,
    repeats,
    setup: { signInMs: round(signIn.ms, 0), signInConcurrency: SIGN_IN_CONCURRENCY },
    keychain: {
      ...keychainSeries,
      secretStore: 'KeytarSecretStore (OS keychain: private gnome-keyring on Linux)',
    },
    memory: { ...memory, secretStore: 'MemorySecretStore' },
    keychainShareMs: round(keychainShareMs, 1),
    keychainMsPerWrite: round(keychainShareMs / CLUSTERS, 2),
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
