/**
 * Test harnesses hand what a user could see — config files, renderer console lines — to the
 * secret-hygiene scan before they clean up, when the runner asked for one.
 */
import { randomUUID } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

function dir(): string | undefined {
  const d = process.env['TOKENDECK_HYGIENE_DIR']
  if (d) mkdirSync(d, { recursive: true })
  return d
}

export function keepConfigFile(dataDir: string): void {
  const d = dir()
  const file = join(dataDir, 'clusters.json')
  if (d && existsSync(file)) copyFileSync(file, join(d, `config-${randomUUID().slice(0, 8)}.json`))
  // The audit log is searched too: it must never hold a secret either.
  const audit = join(dataDir, 'audit.log')
  if (d && existsSync(audit)) copyFileSync(audit, join(d, `audit-${randomUUID().slice(0, 8)}.log`))
}

export function keepConsole(lines: string[]): void {
  const d = dir()
  if (d && lines.length)
    writeFileSync(join(d, `renderer-console-${randomUUID().slice(0, 8)}.log`), lines.join('\n'))
}
