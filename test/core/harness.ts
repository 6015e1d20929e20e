/**
 * A real core for integration tests: registry in a temp dir, the OS keychain (the private
 * keyring the test command starts) under a throwaway service name, a fake clock and no
 * background ticker — tests drive `sessions.tick()` themselves.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { startCore, type Core, type StartCoreOptions } from '../../src/main/core/startCore'
import { MemoryClipboard } from '../../src/main/core/clipboard/clipboardService'
import type { Clock } from '../../src/main/core/time'
import { keepConfigFile } from '../support/hygieneArtifacts'

export interface CoreHarness {
  core: Core
  clipboard: MemoryClipboard
  dataDir: string
  service: string
  close(): Promise<void>
}

/** The keytar tests need the private keyring on Linux; outside it they must skip, not touch a real keychain. */
export function keychainMissingReason(): string | undefined {
  if (process.platform === 'linux' && process.env['TOKENDECK_PRIVATE_KEYRING'] !== '1') {
    return 'not inside the private keyring (run through npm test)'
  }
  return undefined
}

/** Every stored credential of the core's clusters, by cluster id (what the keychain holds). */
export async function storedValues(core: Core): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const c of core.registry.list()) {
    const credential = await core.secrets.getCredential(c.id)
    if (credential) out.set(c.id, credential.value)
  }
  return out
}

export async function startCoreHarness(
  clock: Clock,
  options: Partial<StartCoreOptions> = {},
): Promise<CoreHarness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tokendeck-core-'))
  const service = `Tokendeck Test ${randomUUID()}`
  const clipboard = new MemoryClipboard()
  const core = await startCore({
    profile: 'default',
    appVersion: '0.0.0-test',
    dataDir,
    keychainService: service,
    clipboard,
    clock,
    ticker: null,
    random: () => 0.5,
    ...options,
  })
  return {
    core,
    clipboard,
    dataDir,
    service,
    async close() {
      await core.close()
      for (const c of core.registry.list()) await core.secrets.deleteCredential(c.id)
      keepConfigFile(dataDir)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
