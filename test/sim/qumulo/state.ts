import type { Clock } from '../common/clock'
import { resolveIdentity } from './identities'
import { sessionLive } from './sessions'
import { mintAccessToken } from './tokens'
import type {
  AccessTokenRecord,
  QumuloClusterIdentity,
  QumuloPrincipal,
  QumuloRole,
  QumuloSession,
  QumuloSettings,
  QumuloState,
  QumuloUser,
  LoginAttempt,
} from './types'

/** The simulator's whole memory, plus the few operations tests and handlers share. */
export class State implements QumuloState {
  readonly sessions = new Map<string, QumuloSession>()
  readonly accessTokens = new Map<string, AccessTokenRecord>()
  readonly loginAttempts: LoginAttempt[] = []
  /** Every secret ever handed out; kept after expiry/deletion so a hygiene test can look for leaks. */
  private readonly secrets = new Set<string>()

  constructor(
    readonly settings: QumuloSettings,
    readonly principals: Map<string, QumuloPrincipal>,
    readonly roles: Map<string, QumuloRole>,
    private readonly clock: Clock,
    private readonly cluster: QumuloClusterIdentity,
  ) {
    for (const u of this.users()) if (u.password !== null) this.secrets.add(u.password)
  }

  users(): QumuloUser[] {
    return [...this.principals.values()].filter((p): p is QumuloUser => p.kind === 'user')
  }

  groups(): QumuloPrincipal[] {
    return [...this.principals.values()].filter((p) => p.kind === 'group')
  }

  userByName(name: string): QumuloUser | undefined {
    const p = resolveIdentity(this.users(), { name }, this.cluster.name)
    return p?.kind === 'user' ? (p as QumuloUser) : undefined
  }

  liveSessions(): QumuloSession[] {
    const now = this.clock.now()
    return [...this.sessions.values()].filter((s) => sessionLive(s, now))
  }

  privilegesOf(authId: string): string[] {
    const p = this.principals.get(authId)
    if (!p) return []
    const ids = new Set([p.authId, ...p.groups])
    const out = new Set<string>()
    for (const role of this.roles.values()) {
      if ([...role.members].some((m) => ids.has(m)))
        for (const priv of role.privileges) out.add(priv)
    }
    return [...out].sort()
  }

  /** Role names are case-insensitive (docs/protocols/qumulo.md §7 DOC). */
  role(name: string): QumuloRole | undefined {
    return [...this.roles.values()].find((r) => r.name.toLowerCase() === name.toLowerCase())
  }

  grantRole(authId: string, roleName: string): void {
    const role = this.role(roleName)
    if (!role) throw new Error(`no role ${roleName}`)
    role.members.add(authId)
  }

  revokeRole(authId: string, roleName: string): void {
    this.role(roleName)?.members.delete(authId)
  }

  addSession(s: QumuloSession): void {
    this.sessions.set(s.bearerToken, s)
    this.secrets.add(s.bearerToken)
  }

  addAccessToken(t: AccessTokenRecord): void {
    this.accessTokens.set(t.id, t)
    this.secrets.add(t.bearerToken)
  }

  issueAccessToken(input: {
    userAuthId: string
    creatorAuthId?: string
    expiresAt?: number | null
    enabled?: boolean
  }): AccessTokenRecord {
    const t = mintAccessToken(
      {
        userAuthId: input.userAuthId,
        creatorAuthId: input.creatorAuthId ?? input.userAuthId,
        now: this.clock.now(),
        expiresAt: input.expiresAt ?? null,
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      },
      (id) => this.accessTokens.has(id),
    )
    this.addAccessToken(t)
    return t
  }

  accessTokenByBearer(bearer: string): AccessTokenRecord | undefined {
    for (const t of this.accessTokens.values()) if (t.bearerToken === bearer) return t
    return undefined
  }

  expireAllSessions(): void {
    const now = this.clock.now()
    for (const s of this.sessions.values()) s.expiresAt = Math.min(s.expiresAt, now)
  }

  issuedSecrets(): string[] {
    const passwords = this.users()
      .map((u) => u.password)
      .filter((p): p is string => p !== null)
    return [...new Set([...this.secrets, ...passwords])]
  }
}
