/**
 * Keeps every cluster's session alive: signs in (one password, one request), refreshes access
 * tokens before they expire with one request however many callers ask (single flight), backs
 * off on network errors and 5xx, signs out when the server rejects the stored credential, and
 * notices a wall-clock jump (sleep/resume) to check every overdue session at once.
 */
import type { Cluster, SessionState } from '../../../shared/model'
import { TokendeckError, isTokendeckError } from '../../../shared/errors'
import type { AuditPort } from '../audit'
import type { ClusterRegistry } from '../clusters'
import { bindingFor, bindingMismatch, type SecretStore } from '../secrets'
import type { Clock, Ticker } from '../time'
import type { SessionGrant, VendorClient } from '../vendors/vendor'
import { DEFAULT_BACKOFF, nextRetryAt, type BackoffPolicy } from './backoff'
import { CredentialWriter } from './credentialWriter'
import { RefreshQueue, type RefreshPriority } from './refreshQueue'
import {
  accessValid,
  stateAfterRefreshFailure,
  stateAfterSignInFailure,
  type SessionData,
} from './session'

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
  /** Clusters whose stored credential has been read from the keychain (or is being read). */
  private readonly loading = new Map<string, Promise<void>>()
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
  /** Rotated credentials on their way to the keychain (write-behind). */
  readonly writer: CredentialWriter

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
    this.writer = new CredentialWriter({
      store: opts.secrets,
      now: () => opts.clock.now(),
      busy: () => this.queue.busy,
      onResult: (clusterId, error) => this.afterWrite(clusterId, error),
    })
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
   * Reads the cluster's stored credential from the keychain once (one getPassword: no listing,
   * which races other processes in libsecret) and, if there is one, refreshes or checks it in the
   * background. A credential issued for another server, user or org is never sent: the session
   * stays signed out and says why.
   */
  load(clusterId: string): Promise<void> {
    let p = this.loading.get(clusterId)
    if (!p) {
      p = this.doLoad(clusterId)
      this.loading.set(clusterId, p)
      // A keychain that failed may work next time.
      p.catch(() => this.loading.delete(clusterId))
    }
    return p
  }

  private async doLoad(clusterId: string): Promise<void> {
    const cluster = this.opts.registry.get(clusterId)
    if (this.data(clusterId).stored) return
    const credential = await this.opts.secrets.getCredential(clusterId)
    const d = this.data(clusterId)
    if (!credential || d.stored) return // nothing stored, or signed in meanwhile
    const mismatch = bindingMismatch(credential.binding, bindingFor(cluster))
    if (mismatch !== undefined) {
      this.setState(clusterId, {
        state: 'signed-out',
        reason: {
          code: 'NOT_SIGNED_IN',
          message: `Tokendeck did not use the credential saved for ${cluster.name}: ${mismatch} Sign in again.`,
        },
      })
      return
    }
    d.stored = { kind: credential.kind, value: credential.value }
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
    await this.writer.cancel(clusterId) // an older rotated value must not land after this one
    await this.persistStored(clusterId)
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
      await this.writer.cancel(clusterId) // an older rotated credential must not overwrite this one
      await this.persistStored(clusterId)
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
    await this.writer.cancel(clusterId) // an older rotated credential must not overwrite this one
    await this.persistStored(clusterId)
    this.setState(clusterId, { state: 'active', ...expiry(grant.access.expiresAt) })
  }

  async signOut(clusterId: string): Promise<void> {
    const d = this.data(clusterId)
    if (d.stored) this.opts.audit?.record({ event: 'session:sign-out', clusterId })
    d.access = undefined
    d.stored = undefined
    d.identity = undefined
    d.failures = 0
    await this.writer.cancel(clusterId) // a pending write must not bring it back
    await this.opts.secrets.deleteCredential(clusterId)
    this.setState(clusterId, { state: 'signed-out' })
  }

  /** Drops a removed cluster's session (its secrets are removed by the caller). */
  forget(clusterId: string): void {
    void this.writer.cancel(clusterId)
    this.sessions.delete(clusterId)
    this.loading.delete(clusterId)
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
    if (accessValid(d, this.opts.clock.now(), margin) && this.usable(d.state))
      return d.access!.token
    this.assertCanRefresh(cluster, d)
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
    this.setState(clusterId, {
      state: 'expired',
      reason: {
        code: 'REFRESH_EXPIRED',
        message: `The session on ${cluster.name} has ended: sign in again.`,
      },
    })
    throw new TokendeckError(
      'REFRESH_EXPIRED',
      `The session on ${cluster.name} has ended: sign in again.`,
    )
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
    for (const cluster of this.opts.registry.list()) {
      const d = this.sessions.get(cluster.id)
      if (!d?.stored || this.inflight.has(cluster.id)) continue
      if (this.isDue(cluster, d, now, woke))
        due.push({ id: cluster.id, expiresAt: d.access?.expiresAt ?? 0 })
    }
    // Soonest expiry first: after sleep, the sessions about to lapse are caught up before the rest.
    due.sort((a, b) => a.expiresAt - b.expiresAt)
    await Promise.all(due.map(({ id }) => this.refreshLoaded(id).catch(() => undefined)))
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

  private isDue(cluster: Cluster, d: SessionData, now: number, woke: boolean): boolean {
    const s = d.state
    if (
      s.state === 'untrusted' ||
      s.state === 'signed-out' ||
      s.state === 'signing-in' ||
      s.state === 'locked'
    )
      return false
    if (s.state === 'failed') return s.retryAt !== undefined && s.retryAt <= now
    if (woke) return true
    const refreshes = this.opts.clients.get(cluster).capabilities.refreshesAccessTokens
    if (refreshes)
      return (
        !accessValid(d, now, this.marginMs()) || (d.refreshAt !== undefined && now >= d.refreshAt)
      )
    return d.checkedAt === undefined || now - d.checkedAt >= this.checkIntervalMs
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
    const tried = new Set([stored.value])
    try {
      const client = this.opts.clients.get(cluster)
      let used = stored.value
      let grant
      try {
        grant = await client.resume(used)
      } catch (e) {
        // Another process may have refreshed since we loaded the credential (a Tokendeck that
        // predates the agent, or an owner that handed over), spending ours where refresh tokens
        // are single-use: try the keychain's once.
        const newer = await this.newerStoredValue(clusterId, stored, e)
        if (newer === undefined) throw e
        tried.add(newer)
        used = newer
        grant = await client.resume(used)
      }
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
      if (grant.stored.value !== used) this.persistBehind(clusterId)
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
        await this.writer.cancel(clusterId)
        const current = await this.opts.secrets.getCredential(clusterId).catch(() => undefined)
        if (current !== undefined && tried.has(current.value)) {
          await this.opts.secrets.deleteCredential(clusterId).catch(() => false)
        }
      }
      this.setState(clusterId, next)
      throw error
    }
  }

  /** After a rejected credential: the keychain's value, when it differs from the one rejected. */
  private async newerStoredValue(
    clusterId: string,
    stored: NonNullable<SessionData['stored']>,
    error: unknown,
  ): Promise<string | undefined> {
    if (!isTokendeckError(error) || error.code !== 'REFRESH_EXPIRED') return undefined
    const current = await this.opts.secrets.getCredential(clusterId).catch(() => undefined)
    if (current === undefined || current.value === stored.value) return undefined
    const cluster = this.opts.registry.get(clusterId)
    return bindingMismatch(current.binding, bindingFor(cluster)) === undefined
      ? current.value
      : undefined
  }

  /**
   * When to refresh a token expiring at `expiresAt`: somewhere in the window of one refresh
   * margin before the margin, at random, so sessions signed in together (or resumed together)
   * drift apart instead of all coming due in the same tick.
   */
  private refreshMoment(expiresAt: number | undefined): number | undefined {
    if (expiresAt === undefined) return undefined
    const latest = expiresAt - this.marginMs()
    const window = Math.min(this.marginMs(), Math.max(0, latest - this.opts.clock.now()))
    return latest - this.random() * window
  }

  private persistBehind(clusterId: string): void {
    const stored = this.data(clusterId).stored
    if (!stored) return
    const binding = bindingFor(this.opts.registry.get(clusterId))
    this.writer.enqueue(clusterId, { kind: stored.kind, value: stored.value, binding })
  }

  /** A write-behind failed (the session keeps working, and says the keychain failed) or healed. */
  private afterWrite(clusterId: string, error: TokendeckError | undefined): void {
    const d = this.sessions.get(clusterId)
    if (!d?.stored) return
    if (error) {
      if (d.state.state === 'failed' && d.state.error.code === error.code) return // said already
      // Still usable (failed keeps the access token); refreshing goes on when it is due.
      const retryAt = d.refreshAt ?? this.opts.clock.now() + this.tickMs
      this.setState(clusterId, { state: 'failed', error: error.toInfo(), retryAt })
    } else if (d.state.state === 'failed' && d.state.error.code === 'KEYCHAIN_UNAVAILABLE') {
      this.setState(clusterId, { state: 'active', ...expiry(d.access?.expiresAt) })
    }
  }

  private async persistStored(clusterId: string): Promise<void> {
    const stored = this.data(clusterId).stored
    if (!stored) return
    const binding = bindingFor(this.opts.registry.get(clusterId))
    await this.opts.secrets.setCredential(clusterId, {
      kind: stored.kind,
      value: stored.value,
      binding,
    })
  }

  private assertCanRefresh(cluster: Cluster, d: SessionData): void {
    const s = d.state
    if (s.state === 'untrusted') {
      throw new TokendeckError(
        'TLS_PIN_MISMATCH',
        `The certificate of ${cluster.name} changed: review and trust it again.`,
        {
          seenSha256: s.seenSha256,
        },
      )
    }
    if (s.state === 'locked') {
      throw new TokendeckError('ACCOUNT_LOCKED', `The account on ${cluster.name} is locked.`, {
        retryAt: s.until,
      })
    }
    if (!d.stored) {
      // Say why when we know (e.g. a saved credential issued for another server was not used).
      if (s.state === 'signed-out' && s.reason?.code === 'NOT_SIGNED_IN')
        throw new TokendeckError('NOT_SIGNED_IN', s.reason.message)
      throw new TokendeckError('NOT_SIGNED_IN', `Not signed in to ${cluster.name}: sign in first.`)
    }
  }

  private usable(s: SessionState): boolean {
    return s.state === 'active' || s.state === 'refreshing' || s.state === 'failed'
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

function expiry(expiresAt: number | undefined): { expiresAt?: number } {
  return expiresAt === undefined ? {} : { expiresAt }
}

function asTokendeckError(e: unknown): TokendeckError {
  if (isTokendeckError(e)) return e
  return new TokendeckError(
    'INTERNAL',
    'Tokendeck hit an internal error while talking to the cluster.',
    { cause: e },
  )
}
