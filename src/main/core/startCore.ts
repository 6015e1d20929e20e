/**
 * Builds the core from its parts, without Electron: the app's composition root, the CLI and the
 * browser tests all start Tokendeck through here, so they run the same code.
 */
import type { TokendeckEvent } from '../../shared/contract'
import type { ErrorInfo } from '../../shared/model'
import { isTokendeckError } from '../../shared/errors'
import { ClusterRegistry, dataDir as defaultDataDir, keychainService, type Profile } from './clusters'
import { KeytarSecretStore, type SecretStore } from './secrets'
import { createHandlers } from './handlers'
import type { Dispatcher } from './dispatch'
import { CAPABILITIES } from './vendors/capabilities'

export interface StartCoreOptions {
  profile: Profile
  appVersion: string
  /** Defaults to the profile's data directory (TOKENDECK_HOME, else the platform's). */
  dataDir?: string
  /** Defaults to the OS keychain under the profile's service name. */
  secretStore?: SecretStore
  onEvent?: (event: TokendeckEvent) => void
  /** Where unexpected internal errors are reported (never with inputs or secrets). */
  onUnexpected?: (where: string, error: unknown) => void
}

export interface Core {
  dispatcher: Dispatcher
  registry: ClusterRegistry
  secrets: SecretStore
  /** Problems found at start that the user must see (corrupt config, keychain unavailable). */
  startupProblems: ErrorInfo[]
  close(): Promise<void>
}

export async function startCore(options: StartCoreOptions): Promise<Core> {
  const dir = options.dataDir ?? defaultDataDir(options.profile)
  const registry = await ClusterRegistry.open({ dir })
  const secrets = options.secretStore ?? new KeytarSecretStore({ service: keychainService(options.profile) })
  const startupProblems: ErrorInfo[] = []
  if (registry.loadProblem) startupProblems.push(registry.loadProblem.toInfo())
  try {
    await secrets.probe()
  } catch (e) {
    if (!isTokendeckError(e)) throw e
    startupProblems.push(e.toInfo())
  }

  registry.onChange(() => options.onEvent?.({ event: 'clusters:changed', payload: {} }))

  const dispatcher = createHandlers(
    {
      appInfo: () => ({
        name: 'Tokendeck',
        version: options.appVersion,
        profile: options.profile,
        secretStorage: secrets.mode,
        platform: process.platform,
      }),
      listClusters: () =>
        registry.list().map((cluster) => ({
          cluster,
          capabilities: CAPABILITIES[cluster.vendor],
          session: { state: 'signed-out' as const },
        })),
    },
    { onUnexpected: (where, error) => options.onUnexpected?.(where, error) },
  )

  return {
    dispatcher,
    registry,
    secrets,
    startupProblems,
    async close() {
      await registry.flush()
    },
  }
}
