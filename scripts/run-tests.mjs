// `npm test`'s runner. Phase 1: the whole vitest suite, with the core's log at debug level into
// files and every simulator recording the secrets it issued. Phase 2: the secret-hygiene test
// searches all of that, and the run's own output, for every secret. Closes with one plain line
// any CI can read: "tests: N passed, N failed, N skipped", after listing skipped tests (their
// names carry the reason).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const VITEST = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'tokendeck-test-'))
const hygieneDir = join(work, 'hygiene')
const extraArgs = process.argv.slice(2)
mkdirSync(hygieneDir, { recursive: true })

function runVitest(args, env, outputFile) {
  return new Promise((resolve) => {
    const report = join(work, `report-${Date.now()}.json`)
    // vitest's own entry through this Node, not `npx`: on Windows npx is npx.cmd, which Node
    // refuses to spawn without a shell.
    const child = spawn(
      process.execPath,
      [
        VITEST,
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
        ...args,
      ],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const log = outputFile ? createWriteStream(outputFile, { flags: 'a' }) : undefined
    child.stdout.on('data', (d) => (process.stdout.write(d), log?.write(d)))
    child.stderr.on('data', (d) => (process.stderr.write(d), log?.write(d)))
    child.on('close', (code) => {
      log?.end()
      resolve({ code, counts: readReport(report) })
    })
  })
}

function readReport(file) {
  const counts = { passed: 0, failed: 0, skipped: 0, skippedNames: [] }
  try {
    const result = JSON.parse(readFileSync(file, 'utf8'))
    for (const f of result.testResults ?? []) {
      for (const t of f.assertionResults ?? []) {
        if (t.status === 'passed') counts.passed++
        else if (t.status === 'failed') counts.failed++
        else {
          counts.skipped++
          counts.skippedNames.push(t.fullName ?? t.title)
        }
      }
      // A file that failed to load has no assertions but must count as a failure.
      if (f.status === 'failed' && (f.assertionResults ?? []).every((t) => t.status !== 'failed'))
        counts.failed++
    }
  } catch {
    counts.failed = Math.max(counts.failed, 1)
    console.error('could not read the vitest JSON report')
  }
  return counts
}

const phase1 = await runVitest(
  extraArgs,
  { TOKENDECK_HYGIENE_DIR: hygieneDir, TOKENDECK_LOG_LEVEL: 'debug' },
  join(hygieneDir, 'test-output.log'),
)
// The hygiene scan only means something after the whole suite ran.
const whole = extraArgs.length === 0
const phase2 = whole
  ? await runVitest(['test/hygiene'], { TOKENDECK_HYGIENE_SCAN_DIR: hygieneDir })
  : { code: 0, counts: { passed: 0, failed: 0, skipped: 0, skippedNames: [] } }

rmSync(work, { recursive: true, force: true })
const passed = phase1.counts.passed + phase2.counts.passed
const failed = phase1.counts.failed + phase2.counts.failed
const skippedNames = [...phase1.counts.skippedNames, ...phase2.counts.skippedNames]
for (const name of skippedNames) console.log(`skipped: ${name}`)
console.log(`tests: ${passed} passed, ${failed} failed, ${skippedNames.length} skipped`)
process.exit(phase1.code === 0 && phase2.code === 0 && failed === 0 ? 0 : 1)
