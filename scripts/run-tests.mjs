// Runs vitest and closes with one plain line any CI can read: "tests: N passed, N failed, N skipped".
// Skipped tests are listed with their names, which carry the reason.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dir = mkdtempSync(join(tmpdir(), 'tokendeck-vitest-'))
const report = join(dir, 'report.json')
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]
const run = spawnSync('npx', args, { stdio: 'inherit', env: process.env })

let passed = 0, failed = 0, skipped = 0
const skippedNames = []
try {
  const result = JSON.parse(readFileSync(report, 'utf8'))
  for (const file of result.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'passed') passed++
      else if (t.status === 'failed') failed++
      else {
        skipped++
        skippedNames.push(t.fullName ?? t.title)
      }
    }
    // A file that failed to load has no assertions but must count as a failure.
    if (file.status === 'failed' && (file.assertionResults ?? []).every((t) => t.status !== 'failed')) failed++
  }
} catch {
  failed = Math.max(failed, 1)
  console.error('could not read the vitest JSON report')
}
rmSync(dir, { recursive: true, force: true })
for (const name of skippedNames) console.log(`skipped: ${name}`)
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(run.status === 0 && failed === 0 ? 0 : 1)
