/**
 * Several processes append to one audit log at once (the app, terminals, credential_process):
 * real child processes released together. No line is torn or lost, every process hashes with the
 * one key the first of them created, and with a small size limit the log rotates to `.1` and
 * stays bounded while the newest records survive.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { auditFilePath, readAuditFiles } from '../../../src/main/core/audit'
import { KeytarSecretStore } from '../../../src/main/core/secrets'
import { keychainMissingReason } from '../harness'

const repo = path.resolve(import.meta.dirname, '../../..')
const script = path.join(import.meta.dirname, 'appender.ts')
const missing = keychainMissingReason()

function appender(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repo,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let onReady!: () => void
  const ready = new Promise<void>((r) => (onReady = r))
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
    if (stdout.startsWith('ready\n')) onReady()
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const done = new Promise<void>((resolve, reject) =>
    child.once('close', (code) =>
      code === 0 && stdout.endsWith('done\n') && !stderr
        ? resolve()
        : reject(new Error(`appender exited ${code}: ${stderr}`)),
    ),
  )
  return { ready, done, go: () => child.stdin.end('go\n') }
}

async function runAppenders(dir: string, n: number, count: number, maxBytes: number) {
  const service = `Tokendeck Test ${randomUUID()}`
  const namespace = randomUUID()
  const workers = Array.from({ length: n }, (_, i) =>
    appender([dir, `p${i}`, String(count), String(maxBytes), service, namespace]),
  )
  await Promise.all(workers.map((w) => w.ready))
  for (const w of workers) w.go()
  await Promise.all(workers.map((w) => w.done))
  const store = new KeytarSecretStore({ service, namespace })
  return store
}

describe.skipIf(missing)(
  `audit log, several processes${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    const dirs: string[] = []
    const tempDir = () => {
      const d = mkdtempSync(path.join(tmpdir(), 'tokendeck-audit-'))
      dirs.push(d)
      return d
    }
    afterEach(() => {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
    })

    it('keeps every line whole and every record, all hashed under one key', async () => {
      const dir = tempDir()
      await runAppenders(dir, 4, 150, 64 * 1024 * 1024)
      const text = readFileSync(auditFilePath(dir), 'utf8')
      const { records, notes } = await readAuditFiles(auditFilePath(dir))
      expect(notes).toEqual([])
      expect(text.split('\n').length - 1).toBe(600)
      expect(records).toHaveLength(600)
      for (let p = 0; p < 4; p++) {
        const mine = records
          .filter((r) => r.what?.startsWith(`p${p}-`))
          .map((r) => r.what!.split('-')[1])
        // Each process's records, all there and in its own order.
        expect(mine).toEqual(Array.from({ length: 150 }, (_, i) => String(i)))
      }
      // Four processes asked for the key at once; one made it and every hash agrees.
      expect(new Set(records.map((r) => r.token)).size).toBe(1)
      expect(records[0]!.token).toMatch(/^hmac-sha256:[0-9a-f]{64}$/)
      expect(new Set(records.map((r) => r.key)).size).toBe(1)
      expect(existsSync(`${auditFilePath(dir)}.1`)).toBe(false)
    })

    it('rotates to one .1 file at the size limit and stays bounded', async () => {
      const dir = tempDir()
      const limit = 16 * 1024
      await runAppenders(dir, 3, 100, limit)
      const file = auditFilePath(dir)
      expect(existsSync(`${file}.1`)).toBe(true)
      const sizes = [readFileSync(file).length, readFileSync(`${file}.1`).length]
      // A line in flight during a rotation may land at the end of .1: a few lines of slack.
      for (const size of sizes) expect(size).toBeLessThanOrEqual(limit + 3 * 4000)
      const { records, notes } = await readAuditFiles(file)
      expect(notes).toEqual([])
      // Older records went with earlier rotations; at least a file's worth is kept, none twice.
      expect(records.length).toBeGreaterThanOrEqual(Math.floor(limit / 600))
      expect(new Set(records.map((r) => r.what)).size).toBe(records.length)
    })
  },
)
