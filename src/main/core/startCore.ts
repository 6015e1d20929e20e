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
  readOrCreateProfileId,
  type Profile,
} from './clusters'
import { ClusterService } from './clusters/clusterService'
import { KeytarSecretStore, SwitchableSecretStore, type SecretStore } from './secrets'
import { migrateLegacyCredentials } from './secrets/legacyMigration'
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
import { KeptKeyIndex } from './s3keys/keptKeyIndex'
import { KeptS3Keys } from './s3keys/keptS3Keys'
import type { FilePicker } from './files/filePicker'
import type { Dispatcher } from './dispatch'
import { realTicker, systemClock, type Clock, type Ticker } from './time'
import { loggerFromEnvironment, type Logger } from './log'
import { AuditLog } from './audit'
import { CredentialImport } from './import/credentialImport'
import { findWekaAuthFiles } from './import/wekaAuthFile'
import type { AuditActor } from '../../shared/audit'
import { ScreenLock, type LockEventSource } from './lock/screenLock'
import { expiringReport } from './expiring/expiringReport'
import type { ExpiringReport } from '../../shared/model'

export interface StartCoreOptions {
  profile: Profile
  appVersion: string
  /** Defaults to the profile's data directory (TOKENDECK_HOME, else the platform's). */
  dataDir?: string
  /** Defaults to the OS keychain under the profile's service name, namespaced by the profile id. */
  secretStore?: SecretStore
  /** The keychain service to use instead of the profile's (tests keep a throwaway one). */
  keychainService?: string
  /** Keep secrets in memory only, chosen at start (`tokendeck agent --session-only`). */
  sessionOnly?: boolean
  /**
   * Move credentials saved before profiles existed (`<cluster id>:<kind>` entries) into this
   * profile. Default: only for the platform's own data directory, which is the one that wrote
   * them; another directory (TOKENDECK_HOME) cannot prove they are its own, so it signs in anew.
   */
  claimLegacyCredentials?: boolean
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
  /** Who this process is in the audit log when no request says otherwise (default 'app'). */
  auditActor?: AuditActor
  /** Screen lock and sleep (Electron's powerMonitor in the app); none in the CLI. */
  lockEvents?: LockEventSource
  /** The desktop's file picker (Electron's dialog in the app); none in the CLI. */
  filePicker?: FilePicker
  /** Where vendor CLIs keep their files (~/.weka); defaults to the user's home (tests: a temp dir). */
  homeDir?: string
}

export interface Core {
  dispatcher: Dispatcher
  registry: ClusterRegistry
  secrets: SwitchableSecretStore
  /** This data directory's identity; keychain entries are namespaced by it. */
  profileId: string
  sessions: SessionManager
  tokens: TokenOperations
  /** Kept S3 keys (opt-in): for `tokendeck s3 credential-process` and `exec`. */
  s3Keys: KeptS3Keys
  clusters: ClusterService
  clipboard: ClipboardService
  audit: AuditLog
  /** Pause on lock: clears the clipboard, closes secrets in the window, may pause the agent. */
  lock: ScreenLock
  /** The profile's data directory. */
  dataDir: string
  /** Every listed token and stored session across clusters, soonest first (core/expiring). */
  expiring(withinMs?: number): Promise<ExpiringReport>
  /** Problems found at start that the user must see (corrupt config, keychain unavailable). */
  startupProblems: ErrorInfo[]
  close(): Promise<void>
}

export async function startCore(options: StartCoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock
  const dir = options.dataDir ?? defaultDataDir(options.profile)
  const log = options.logger ?? loggerFromEnvironment()
  const registry = await ClusterRegistry.open({
    dir,
    onProblem: (problem) =>
      log.warn('cluster list', { code: problem.code, error: problem.message }),
  })
  const profileId = await readOrCreateProfileId(dir)
  const keychain =
    options.secretStore ??
    new KeytarSecretStore({
      service: options.keychainService ?? keychainService(options.profile),
      namespace: profileId.id,
    })
  const secrets = new SwitchableSecretStore(keychain)
  const startupProblems: ErrorInfo[] = []
  if (registry.loadProblem) startupProblems.push(registry.loadProblem.toInfo())
  for (const message of registry.notices) startupProblems.push({ code: 'INVALID_INPUT', message })
  let keychainWorks = true
  try {
    await secrets.check()
  } catch (e) {
    if (!isTokendeckError(e)) throw e
    keychainWorks = false
    if (!options.sessionOnly) startupProblems.push(e.toInfo())
  }
  if (options.sessionOnly)
    secrets.useSessionOnly(keychainWorks ? 'chosen-at-start' : 'keychain-unavailable')
  const claimLegacy = options.claimLegacyCredentials ?? dir === defaultDataDir(options.profile)
  if (keychainWorks && profileId.created && claimLegacy && !options.sessionOnly) {
    const problem = await migrateLegacyCredentials(keychain, registry.list())
    if (problem) startupProblems.push(problem)
  }

  const emit = (event: TokendeckEvent) => options.onEvent?.(event)
  const audit = new AuditLog({
    dataDir: dir,
    actor: options.auditActor ?? 'app',
    secrets,
    cluster: (id) => registry.list().find((c) => c.id === id),
    now: () => clock.now(),
    onProblem: (e) =>
      log.warn('audit log not written', { error: e instanceof Error ? e.message : typeof e }),
  })
  // The session manager and the clients need each other (WEKA mints long-lived tokens from the
  // session's refresh token): the provider reaches the sessions through this late-bound hook
  // (it runs only after `sessions`, declared below, exists).
  const clients = new VendorClientProvider({
    clock,
    ...(options.http ? { http: options.http } : {}),
    // Every request has an overall deadline, so a trickling server cannot hold a refresh (and
    // with it every copy of that cluster's token) forever.
    requestDeadlineMs: () => registry.getSettings().requestTimeoutSeconds * 1000,
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
  const sessions: SessionManager = new SessionManager({
    registry,
    secrets,
    clients,
    clock,
    ...(options.ticker === null ? {} : { ticker: options.ticker ?? realTicker }),
    ...(options.random ? { random: options.random } : {}),
    audit,
    onChange: (clusterId, session) => {
      log.debug('session state', {
        clusterId,
        state: session.state,
        ...('error' in session ? { code: session.error.code, error: session.error.message } : {}),
        ...('reason' in session && session.reason
          ? { code: session.reason.code, error: session.reason.message }
          : {}),
      })
      const storedExpiresAt = sessions.storedExpiresAt(clusterId)
      emit({
        event: 'session:changed',
        payload: {
          clusterId,
          session,
          ...(storedExpiresAt !== undefined ? { storedExpiresAt } : {}),
        },
      })
    },
  })
  const clusters = new ClusterService(registry, secrets, sessions, clients)
  const s3Keys = new KeptS3Keys(registry, secrets, new KeptKeyIndex(dir), clock, (clusterId) =>
    emit({ event: 's3keys:changed', payload: { clusterId } }),
  )
  const tokens = new TokenOperations(registry, sessions, clients, clock, s3Keys, audit)
  const clipboard = new ClipboardService(
    options.clipboard ?? new MemoryClipboard(),
    () => registry.getSettings().clipboardClearSeconds,
    options.clipboardTimers,
    () => registry.getSettings().clipboardClearOnQuit,
    audit,
  )
  const lock = new ScreenLock({
    ...(options.lockEvents ? { source: options.lockEvents } : {}),
    clearClipboard: () => clipboard.clearOurs(),
    notifyLocked: () => emit({ event: 'ui:screenLocked', payload: {} }),
    pauseAgent: () => registry.getSettings().pauseAgentWhenLocked,
  })
  // A bulk change (an import, a demo setup) must not flood the window: one "clusters changed" per
  // 100 ms at most, and always one after the last change.
  let changePending: ReturnType<typeof setTimeout> | undefined
  registry.onChange(() => {
    changePending ??= setTimeout(() => {
      changePending = undefined
      emit({ event: 'clusters:changed', payload: {} })
    }, 100)
  })
  // A long-lived owner (the app, the agent) sees edits made to clusters.json by anything that
  // does not go through it (a hand edit, an older Tokendeck); a one-command CLI does not need to.
  const stopWatching = options.ticker === null ? undefined : registry.watch()
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

  const expiring = (withinMs?: number) =>
    expiringReport(
      {
        clusters: () => registry.list(),
        sessions,
        listTokens: (clusterId) => tokens.list(clusterId),
        clock,
      },
      withinMs === undefined ? {} : { withinMs },
    )

  for (const p of startupProblems) log.warn('startup problem', { code: p.code, error: p.message })
  const handlers = createHandlers(
    {
      appInfo,
      startupProblems: () => startupProblems,
      async useSessionOnlySecrets() {
        // Visible, user-chosen mode, offered only when the keychain cannot be used: secrets live
        // in memory until quit, never on disk.
        secrets.useSessionOnly('keychain-unavailable')
        const i = startupProblems.findIndex((p) => p.code === 'KEYCHAIN_UNAVAILABLE')
        if (i >= 0) startupProblems.splice(i, 1)
        return appInfo()
      },
      registry,
      clusters,
      sessions,
      tokens,
      s3Keys,
      clipboard,
      audit,
      dataDir: dir,
      expiring,
      filePicker: options.filePicker,
      imports: new CredentialImport(registry, clients, sessions, audit),
      plaintextCredentials: () => findWekaAuthFiles(options.homeDir),
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
    secrets,
    profileId: profileId.id,
    sessions,
    tokens,
    s3Keys,
    clusters,
    clipboard,
    audit,
    lock,
    dataDir: dir,
    expiring,
    startupProblems,
    async close() {
      lock.close()
      stopWatching?.()
      if (changePending) clearTimeout(changePending)
      clipboard.clearNow()
      s3Keys.close()
      await sessions.close()
      await clients.close()
      await registry.flush()
      await audit.flush()
    },
  }
}
