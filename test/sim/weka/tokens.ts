import type { Clock } from '../common/clock'
import { tokenId, type JwtSigner } from './jwt'
import type { WekaUser } from './users'

/** `long-lived` is an access token minted through /login/refresh with `access_token_expiry` (docs/protocols/weka.md §4.1). */
export type TokenKind = 'access' | 'refresh' | 'long-lived'

export interface TokenRecord {
  token: string
  kind: TokenKind
  uid: string
  username: string
  orgName: string
  issuedAt: number
  /** Milliseconds since the epoch, by the injected clock. */
  expiresAt: number
  /** The user's revocation cycle when minted; a bump makes the token dead (docs/protocols/weka.md §4.2). */
  revocationCycle: number
  /** Set when a single-use refresh token has been spent. */
  usedAt?: number
}

export type TokenProblem = 'malformed' | 'unknown' | 'expired' | 'revoked' | 'used' | 'wrong-kind'

/** The internal role name seen in a real access token's `sub.role` (docs/protocols/weka.md §6 SHOT: "ClusterAdminUser"). */
const claimRole = (u: WekaUser) => `${u.role}User`

/**
 * Every token the simulator minted. The JWT carries exp/iat and the revocation cycle like WEKA's,
 * but the simulator decides validity from this store and its clock, so tests can expire or revoke.
 */
export class TokenStore {
  private readonly records = new Map<string, TokenRecord>()

  constructor(
    private readonly signer: JwtSigner,
    private readonly clock: Clock,
  ) {}

  issue(user: WekaUser, kind: TokenKind, ttlSeconds: number): TokenRecord {
    const nowMs = this.clock.now()
    const iat = Math.floor(nowMs / 1000)
    const exp = iat + ttlSeconds
    const sub =
      kind === 'refresh'
        ? {
            org_id: user.orgId,
            proof: `uidx=${user.index};uuid=0;ucyc=${user.revocationCycle};oidx=${user.orgId};ouid=0`,
            username: user.username,
          }
        : {
            org_id: user.orgId,
            revocation_cycle: user.revocationCycle,
            role: claimRole(user),
            source: user.source,
            username: user.username,
          }
    // docs/protocols/weka.md §6 DESIGN: real tokens have no jti; two tokens of one user minted in the same
    // second would then be byte-identical, which breaks "new refresh token each time" and
    // single-use bookkeeping. Clients treat tokens as opaque, so the extra claim is harmless.
    const token = this.signer.sign({ exp, iat, itt: 'BACKEND', jti: tokenId(), sub })
    const record: TokenRecord = {
      token,
      kind,
      uid: user.uid,
      username: user.username,
      orgName: user.orgName,
      issuedAt: nowMs,
      expiresAt: exp * 1000,
      revocationCycle: user.revocationCycle,
    }
    this.records.set(token, record)
    return record
  }

  /** The record when `token` is ours, of one of `kinds`, unexpired, unrevoked and unspent. */
  check(
    token: string,
    kinds: readonly TokenKind[],
    userOf: (uid: string) => WekaUser | undefined,
  ): { ok: true; record: TokenRecord; user: WekaUser } | { ok: false; problem: TokenProblem } {
    if (!this.signer.verify(token)) return { ok: false, problem: 'malformed' }
    const record = this.records.get(token)
    if (!record) return { ok: false, problem: 'unknown' }
    if (!kinds.includes(record.kind)) return { ok: false, problem: 'wrong-kind' }
    const user = userOf(record.uid)
    if (!user || user.revocationCycle !== record.revocationCycle)
      return { ok: false, problem: 'revoked' }
    if (record.usedAt !== undefined) return { ok: false, problem: 'used' }
    if (this.clock.now() >= record.expiresAt) return { ok: false, problem: 'expired' }
    return { ok: true, record, user }
  }

  markUsed(record: TokenRecord): void {
    record.usedAt = this.clock.now()
  }

  /** Fault knob "expired tokens": every matching token expires now, without waiting. */
  expire(filter: (r: TokenRecord) => boolean): number {
    const now = this.clock.now()
    let n = 0
    for (const r of this.records.values()) {
      if (filter(r) && r.expiresAt > now) {
        r.expiresAt = now
        n += 1
      }
    }
    return n
  }

  all(): TokenRecord[] {
    return [...this.records.values()]
  }
}
