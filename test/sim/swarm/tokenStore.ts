import { randomBytes } from 'node:crypto'
import type { Clock } from '../common/clock'
import type { IssueTokenInput, SwarmToken } from './types'

export interface TokenStoreOptions {
  defaultTtlMs: number
  maxTtlMs?: number
  reapGraceMs: number
  listingLagMs: number
}

/**
 * Tokens as Gateway keeps them: objects whose lifepoint deletes them some time after expiry
 * (docs/protocols/swarm.md §1 DOC). Authentication treats a token as gone the moment it expires; listings
 * may still show it until it is reaped (docs/protocols/swarm.md §2.3 DESIGN grace period).
 */
export class TokenStore {
  readonly tokens = new Map<string, SwarmToken>()
  /** Deleted tokens still visible to listings (docs/protocols/swarm.md §2.3 DESIGN: optional lag). */
  private recentlyDeleted: Array<{ token: SwarmToken; at: number }> = []
  /** Every secret ever handed out, kept after the token is gone, for secret-hygiene tests. */
  private issued = new Set<string>()

  constructor(
    private readonly clock: Clock,
    private readonly opts: TokenStoreOptions,
  ) {}

  issue(input: IssueTokenInput): SwarmToken {
    const now = this.clock.now()
    let expiresAt = input.expiresAt ?? now + this.opts.defaultTtlMs
    // docs/protocols/swarm.md §8 DESIGN `maxTokenHours`: a site cap clamps (one vendor doc shows +10 days → 5 days).
    if (this.opts.maxTtlMs !== undefined) expiresAt = Math.min(expiresAt, now + this.opts.maxTtlMs)
    const token: SwarmToken = {
      // docs/protocols/swarm.md §2.1: observed ids are 32 lowercase hex characters.
      id: randomBytes(16).toString('hex'),
      owner: input.owner,
      creator: input.creator ?? input.owner,
      scope: input.scope,
      createdAt: now,
      expiresAt,
      customMeta: { ...input.customMeta },
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.s3Secret !== undefined ? { s3Secret: input.s3Secret } : {}),
      get hasS3Secret() {
        return this.s3Secret !== undefined
      },
    }
    this.tokens.set(token.id, token)
    this.issued.add(token.id)
    if (token.s3Secret !== undefined) this.issued.add(token.s3Secret)
    return token
  }

  /** The token if it authenticates now; expired and unknown ids are both undefined. */
  live(id: string): SwarmToken | undefined {
    this.reap()
    const token = this.tokens.get(id)
    return token && token.expiresAt > this.clock.now() ? token : undefined
  }

  liveTokens(): SwarmToken[] {
    this.reap()
    const now = this.clock.now()
    return [...this.tokens.values()].filter((t) => t.expiresAt > now)
  }

  /** What a listing shows: live tokens, expired ones not yet reaped, deletions not yet visible. */
  listed(): SwarmToken[] {
    this.reap()
    const now = this.clock.now()
    this.recentlyDeleted = this.recentlyDeleted.filter((d) => now - d.at < this.opts.listingLagMs)
    return [...this.tokens.values(), ...this.recentlyDeleted.map((d) => d.token)]
  }

  delete(id: string): void {
    const token = this.tokens.get(id)
    if (!token) return
    this.tokens.delete(id)
    if (this.opts.listingLagMs > 0) this.recentlyDeleted.push({ token, at: this.clock.now() })
  }

  expire(id: string): void {
    const token = this.tokens.get(id)
    if (token) token.expiresAt = Math.min(token.expiresAt, this.clock.now())
  }

  remember(secret: string): void {
    this.issued.add(secret)
  }

  issuedSecrets(): string[] {
    const all = new Set(this.issued)
    // A test may have set a secret through the state handle; it counts as issued too.
    for (const t of this.tokens.values()) {
      all.add(t.id)
      if (t.s3Secret !== undefined) all.add(t.s3Secret)
    }
    return [...all]
  }

  private reap(): void {
    const cutoff = this.clock.now() - this.opts.reapGraceMs
    for (const [id, t] of this.tokens) if (t.expiresAt <= cutoff) this.tokens.delete(id)
  }
}
