/**
 * The Activity view reloads when the window is told of an action (a copy) and must find its
 * line: a record asked for before a read is in what the read returns. Records are hashed and
 * appended behind the caller; under load the read used to overtake the append
 * (test/e2e/audit.views.test.ts failed beside a CPU hog).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AuditLog } from '../../../src/main/core/audit'
import { MemorySecretStore } from '../../../src/main/core/secrets'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('audit log: read your own writes', () => {
  it('a read started right after record() returns that record', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tokendeck-audit-ryw-'))
    dirs.push(dataDir)
    const log = new AuditLog({ dataDir, actor: 'app', secrets: new MemorySecretStore() })
    for (let i = 0; i < 20; i++) {
      log.record({ event: 'copy', what: `access-token ${i}`, to: 'clipboard' })
      const { records } = await log.read({})
      expect(records.at(-1)?.what).toBe(`access-token ${i}`)
    }
  })
})
