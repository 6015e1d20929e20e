/**
 * A real core for integration tests: registry in a temp dir, a fake clock and no background
 * ticker — tests drive `sessions.tick()` themselves.
 *
 * Secrets: by default an in-memory store stands in for the keychain (`keychain: 'memory'`), so
 * a test of sessions, tokens, audit or IPC runs anywhere, without the private keyring. A test
 * about the keychain itself (secret stores, faults, several processes on one keychain, legacy
 * migration) opts in with `keychain: 'os'`, or names a `keychainService` / `secretStore`: then
 * the OS keychain (the private keyring `npm test` starts) is used under a throwaway service
 * name, and the test must skip with `keychainMissingReason()` outside that keyring.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { startCore, type Core, type StartCoreOptions } from '../../src/main/core/startCore'
import { MemoryClipboard } from '../../src/main/core/clipboard/clipboardService'
import { MemorySecretStore } from '../../src/main/core/secrets/memoryStore'
import type { Clock } from '../../src/main/core/time'
import { keepConfigFile } from '../support/hygieneArtifacts'

export interface CoreHarness {
  core: Core
  clipboard: MemoryClipboard
  dataDir: string
  /** The keychain service name (only meaningful with `keychain: 'os'`). */
  service: string
  close(): Promise<void>
}

export interface CoreHarnessOptions extends Partial<StartCoreOptions> {
  /**
   * Where secrets live: 'memory' (default, no keychain needed) or 'os' (the real keychain under
   * a throwaway service). Passing `keychainService` or `secretStore` implies what they name.
   */
  keychain?: 'memory' | 'os'
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
  options: CoreHarnessOptions = {},
): Promise<CoreHarness> {
  const { keychain, ...coreOptions } = options
  const dataDir = coreOptions.dataDir ?? mkdtempSync(join(tmpdir(), 'tokendeck-core-'))
  const service = coreOptions.keychainService ?? `Tokendeck Test ${randomUUID()}`
  const useOs = keychain === 'os' || coreOptions.keychainService !== undefined
  const clipboard = new MemoryClipboard()
  const core = await startCore({
    profile: 'default',
    appVersion: '0.0.0-test',
    dataDir,
    keychainService: service,
    ...(useOs ? {} : { secretStore: new MemorySecretStore() }),
    clipboard,
    clock,
    ticker: null,
    random: () => 0.5,
    ...coreOptions,
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
