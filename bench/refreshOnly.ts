/**
 * Figure 1 alone (`npm run bench:refresh`): the refresh engine with secrets in memory against
 * the best bare loop, then (unless `--no-hog`) one pass beside the CPU hog with the copy storm,
 * without the keychain passes and the other figures (about a minute instead of a quarter of an
 * hour), for working on the engine. The full `npm run bench` remains the figure of record.
 *
 *   --repeats N         timed passes (default 5)
 *   --concurrency N     the engine's refreshConcurrency setting for this run
 *   --hog-passes N      hogged passes (default 1), each after one unhogged pass and its bare
 *                       loops, so every one starts on cold connections as the first does
 *   --cpu-profile FILE  a V8 CPU profile of this thread over the unhogged series (open it in
 *                       Chrome's DevTools); the simulator's thread is not in it
 *
 * Prints one JSON object.
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { parseArgs } from 'node:util'
import { progress, removeDir } from './common'
import { hogPass, series, setupRefreshBench, STORM_SEED, type Bench } from './refresh'
import { seededRandom } from './stats'
import { summarizeStorm, type StormCopy } from './storm'

/** Runs `work` under the V8 profiler (100 µs samples) and writes the profile to `file`. */
async function profiled<T>(file: string, work: () => Promise<T>): Promise<T> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 100 })
  await session.post('Profiler.start')
  try {
    return await work()
  } finally {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(file, JSON.stringify(profile))
    session.disconnect()
    progress(`refresh: CPU profile written to ${file}`)
  }
}

/** The `n` slowest copies issued while refreshing: how long, and when in the pass. */
function slowest(copies: readonly StormCopy[], n: number) {
  return copies
    .filter((c) => c.phase === 'refreshing')
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n)
    .map((c) => ({ ms: Math.round(c.ms), issuedAtMs: Math.round(c.issuedAtMs), waited: c.waited }))
}

function wholeNumber(flag: string, text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${flag} wants a whole number ≥ 1, not ${text}`)
    process.exit(2)
  }
  return n
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repeats: { type: 'string', default: '5' },
      concurrency: { type: 'string' },
      'cpu-profile': { type: 'string' },
      'no-hog': { type: 'boolean', default: false },
      'hog-passes': { type: 'string', default: '1' },
    },
  })
  const repeats = wholeNumber('--repeats', values.repeats)
  const concurrency =
    values.concurrency === undefined ? undefined : wholeNumber('--concurrency', values.concurrency)
  const setup = await setupRefreshBench()
  const b: Bench = setup.b
  try {
    if (concurrency !== undefined)
      await b.core.registry.updateSettings({ refreshConcurrency: concurrency })
    const file = values['cpu-profile']
    const memory = await (file
      ? profiled(file, () => series('memory', b, repeats))
      : series('memory', b, repeats))
    const hogPasses = values['no-hog'] ? 0 : wholeNumber('--hog-passes', values['hog-passes'])
    const random = seededRandom(STORM_SEED)
    const hogs: Array<Awaited<ReturnType<typeof hogPass>>> = []
    for (let i = 0; i < hogPasses; i++) {
      if (i > 0) await series('memory', b, 1)
      hogs.push(await hogPass('memory', b, memory.freshMedianMs, random))
    }
    const hog = hogs[0]
    const out = {
      engineConcurrency: memory.engineConcurrency,
      memory: {
        freshMs: memory.freshMs,
        freshMedianMs: memory.freshMedianMs,
        bestBareLoop: memory.bestBareLoop,
        bareLoops: memory.bareLoops.map((l) => ({ concurrency: l.concurrency, runsMs: l.runsMs })),
        freshRatio: memory.freshRatio,
      },
      ...(hog
        ? {
            hog: {
              freshMs: hog.pass.freshMs,
              failedSessions: hog.pass.failedSessions,
              hogCpuShare: hog.pass.hogCpuShare,
              eventLoopDelayMs: hog.pass.eventLoopDelayMs,
              copyDuringStorm: summarizeStorm(hog.copies, 'refreshing'),
              ...(hogs.length > 1
                ? {
                    passes: hogs.map((h) => ({
                      failedSessions: h.pass.failedSessions,
                      copyP99Ms: summarizeStorm(h.copies, 'refreshing').ms?.p99,
                      slowestCopies: slowest(h.copies, 3),
                    })),
                    allPassesCopyDuringStorm: summarizeStorm(
                      hogs.flatMap((h) => h.copies),
                      'refreshing',
                    ),
                  }
                : {}),
              slowestCopies: slowest(hog.copies, 5),
            },
          }
        : {}),
    }
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
  } finally {
    progress('refresh: closing')
    await b.core.close()
    await b.sim.close()
    b.watch.close()
    removeDir(setup.dataDir)
    removeDir(setup.registryTemplate)
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e)
    process.exit(1)
  },
)
