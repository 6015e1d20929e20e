/**
 * Runs after the whole suite (scripts/run-tests.mjs, phase 2). The suite ran with the core's
 * log at debug level into files; every simulator recorded every secret it ever issued or knew
 * (tokens, refresh tokens, S3 secrets, passwords). This test searches every log, every config
 * file, every renderer console line and the suite's own output for every one of them.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const dir = process.env['TOKENDECK_HYGIENE_SCAN_DIR']

/** Secret-shaped runs, and their parts after a delimiter ("token=eyJ…", "Bearer:eyJ…"). */
function candidates(text: string): Set<string> {
  const out = new Set<string>()
  for (const [run] of text.matchAll(/[A-Za-z0-9._~+/=:@-]{8,}/g)) {
    out.add(run)
    for (let i = 0; i < run.length; i++) {
      if ('=:/@'.includes(run[i]!)) {
        const rest = run.slice(i + 1)
        if (rest.length >= 8) out.add(rest)
        const head = run.slice(0, i)
        if (head.length >= 8) out.add(head)
      }
    }
  }
  return out
}

/** Name a leaked secret without printing it: its length and first three characters. */
const describeSecret = (s: string) => `${s.slice(0, 3)}… (${s.length} chars)`

describe.skipIf(!dir)(
  `secret hygiene of the whole test run${dir ? '' : ' — SKIPPED: run through npm test (phase 2 of scripts/run-tests.mjs)'}`,
  () => {
    const files = dir ? readdirSync(dir) : []
    const secrets = new Set<string>()
    for (const f of files.filter((f) => f.startsWith('secrets-'))) {
      for (const s of JSON.parse(readFileSync(join(dir!, f), 'utf8')) as string[])
        if (s.length >= 8) secrets.add(s)
    }
    const scanned = files.filter((f) => !f.startsWith('secrets-'))

    it('collected what it must search: secrets from the simulators, core logs, config files, renderer consoles, the run output', () => {
      expect(secrets.size).toBeGreaterThan(500)
      expect(scanned.some((f) => f.startsWith('core-'))).toBe(true)
      expect(scanned.some((f) => f.startsWith('config-'))).toBe(true)
      expect(scanned.some((f) => f.startsWith('renderer-console-'))).toBe(true)
      expect(scanned).toContain('test-output.log')
      // The logs are at debug level: session changes and IPC replies with their error messages.
      const logs = scanned
        .filter((f) => f.startsWith('core-'))
        .map((f) => readFileSync(join(dir!, f), 'utf8'))
        .join('')
      expect(logs).toMatch(/"msg":"session state"/)
      expect(logs).toMatch(/"code":"BAD_CREDENTIALS"/)
    })

    it('finds no secret in any log, config file, console line or test output', () => {
      const leaks: string[] = []
      for (const f of scanned) {
        for (const c of candidates(readFileSync(join(dir!, f), 'utf8'))) {
          if (secrets.has(c)) leaks.push(`${f}: ${describeSecret(c)}`)
        }
      }
      expect(leaks).toEqual([])
    })

    it('the scan would catch a leak (a planted secret is found)', () => {
      const planted = [...secrets][0]!
      const found = candidates(
        `{"level":"info","msg":"oops","token":"${planted}"} Authorization=Bearer:${planted}`,
      )
      expect(found.has(planted)).toBe(true)
    })
  },
)
