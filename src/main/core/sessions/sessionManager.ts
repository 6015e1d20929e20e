/**
 * Keeps every cluster's session alive: signs in (one password, one request), refreshes access
 * tokens before they expire with one request however many callers ask (single flight), backs
 * off on network errors and 5xx, signs out when the server rejects the stored credential, and
 * notices a wall-clock jump (sleep/resume) to check every overdue session at once. Calls on a
 * cluster borrow the session's credentials through withSession (one retry after a refresh).
 *
 * Beside it: session.ts (the state machine's pure rules), refreshPlan.ts (when to refresh),
 * storedCredentials.ts (the keychain: load, write now or behind, delete only what was rejected),
 * refreshQueue.ts and backoff.ts.
 */
import type { Cluster, SessionState } from '../../../shared/model'
import { TokendeckError } from '../../../shared/errors'
import type { AuditPort } from '../audit'
import type { ClusterRegistry } from '../clusters'
import type { SecretStore } from '../secrets'
import type { Clock, Ticker } from '../time'
import type { SessionGrant, VendorClient } from '../vendors/vendor'
import { DEFAULT_BACKOFF, nextRetryAt, type BackoffPolicy } from './backoff'
import type { CredentialWriter } from './credentialWriter'
import { isDue, refreshMoment } from './refreshPlan'
import { RefreshQueue, type RefreshPriority } from './refreshQueue'
import {
  accessValid,
  asTokendeckError,
  assertCanRefresh,
  expiry,
  stateAfterRefreshFailure,
  stateAfterSignInFailure,
  stateAfterWrite,
  usable,
  type SessionData,
} from './session'
import { StoredCredentials, type ReadCredential } from './storedCredentials'
import {
  withRetryAfterRefresh,
  type SessionCredentials,
  type SessionRetryPort,
} from './accessRetry'

export type { SessionCredentials } from './accessRetry'

export interface VendorClients {
  /** The client for this cluster as configured now (cached per cluster by the provider). */
  get(cluster: Cluster): VendorClient
}

export interface SessionManagerOptions {
  registry: ClusterRegistry
  secrets: SecretStore
  clients: VendorClients
  clock: Clock
  /** Drives the scheduler; omit to call tick() yourself (tests). */
  ticker?: Ticker
  tickMs?: number
  /** Qumulo and Swarm: how often the stored credential is checked with the server. */
  checkIntervalMs?: number
  backoff?: BackoffPolicy
  random?: () => number
  onChange?: (clusterId: string, state: SessionState) => void
  /** Records sign-in, sign-out and sessions the server ended (core/audit). */
  audit?: AuditPort
}

export class SessionManager {
  private readonly sessions = new Map<string, SessionData>()
  private readonly inflight = new Map<string, Promise<void>>()
  private readonly signingIn = new Set<string>()
  private readonly tickMs: number
  private readonly checkIntervalMs: number
  private readonly backoff: BackoffPolicy
  private readonly random: () => number
  private lastTickAt: number
  private stopTicker: (() => void) | undefined
  /** Counts refresh requests sent, per cluster: the engine's own proof of single flight. */
  readonly refreshCount = new Map<string, number>()
  private readonly queue: RefreshQueue
  private readonly keychain: StoredCredentials

  constructor(private readonly opts: SessionManagerOptions) {
    this.tickMs = opts.tickMs ?? 10_000
    this.checkIntervalMs = opts.checkIntervalMs ?? 15 * 60_000
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF
    this.random = opts.random ?? Math.random
    this.lastTickAt = opts.clock.now()
    this.queue = new RefreshQueue(
      () => opts.registry.getSettings().refreshConcurrency,
      () => this.writer.resume(),
    )
    this.keychain = new StoredCredentials({
      registry: opts.registry,
      secrets: opts.secrets,
      now: () => opts.clock.now(),
      busy: () => this.queue.busy,
      onWriteResult: (clusterId, error) => this.afterWrite(clusterId, error),
      held: (clusterId) => this.sessions.get(clusterId)?.stored !== undefined,
      loaded: (clusterId, read) => this.loaded(clusterId, read),
    })
  }

  /** Rotated credentials on their way to the keychain (write-behind; the bench flushes it). */
  get writer(): CredentialWriter {
    return this.keychain.writer
  }

  /** Resumes every stored session (see resume) and starts the scheduler. */
  async start(): Promise<void> {
    await this.resume(() => true)
    if (this.opts.ticker)
      this.stopTicker = this.opts.ticker.every(this.tickMs, () => void this.tick())
  }

  /**
   * Loads the stored credentials of the clusters `which` picks and resumes those sessions in the
   * background. Resolves when the credentials are loaded, not when the sessions are active.
   */
  async resume(which: (clusterId: string) => boolean): Promise<void> {
    for (const c of this.opts.registry.list()) {
      if (which(c.id)) await this.load(c.id).catch(() => undefined)
    }
  }

  /**
   * Reads the cluster's stored credential from the keychain once (storedCredentials.ts) and, if
   * there is one, refreshes or checks it in the background. A credential issued for another
   * server, user or org is never sent: the session stays signed out and says why.
   */
  load(clusterId: string): Promise<void> {
    return this.keychain.load(clusterId)
  }

  /** What the keychain held for a session that had none. */
  private loaded(clusterId: string, read: Exclude<ReadCredential, { found: 'none' }>): void {
    if (read.found === 'mismatch') {
      const cluster = this.opts.registry.get(clusterId)
      this.setState(clusterId, {
        state: 'signed-out',
        reason: {
          code: 'NOT_SIGNED_IN',
          message: `Tokendeck did not use the credential saved for ${cluster.name}: ${read.why} Sign in again.`,
        },
      })
      return
    }
    this.data(clusterId).stored = read.stored
    void this.refreshLoaded(clusterId).catch(() => undefined)
  }

  state(clusterId: string): SessionState {
    return this.sessions.get(clusterId)?.state ?? { state: 'signed-out' }
  }

  identity(clusterId: string): SessionData['identity'] {
    return this.sessions.get(clusterId)?.identity
  }

  /** When the stored credential dies, where the vendor says. */
  storedExpiresAt(clusterId: string): number | undefined {
    return this.sessions.get(clusterId)?.stored?.expiresAt
  }

  /** The stored credential (WEKA: the refresh token, which mints long-lived tokens). */
  storedCredential(clusterId: string): string | undefined {
    return this.sessions.get(clusterId)?.stored?.value
  }

  /** The server handed out a new stored credential outside a refresh (WEKA long-lived minting). */
  async replaceStoredCredential(clusterId: string, value: string): Promise<void> {
    const d = this.data(clusterId)
    if (!d.stored) return
    d.stored = { ...d.stored, value }
    await this.keychain.save(clusterId, d.stored)
  }

  /** Signs in with a password used for exactly this one request: never kept, never retried. */
  async signIn(clusterId: string, password: string): Promise<SessionState> {
    const cluster = this.opts.registry.get(clusterId)
    if (this.signingIn.has(clusterId)) {
      throw new TokendeckError(
        'BUSY',
        `Already signing in to ${cluster.name}; wait for that attempt to finish.`,
      )
    }
    this.signingIn.add(clusterId)
    const d = this.data(clusterId)
    this.setState(clusterId, { state: 'signing-in' })
    try {
      const result = await this.opts.clients.get(cluster).signIn({
        username: cluster.username,
        password,
        ...(cluster.org ? { org: cluster.org } : {}),
        ...(cluster.tenant ? { tenant: cluster.tenant } : {}),
        ...(cluster.domain ? { domain: cluster.domain } : {}),
      })
      d.access = result.access
      d.stored = result.stored
      d.identity = result.identity
      d.failures = 0
      d.checkedAt = this.opts.clock.now()
      d.refreshAt = this.refreshMoment(d.access.expiresAt)
      await this.keychain.save(clusterId, result.stored)
      this.setState(clusterId, { state: 'active', ...expiry(d.access.expiresAt) })
      this.opts.audit?.record({ event: 'session:sign-in', clusterId })
      return d.state
    } catch (e) {
      const error = asTokendeckError(e)
      this.opts.audit?.record({ event: 'session:sign-in', clusterId, outcome: error.code })
      if (error.code !== 'KEYCHAIN_UNAVAILABLE')
        this.setState(clusterId, stateAfterSignInFailure(error))
      else this.setState(clusterId, { state: 'failed', error: error.toInfo() })
      throw error
    } finally {
      this.signingIn.delete(clusterId)
    }
  }

  /** Takes over a session proved just now outside a sign-in (an imported token: core/import). */
  async adopt(clusterId: string, grant: SessionGrant, identity?: SessionData['identity']) {
    const d = this.data(clusterId)
    Object.assign(d, { access: grant.access, stored: grant.stored, identity, failures: 0 })
    d.checkedAt = this.opts.clock.now()
    d.refreshAt = this.refreshMoment(grant.access.expiresAt)
    await this.keychain.save(clusterId, grant.stored)
    this.setState(clusterId, { state: 'active', ...expiry(grant.access.expiresAt) })
  }

  async signOut(clusterId: string): Promise<void> {
    const d = this.data(clusterId)
    if (d.stored) this.opts.audit?.record({ event: 'session:sign-out', clusterId })
    d.access = undefined
    d.stored = undefined
    d.identity = undefined
    d.failures = 0
    await this.keychain.delete(clusterId)
    this.setState(clusterId, { state: 'signed-out' })
  }

  /** Drops a removed cluster's session (its secrets are removed by the caller). */
  forget(clusterId: string): void {
    this.keychain.forget(clusterId)
    this.sessions.delete(clusterId)
  }

  /**
   * After the user re-trusted a changed certificate: resume with the stored credential if
   * there is one, else signed out.
   */
  async afterRetrust(clusterId: string): Promise<void> {
    const d = this.data(clusterId)
    if (d.stored) {
      await this.refreshLoaded(clusterId).catch(() => undefined)
    } else {
      this.setState(clusterId, { state: 'signed-out' })
    }
  }

  /**
   * A token valid for at least the refresh margin, refreshing first if needed. Many callers at
   * once share one refresh.
   */
  async getAccessToken(clusterId: string): Promise<string> {
    const cluster = this.opts.registry.get(clusterId)
    await this.load(clusterId)
    const d = this.data(clusterId)
    const margin = this.marginMs()
    if (accessValid(d, this.opts.clock.now(), margin) && usable(d.state)) return d.access!.token
    assertCanRefresh(cluster.name, d)
    await this.refreshLoaded(clusterId, 'user')
    if (accessValid(d, this.opts.clock.now(), margin)) return d.access!.token
    // A server whose access tokens live shorter than the margin: a token just minted is as fresh
    // as it gets, so hand it out while it is valid at all rather than call the session ended.
    if (
      this.opts.clients.get(cluster).capabilities.refreshesAccessTokens &&
      accessValid(d, this.opts.clock.now(), 0)
    )
      return d.access!.token
    // Qumulo/Swarm session tokens cannot be renewed without the password.
    d.access = undefined
    this.opts.audit?.record({ event: 'session:ended', clusterId, outcome: 'REFRESH_EXPIRED' })
    const ended = new TokendeckError(
      'REFRESH_EXPIRED',
      `The session on ${cluster.name} has ended: sign in again.`,
    )
    this.setState(clusterId, { state: 'expired', reason: ended.toInfo() })
    throw ended
  }

  /** One call with the session's credentials, run once more after a refresh if rejected (accessRetry.ts). */
  withSession<T>(clusterId: string, work: (c: SessionCredentials) => Promise<T>): Promise<T> {
    return withRetryAfterRefresh(this.retryPort, clusterId, work)
  }

  private readonly retryPort: SessionRetryPort = {
    credentials: async (clusterId) => {
      const access = await this.getAccessToken(clusterId)
      return { access, stored: this.sessions.get(clusterId)?.stored?.value }
    },
    refreshAfterRejection: async (clusterId, rejected) => {
      const d = this.sessions.get(clusterId)
      const cluster = this.opts.registry.get(clusterId)
      if (!d?.stored || !this.opts.clients.get(cluster).capabilities.refreshesAccessTokens)
        return false
      // Another caller may have refreshed since this token was handed out: then use its token.
      if (d.access?.token === rejected) await this.refreshLoaded(clusterId, 'user')
      return true
    },
  }

  /** Refresh now (WEKA) or check the stored credential (Qumulo, Swarm); single flight. */
  async refresh(clusterId: string): Promise<void> {
    await this.load(clusterId)
    return this.refreshLoaded(clusterId, 'user')
  }

  /**
   * Single flight per cluster. Background refreshes wait for a slot of the bounded queue; a
   * person waiting (copy, a terminal, the Refresh button) starts at once, and promotes a
   * background refresh of the same cluster that is still waiting.
   */
  private refreshLoaded(
    clusterId: string,
    priority: RefreshPriority = 'background',
  ): Promise<void> {
    const running = this.inflight.get(clusterId)
    if (running) {
      if (priority === 'user') this.queue.promote(clusterId)
      return running
    }
    if (this.queue.isWaiting(clusterId)) {
      // Queued by a scheduler pass, not started: a person starts it now (startQueued sets
      // inflight), anyone else waits for its turn.
      if (priority === 'background') return this.queue.whenDone(clusterId)
      this.queue.promote(clusterId)
      const promoted = this.inflight.get(clusterId)
      if (promoted) return promoted
    }
    const p = this.queue
      .run(clusterId, priority, () => this.doRefresh(clusterId))
      .finally(() => this.inflight.delete(clusterId))
    this.inflight.set(clusterId, p)
    return p
  }

  /**
   * One scheduler pass: refresh what is due, retry what failed once its backoff is over, check
   * Qumulo/Swarm credentials on their interval. A gap much longer than the tick interval means
   * the machine slept: every session is then checked at once.
   */
  async tick(): Promise<void> {
    const now = this.opts.clock.now()
    const woke = now - this.lastTickAt > this.tickMs * 3 + 30_000
    this.lastTickAt = now
    this.writer.retryFailed()
    const due: Array<{ id: string; expiresAt: number }> = []
    const plan = { now, woke, marginMs: this.marginMs(), checkIntervalMs: this.checkIntervalMs }
    // Two inputs for the whole pass rather than two objects per cluster (see refreshQueue.ts).
    const refreshing = { ...plan, refreshesAccessTokens: true }
    const checking = { ...plan, refreshesAccessTokens: false }
    for (const cluster of this.opts.registry.list()) {
      const d = this.sessions.get(cluster.id)
      if (!d?.stored || this.inflight.has(cluster.id)) continue
      const input = this.opts.clients.get(cluster).capabilities.refreshesAccessTokens
        ? refreshing
        : checking
      if (isDue(d, input)) due.push({ id: cluster.id, expiresAt: d.access?.expiresAt ?? 0 })
    }
    // Soonest expiry first: after sleep, the sessions about to lapse are caught up before the rest.
    due.sort((a, b) => a.expiresAt - b.expiresAt)
    await this.queue.runAll(
      due.map((d) => d.id),
      this.startQueued,
    )
  }

  /** A session queued by tick() gets its slot: single flight from here on, as refreshLoaded. */
  private readonly startQueued = (clusterId: string): Promise<void> => {
    const p = this.doRefresh(clusterId).finally(() => this.inflight.delete(clusterId))
    this.inflight.set(clusterId, p)
    return p
  }

  /** Waits for every refresh in flight (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight.values()])
  }

  /** Stops the scheduler, waits for refreshes in flight and writes the newest credentials. */
  async close(): Promise<void> {
    this.stopTicker?.()
    await this.idle()
    await this.writer.flush()
  }

  private async doRefresh(clusterId: string): Promise<void> {
    const cluster = this.opts.registry.get(clusterId)
    const d = this.data(clusterId)
    const stored = d.stored
    if (!stored) {
      throw new TokendeckError('NOT_SIGNED_IN', `Not signed in to ${cluster.name}: sign in first.`)
    }
    this.setState(clusterId, { state: 'refreshing', ...expiry(d.access?.expiresAt) })
    this.refreshCount.set(clusterId, (this.refreshCount.get(clusterId) ?? 0) + 1)
    const tried = new Set<string>()
    try {
      const client = this.opts.clients.get(cluster)
      const { grant, used } = await this.keychain.resume(clusterId, stored, client, tried)
      d.access = grant.access
      d.stored = {
        ...grant.stored,
        ...(grant.stored.expiresAt === undefined && stored.expiresAt !== undefined
          ? { expiresAt: stored.expiresAt }
          : {}),
      }
      d.failures = 0
      d.checkedAt = this.opts.clock.now()
      if (!d.identity) d.identity = await client.whoami(grant.access.token).catch(() => undefined)
      // The keychain already holds `used`; store only what the server handed out instead.
      d.refreshAt = this.refreshMoment(d.access.expiresAt)
      // The access token is usable now; the new credential goes to the keychain behind it. The
      // keychain already holds `used`, so only a credential the server rotated is written.
      if (grant.stored.value !== used) this.keychain.saveBehind(clusterId, d.stored)
      this.setState(clusterId, { state: 'active', ...expiry(d.access.expiresAt) })
    } catch (e) {
      const error = asTokendeckError(e)
      d.failures += 1
      const now = this.opts.clock.now()
      const next = stateAfterRefreshFailure(
        error,
        nextRetryAt(now, d.failures, this.backoff, this.random, error.retryAt),
      )
      if (next.state === 'signed-out') {
        // The server no longer accepts the credential: keeping it would only fail again. Only
        // what was rejected is deleted, never a newer one another process stored meanwhile.
        d.access = undefined
        d.stored = undefined
        this.opts.audit?.record({ event: 'session:ended', clusterId, outcome: error.code })
        await this.keychain.dropRejected(clusterId, tried)
      }
      this.setState(clusterId, next)
      throw error
    }
  }

  /** See refreshPlan.ts: jittered inside the refresh window. */
  private refreshMoment(expiresAt: number | undefined): number | undefined {
    return refreshMoment(expiresAt, this.opts.clock.now(), this.marginMs(), this.random)
  }

  /** A write-behind failed (the session keeps working, and says the keychain failed) or healed. */
  private afterWrite(clusterId: string, error: TokendeckError | undefined): void {
    const d = this.sessions.get(clusterId)
    const next = d && stateAfterWrite(d, error, this.opts.clock.now() + this.tickMs)
    if (next) this.setState(clusterId, next)
  }

  private marginMs(): number {
    return this.opts.registry.getSettings().refreshMarginSeconds * 1000
  }

  private data(clusterId: string): SessionData {
    let d = this.sessions.get(clusterId)
    if (!d) {
      d = { state: { state: 'signed-out' }, failures: 0 }
      this.sessions.set(clusterId, d)
    }
    return d
  }

  private setState(clusterId: string, state: SessionState): void {
    this.data(clusterId).state = state
    this.opts.onChange?.(clusterId, state)
  }
}
