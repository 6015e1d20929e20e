/**
 * Builds the core from its parts, without Electron: the app's composition root, the CLI and the
 * browser tests all start Tokendeck through here, so they run the same code. Wiring only: each
 * part's behaviour lives in its own module (docs/architecture.md, "Layout").
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
import { ClusterService } from './clusterService/clusterService'
import {
  KeytarSecretStore,
  chooseSessionOnly,
  openSecrets,
  type SecretStore,
  type SwitchableSecretStore,
} from './secrets'
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
import { withReplyLog } from './replyLog'
import { appInfoOf } from './appInfo'
import { clustersChangedEvents } from './events/clustersChanged'
import { sessionChangedEvents } from './events/sessionChanged'
import { realTicker, systemClock, type Clock, type Ticker } from './time'
import { loggerFromEnvironment, type Logger } from './log'
import { AuditLog } from './audit'
import { PasswordChange } from './passwords/passwordChange'
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
  /**
   * Defaults to the OS keychain under the profile's service name, namespaced by the profile id.
   * A SwitchableSecretStore is used as it is (the bench switches its own).
   */
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
  const emit = (event: TokendeckEvent) => options.onEvent?.(event)

  // Config and identity, then where secrets live (keychain, or memory: core/secrets/sessionOnly).
  const registry = await ClusterRegistry.open({
    dir,
    onProblem: (problem) =>
      log.warn('cluster list', { code: problem.code, error: problem.message }),
  })
  const profileId = await readOrCreateProfileId(dir)
  const startupProblems: ErrorInfo[] = []
  if (registry.loadProblem) startupProblems.push(registry.loadProblem.toInfo())
  for (const message of registry.notices) startupProblems.push({ code: 'INVALID_INPUT', message })
  const { secrets, problems: secretProblems } = await openSecrets({
    keychain:
      options.secretStore ??
      new KeytarSecretStore({
        service: options.keychainService ?? keychainService(options.profile),
        namespace: profileId.id,
      }),
    sessionOnly: options.sessionOnly ?? false,
    claimLegacyCredentials:
      profileId.created &&
      (options.claimLegacyCredentials ?? dir === defaultDataDir(options.profile)),
    clusters: () => registry.list(),
  })
  startupProblems.push(...secretProblems)

  // The services. Token calls borrow the session's credentials as arguments, so the vendor
  // clients never reach back into the sessions (SessionManager.withSession).
  const audit = new AuditLog({
    dataDir: dir,
    actor: options.auditActor ?? 'app',
    secrets,
    cluster: (id) => registry.find(id),
    now: () => clock.now(),
    onProblem: (e) =>
      log.warn('audit log not written', { error: e instanceof Error ? e.message : typeof e }),
  })
  const clients = new VendorClientProvider({
    clock,
    ...(options.http ? { http: options.http } : {}),
    // Every request has an overall deadline, so a trickling server cannot hold a refresh (and
    // with it every copy of that cluster's token) forever.
    requestDeadlineMs: () => registry.getSettings().requestTimeoutSeconds * 1000,
  })
  const sessions: SessionManager = new SessionManager({
    registry,
    secrets,
    clients,
    clock,
    ...(options.ticker === null ? {} : { ticker: options.ticker ?? realTicker }),
    ...(options.random ? { random: options.random } : {}),
    audit,
    onChange: sessionChangedEvents(log, emit, (id) => sessions.storedExpiresAt(id)),
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
  const expiring = (withinMs?: number) =>
    expiringReport(
      { clusters: () => registry.list(), sessions, listTokens: (id) => tokens.list(id), clock },
      withinMs === undefined ? {} : { withinMs },
    )

  // Events, and the watch on clusters.json: a long-lived owner (the app, the agent) sees edits
  // made by anything that does not go through it; a one-command CLI does not need to.
  const clustersChanged = clustersChangedEvents(emit)
  registry.onChange(() => clustersChanged.changed())
  const stopWatching = options.ticker === null ? undefined : registry.watch()

  if (!startupProblems.some((p) => p.code === 'KEYCHAIN_UNAVAILABLE')) {
    const starting = options.resumeSessions === false ? Promise.resolve() : sessions.start()
    await starting.catch((e: unknown) => {
      if (isTokendeckError(e)) startupProblems.push(e.toInfo())
      else throw e
    })
  }
  for (const p of startupProblems) log.warn('startup problem', { code: p.code, error: p.message })

  // The one entry point for the window, the agent and the tests.
  const appInfo = appInfoOf({ appVersion: options.appVersion, profile: options.profile, secrets })
  const handlers = createHandlers(
    {
      appInfo,
      startupProblems: () => startupProblems,
      async useSessionOnlySecrets() {
        chooseSessionOnly(secrets, startupProblems)
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
      passwords: new PasswordChange(registry, clients, sessions, audit),
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

  return {
    dispatcher: withReplyLog(handlers, log),
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
      clustersChanged.close()
      clipboard.clearNow()
      s3Keys.close()
      await sessions.close()
      await clients.close()
      await registry.flush()
      await audit.flush()
    },
  }
}
