/**
 * Builds the core from its parts, without Electron: the app's composition root, the CLI and the
 * browser tests all start Tokendeck through here, so they run the same code.
 */
import type { TokendeckEvent } from '../../shared/contract'
import type { ErrorInfo } from '../../shared/model'
import { isTokendeckError } from '../../shared/errors'
import {
  ClusterRegistry,
  dataDir as defaultDataDir,
  keychainService,
  type Profile,
} from './clusters'
import { ClusterService } from './clusters/clusterService'
import { KeytarSecretStore, MemorySecretStore, type SecretStore } from './secrets'
import { SessionManager } from './sessions/sessionManager'
import { TokenOperations } from './tokens/tokenOperations'
import {
  ClipboardService,
  MemoryClipboard,
  type ClipboardPort,
  type Timers,
} from './clipboard/clipboardService'
import { VendorClientProvider, type VendorClientProviderOptions } from './vendors/clientProvider'
import { createHandlers } from './handlers'
import type { Dispatcher } from './dispatch'
import { realTicker, systemClock, type Clock, type Ticker } from './time'
import { loggerFromEnvironment, type Logger } from './log'

export interface StartCoreOptions {
  profile: Profile
  appVersion: string
  /** Defaults to the profile's data directory (TOKENDECK_HOME, else the platform's). */
  dataDir?: string
  /** Defaults to the OS keychain under the profile's service name. */
  secretStore?: SecretStore
  /** The OS clipboard (Electron's in the app); defaults to one in memory (CLI, tests). */
  clipboard?: ClipboardPort
  clipboardTimers?: Timers
  clock?: Clock
  /** Drives background refresh; pass null to drive `sessions.tick()` by hand (tests, CLI). */
  ticker?: Ticker | null
  random?: () => number
  http?: VendorClientProviderOptions['http']
  onEvent?: (event: TokendeckEvent) => void
  /** Where unexpected internal errors are reported (never with inputs or secrets). */
  onUnexpected?: (where: string, error: unknown) => void
  /** Defaults to TOKENDECK_LOG_FILE / TOKENDECK_LOG_LEVEL (see log.ts). */
  logger?: Logger
  /** Resume every stored session at start (default); the CLI resumes only what a command names. */
  resumeSessions?: boolean
}

export interface Core {
  dispatcher: Dispatcher
  registry: ClusterRegistry
  secrets: SecretStore
  sessions: SessionManager
  tokens: TokenOperations
  clusters: ClusterService
  clipboard: ClipboardService
  /** Problems found at start that the user must see (corrupt config, keychain unavailable). */
  startupProblems: ErrorInfo[]
  close(): Promise<void>
}

export async function startCore(options: StartCoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock
  const log = options.logger ?? loggerFromEnvironment()
  const dir = options.dataDir ?? defaultDataDir(options.profile)
  const registry = await ClusterRegistry.open({ dir })
  let secrets: SecretStore =
    options.secretStore ?? new KeytarSecretStore({ service: keychainService(options.profile) })
  const startupProblems: ErrorInfo[] = []
  if (registry.loadProblem) startupProblems.push(registry.loadProblem.toInfo())
  try {
    await secrets.probe()
  } catch (e) {
    if (!isTokendeckError(e)) throw e
    startupProblems.push(e.toInfo())
  }

  const emit = (event: TokendeckEvent) => options.onEvent?.(event)
  // The session manager and the clients need each other (WEKA mints long-lived tokens from the
  // session's refresh token): the provider reaches the sessions through this late-bound hook
  // (it runs only after `sessions`, declared below, exists).
  const clients = new VendorClientProvider({
    clock,
    ...(options.http ? { http: options.http } : {}),
    hooks: (clusterId) => ({
      refreshToken: async () => {
        await sessions.getAccessToken(clusterId)
        const value = sessions.storedCredential(clusterId)
        if (value === undefined) throw new Error('not signed in')
        return value
      },
      refreshTokenRotated: (value) => sessions.replaceStoredCredential(clusterId, value),
    }),
  })
  const secretsProxy: SecretStore = {
    get mode() {
      return secrets.mode
    },
    probe: () => secrets.probe(),
    loadAll: () => secrets.loadAll(),
    get: (ref) => secrets.get(ref),
    set: (ref, value) => secrets.set(ref, value),
    delete: (ref) => secrets.delete(ref),
    deleteCluster: (id) => secrets.deleteCluster(id),
  }
  const sessions: SessionManager = new SessionManager({
    registry,
    secrets: secretsProxy,
    clients,
    clock,
    ...(options.ticker === null ? {} : { ticker: options.ticker ?? realTicker }),
    ...(options.random ? { random: options.random } : {}),
    onChange: (clusterId, session) => {
      log.debug('session state', {
        clusterId,
        state: session.state,
        ...('error' in session ? { code: session.error.code, error: session.error.message } : {}),
        ...('reason' in session && session.reason
          ? { code: session.reason.code, error: session.reason.message }
          : {}),
      })
      emit({ event: 'session:changed', payload: { clusterId, session } })
    },
  })
  const clusters = new ClusterService(registry, secretsProxy, sessions, clients)
  const tokens = new TokenOperations(registry, sessions, clients, clock)
  const clipboard = new ClipboardService(
    options.clipboard ?? new MemoryClipboard(),
    () => registry.getSettings().clipboardClearSeconds,
    options.clipboardTimers,
  )
  // A bulk change (an import, a demo setup) must not flood the window: one "clusters changed" per
  // 100 ms at most, and always one after the last change.
  let changePending: ReturnType<typeof setTimeout> | undefined
  registry.onChange(() => {
    changePending ??= setTimeout(() => {
      changePending = undefined
      emit({ event: 'clusters:changed', payload: {} })
    }, 100)
  })
  if (!startupProblems.some((p) => p.code === 'KEYCHAIN_UNAVAILABLE')) {
    const starting = options.resumeSessions === false ? Promise.resolve() : sessions.start()
    await starting.catch((e: unknown) => {
      if (isTokendeckError(e)) startupProblems.push(e.toInfo())
      else throw e
    })
  }

  const appInfo = () => ({
    name: 'Tokendeck',
    version: options.appVersion,
    profile: options.profile,
    secretStorage: secrets.mode,
    platform: process.platform,
  })

  for (const p of startupProblems) log.warn('startup problem', { code: p.code, error: p.message })
  const handlers = createHandlers(
    {
      appInfo,
      startupProblems: () => startupProblems,
      async useSessionOnlySecrets() {
        // Visible, user-chosen mode: secrets live in memory until quit, never on disk.
        if (secrets.mode !== 'session-only') secrets = new MemorySecretStore()
        const i = startupProblems.findIndex((p) => p.code === 'KEYCHAIN_UNAVAILABLE')
        if (i >= 0) startupProblems.splice(i, 1)
        return appInfo()
      },
      registry,
      clusters,
      sessions,
      tokens,
      clipboard,
      copied: (what, clearsInSeconds) =>
        emit({ event: 'clipboard:copied', payload: { what, clearsInSeconds } }),
    },
    {
      onUnexpected: (where, error) => {
        log.error('unexpected error', {
          channel: where,
          error: error instanceof Error ? error.name : typeof error,
        })
        options.onUnexpected?.(where, error)
      },
    },
  )
  // Every reply's outcome, with the user-facing message of failures: what the renderer saw.
  const dispatcher = {
    async invoke(channel: unknown, input: unknown) {
      const result = await handlers.invoke(channel, input)
      const name = typeof channel === 'string' ? channel.slice(0, 64) : typeof channel
      if (result.ok) log.debug('ipc', { channel: name, ok: true })
      else
        log.info('ipc', {
          channel: name,
          ok: false,
          code: result.error.code,
          error: result.error.message,
        })
      return result
    },
  }

  return {
    dispatcher,
    registry,
    secrets: secretsProxy,
    sessions,
    tokens,
    clusters,
    clipboard,
    startupProblems,
    async close() {
      if (changePending) clearTimeout(changePending)
      clipboard.clearNow()
      await sessions.close()
      await clients.close()
      await registry.flush()
    },
  }
}
