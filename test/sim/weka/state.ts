import type { Clock } from '../common/clock'
import type { LockoutPolicy, LoginGuard } from './lockout'
import type { WekaConfig } from './options'
import type { TokenRecord, TokenStore } from './tokens'
import type { UserDirectory, WekaOrg, WekaUser } from './users'

/**
 * What tests see of (and turn in) a running WEKA simulator. Handlers go through the same
 * object, so whatever a test changes here is what the next request meets.
 */
export class WekaState {
  /** Times any user's tokens were revoked (revoke-tokens, password change, setPassword). */
  revocations = 0
  private readonly passwords = new Set<string>()
  private accessRejections = 0

  constructor(
    /** Knobs, read on every request: flip `refreshTokenSingleUse` etc. mid-test. */
    readonly config: WekaConfig,
    readonly directory: UserDirectory,
    readonly tokens: TokenStore,
    readonly guard: LoginGuard,
    private readonly clock: Clock,
  ) {
    for (const u of directory.all()) this.passwords.add(u.password)
  }

  users(): readonly WekaUser[] {
    return this.directory.all()
  }

  /** A user by name; `org` by name (any case) or ID, default Root. */
  user(username: string, org?: string | number): WekaUser | undefined {
    const o = this.directory.resolveOrg(org)
    return o && this.directory.find(o, username)
  }

  private mustUser(username: string, org?: string | number): WekaUser {
    const u = this.user(username, org)
    if (!u) throw new Error(`WEKA simulator: no user ${username} in org ${org ?? 'Root'}`)
    return u
  }

  /** The key login bookkeeping uses: resolved org ID when the org exists, else the name given. */
  loginKey(
    org: WekaOrg | undefined,
    orgRef: string | number | undefined,
    username: string,
  ): string {
    const orgPart = org ? String(org.id) : `?${String(orgRef).toLowerCase()}`
    return `${orgPart}\u0000${username}`
  }

  private keyOf(username: string, org?: string | number): string {
    return this.loginKey(this.directory.resolveOrg(org), org, username)
  }

  /** POST /login requests that named this account, successful or not. */
  loginAttempts(username: string, org?: string | number): number {
    return this.guard.attempts(this.keyOf(username, org))
  }

  /** Current streak of failed sign-ins (reset by a success or by a lock). */
  failedLogins(username: string, org?: string | number): number {
    return this.guard.failures(this.keyOf(username, org))
  }

  /** When the account's lock ends (ms since epoch), or undefined when it is not locked. */
  lockedUntil(username: string, org?: string | number): number | undefined {
    return this.guard.lockedUntil(this.keyOf(username, org))
  }

  get lockoutPolicy(): LockoutPolicy {
    return { ...this.guard.policy }
  }

  set lockoutPolicy(p: LockoutPolicy) {
    this.guard.policy = { ...p }
  }

  /** Tokens that would be accepted now (unexpired, unrevoked, unspent). */
  liveTokens(username?: string, org?: string | number): TokenRecord[] {
    const owner = username === undefined ? undefined : this.mustUser(username, org)
    const now = this.clock.now()
    return this.tokens.all().filter((r) => {
      const u = this.directory.byUid(r.uid)
      return (
        (!owner || r.uid === owner.uid) &&
        u !== undefined &&
        u.revocationCycle === r.revocationCycle &&
        r.usedAt === undefined &&
        r.expiresAt > now
      )
    })
  }

  /** Every token ever minted, dead or alive. */
  allTokens(): TokenRecord[] {
    return this.tokens.all()
  }

  /** docs/protocols/weka.md §4.2: access, refresh and long-lived tokens of the user all stop working. */
  revokeTokens(user: WekaUser): void {
    user.revocationCycle += 1
    this.revocations += 1
  }

  /** Change a password as an administrator would out of band; its tokens die unless told otherwise. */
  setPassword(
    username: string,
    password: string,
    opts: { org?: string | number; requireChange?: boolean; keepTokens?: boolean } = {},
  ): void {
    const user = this.mustUser(username, opts.org)
    this.applyPassword(user, password)
    user.passwordChangeRequired = opts.requireChange ?? false
    if (!opts.keepTokens) this.revokeTokens(user)
  }

  /** Used by PUT /users/password too, so every password the sim ever held is remembered. */
  applyPassword(user: WekaUser, password: string): void {
    user.password = password
    this.passwords.add(password)
  }

  /** Fault knob "expired tokens": the user's (or everyone's) tokens expire now. Returns how many. */
  expireTokens(username?: string, org?: string | number): number {
    const owner = username === undefined ? undefined : this.mustUser(username, org)
    return this.tokens.expire((r) => !owner || r.uid === owner.uid)
  }

  /**
   * Fault knob "access token rejected in flight": the next `times` API calls made with a valid
   * session access token get 401, as when the token expired between the client's check and the
   * server's (docs/protocols/weka.md §3). Long-lived tokens and /login calls are not affected;
   * 0 turns the knob off.
   */
  rejectAccessTokens(times = 1): void {
    this.accessRejections = times
  }

  /** Whether this call is one the knob above rejects (consumes one). */
  takeAccessRejection(): boolean {
    if (this.accessRejections <= 0) return false
    this.accessRejections -= 1
    return true
  }

  /** Every token minted and every password known, for tests that search logs for leaks. */
  issuedSecrets(): string[] {
    return [...this.passwords, ...this.tokens.all().map((r) => r.token)]
  }
}
