/**
 * `npm run bench` (inside the private keyring): the refresh engine, copy latency, startup, the
 * renderer in Chromium and bundle sizes. Progress on stderr; stdout gets the table, or with
 * `--json` exactly one JSON object. `--build` rebuilds out/ first (otherwise only when missing).
 * How to read the figures: bench/README.md.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { progress } from './common'
import { benchRefresh } from './refresh'
import { benchCopy } from './copy'
import { benchCliToken } from './cliToken'
import { benchStartup } from './startup'
import { benchRenderer } from './renderer'
import { benchSize, OUT_DIR } from './size'
import { launchChromium } from './browser'
import { formatTable, TARGETS, verdictsOf, type BenchReport } from './report'

const REFRESH_REPEATS = 3
const STARTUP_REPEATS = 3
const COPY_CALLS = 2000
const COPY_WARMUP = 200
const RENDERER_RUNS = 5
const CLI_TOKEN_CALLS = 10

function ensureBuild(force: boolean): void {
  const missing = ['renderer/index.html', 'main', 'preload', 'cli/tokendeck.mjs'].filter(
    (p) => !existsSync(join(OUT_DIR, p)),
  )
  if (!force && missing.length === 0) return
  progress(
    force
      ? 'building (--build): npm run build'
      : `out/ is incomplete (${missing.join(', ')}): npm run build`,
  )
  // The build's own output goes to stderr: stdout is the report's alone.
  const r = spawnSync('npm', ['run', '-s', 'build'], {
    cwd: join(OUT_DIR, '..'),
    stdio: ['ignore', 2, 2],
  })
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status})`)
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2))
  const unknown = [...args].filter((a) => a !== '--json' && a !== '--build')
  if (unknown.length > 0) {
    console.error(`usage: npm run bench [-- --json] [-- --build]   (unknown: ${unknown.join(' ')})`)
    process.exit(2)
  }
  if (process.platform === 'linux' && process.env['TOKENDECK_PRIVATE_KEYRING'] !== '1') {
    console.error(
      'The benchmark writes to the keychain: run it through `npm run bench` (scripts/with-private-keyring.sh), never against your own keyring.',
    )
    process.exit(2)
  }
  const t0 = performance.now()
  const loadAtStart = os.loadavg().map((v) => Math.round(v * 100) / 100)
  const date = new Date().toISOString()
  ensureBuild(args.has('--build'))

  progress('size: out/')
  const size = benchSize()

  const cliToken = await benchCliToken(CLI_TOKEN_CALLS)
  const { result: refresh, live } = await benchRefresh(REFRESH_REPEATS)
  let browser: Browser | undefined
  try {
    const startup = await benchStartup(live.keychain, live.registryTemplate, STARTUP_REPEATS)
    progress('launching Chromium')
    browser = await launchChromium()
    const copy = await benchCopy(live.core, browser, COPY_CALLS, COPY_WARMUP)
    const renderer = await benchRenderer(browser, live.core, live.clock, RENDERER_RUNS)

    const report: BenchReport = {
      benchmark: 'tokendeck',
      date,
      machine: {
        cores: os.availableParallelism(),
        cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
        totalMemoryBytes: os.totalmem(),
        node: process.version,
        platform: `${process.platform} ${os.release()} ${process.arch}`,
        chromium: browser.version(),
        loadAverage: {
          start: loadAtStart,
          end: os.loadavg().map((v) => Math.round(v * 100) / 100),
        },
      },
      durationSeconds: Math.round((performance.now() - t0) / 100) / 10,
      targets: TARGETS,
      verdicts: verdictsOf({ refresh, copy, cliToken, renderer }),
      cliToken,
      refresh,
      copy,
      startup,
      renderer,
      size,
    }
    progress(`done in ${report.durationSeconds} s`)
    process.stdout.write(
      args.has('--json') ? `${JSON.stringify(report)}\n` : `${formatTable(report)}\n`,
    )
  } finally {
    await browser?.close()
    await live.close()
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error('bench failed:', e instanceof Error ? (e.stack ?? e.message) : e)
    process.exit(1)
  },
)
