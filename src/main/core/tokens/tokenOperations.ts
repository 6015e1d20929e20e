/**
 * Generate, list, modify, revoke and rotate tokens across vendors. Asks capabilities, never
 * vendor names. Every call borrows the session's credentials (SessionManager.withSession: a
 * fresh access token, one retry after a refresh when the server rejects it) and passes them to
 * the vendor client; a stored credential that minting rotated (WEKA) goes back to the session.
 */
import type { OneTimeSecret, TokenSummary } from '../../../shared/model'
import type { CreateTokenInput, RotateStep } from '../../../shared/contract'
import { TokendeckError, isTokendeckError } from '../../../shared/errors'
import { outcomeOf, type AuditEntry, type AuditPort } from '../audit'
import { inertToken } from './serverText'
import type { ClusterRegistry } from '../clusters'
import type { SessionCredentials, SessionManager, VendorClients } from '../sessions/sessionManager'
import type {
  CreatedToken,
  CreateTokenRequest,
  RevokeTarget,
  TokenPatch,
  VendorClient,
} from '../vendors/vendor'
import type { Clock } from '../time'
import type { KeptS3Keys } from '../s3keys/keptS3Keys'

export interface RotateResult {
  steps: RotateStep[]
  token?: TokenSummary
  secrets: OneTimeSecret[]
}

export class TokenOperations {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly sessions: SessionManager,
    private readonly clients: VendorClients,
    private readonly clock: Clock,
    /** Kept S3 keys: handles to keep new ones by, and forgetting the keys of revoked tokens. */
    private readonly s3Keys?: KeptS3Keys,
    /** Records create, rotate, revoke and changes (core/audit). */
    private readonly audit?: AuditPort,
  ) {}

  /** Runs one action and records how it ended; `after` adds what only the result knows. */
  private async audited<T>(
    entry: AuditEntry,
    work: () => Promise<T>,
    after?: (result: T) => Partial<AuditEntry>,
  ): Promise<T> {
    try {
      const result = await work()
      this.audit?.record({ ...entry, ...after?.(result) })
      return result
    } catch (e) {
      this.audit?.record({ ...entry, outcome: outcomeOf(e) })
      throw e
    }
  }

  /** For display (app, CLI, expiring report): server-written words made inert (serverText.ts). */
  async list(clusterId: string, owner?: string): Promise<TokenSummary[]> {
    const listed = await this.call(clusterId, 'listsTokens', 'list tokens', (client, { access }) =>
      client.listTokens(access, owner ? { owner } : undefined),
    )
    return listed.map(inertToken)
  }

  async createWarnings(input: CreateTokenInput): Promise<string[]> {
    return this.call(input.clusterId, 'generatesLongLivedTokens', 'create tokens', (client, c) =>
      client.createWarnings(c.access, toRequest(input)),
    )
  }

  /** Warnings the user has not confirmed stop the creation (the UI shows them first). */
  create(input: CreateTokenInput): Promise<{ token: TokenSummary; secrets: OneTimeSecret[] }> {
    return this.audited(
      { event: 'token:create', clusterId: input.clusterId },
      () => this.doCreate(input),
      (r) => ({ tokenId: r.token.id }),
    )
  }

  private async doCreate(
    input: CreateTokenInput,
  ): Promise<{ token: TokenSummary; secrets: OneTimeSecret[] }> {
    const request = toRequest(input)
    const created = await this.call(
      input.clusterId,
      'generatesLongLivedTokens',
      'create tokens',
      async (client, session) => {
        if (request.s3Secret && !client.capabilities.issuesS3Secrets) {
          throw new TokendeckError('UNSUPPORTED', 'This cluster does not issue S3 secrets.')
        }
        if (!input.confirmed) {
          const warnings = await client.createWarnings(session.access, request)
          if (warnings.length)
            throw new TokendeckError(
              'CONFIRMATION_REQUIRED',
              `Confirm before creating this token: ${warnings.join(' ')}`,
            )
        }
        return this.mint(input.clusterId, client, session, request)
      },
    )
    return { token: created.summary, secrets: this.offerS3(input.clusterId, created) }
  }

  /**
   * createToken with the session's credentials; a stored credential the minting rotated (WEKA's
   * refresh token) goes back to the session. Storing it may fail (a locked keychain): the token
   * is returned all the same, since a one-time secret must reach the user and the old credential
   * stays valid (docs/protocols/weka.md §3 and docs/protocols/weka.md §9.5).
   */
  private async mint(
    clusterId: string,
    client: VendorClient,
    session: SessionCredentials,
    request: CreateTokenRequest,
  ): Promise<CreatedToken> {
    const created = await client.createToken(session.access, request, session.stored)
    if (created.rotatedStored !== undefined)
      await this.sessions
        .replaceStoredCredential(clusterId, created.rotatedStored)
        .catch(() => undefined)
    return created
  }

  modify(clusterId: string, tokenId: string, patch: TokenPatch): Promise<TokenSummary> {
    const entry: AuditEntry =
      patch.expiresAt !== undefined
        ? { event: 'token:expiry', clusterId, tokenId, expiresAt: patch.expiresAt }
        : { event: patch.enabled ? 'token:enable' : 'token:disable', clusterId, tokenId }
    return this.audited(entry, () => this.doModify(clusterId, tokenId, patch))
  }

  private async doModify(
    clusterId: string,
    tokenId: string,
    patch: TokenPatch,
  ): Promise<TokenSummary> {
    return this.call(clusterId, 'listsTokens', 'change tokens', (client, { access }) => {
      if (patch.expiresAt !== undefined && !client.capabilities.modifiesExpiry) {
        throw new TokendeckError('UNSUPPORTED', 'This cluster cannot change a token’s expiry.')
      }
      if (patch.enabled !== undefined && !client.capabilities.enablesDisables) {
        throw new TokendeckError('UNSUPPORTED', 'This cluster cannot enable or disable tokens.')
      }
      return client.modifyToken(access, tokenId, patch)
    })
  }

  revoke(clusterId: string, target: RevokeTarget): Promise<void> {
    const entry: AuditEntry =
      'tokenId' in target
        ? { event: 'token:revoke', clusterId, tokenId: target.tokenId }
        : { event: 'token:revoke', clusterId, user: target.username }
    return this.audited(entry, () => this.doRevoke(clusterId, target))
  }

  private async doRevoke(clusterId: string, target: RevokeTarget): Promise<void> {
    const cluster = this.registry.get(clusterId)
    const client = this.clients.get(cluster)
    const wantsAll = 'username' in target
    if (wantsAll !== (client.capabilities.revokes === 'all-of-user')) {
      throw new TokendeckError(
        'UNSUPPORTED',
        wantsAll
          ? `${cluster.name} revokes tokens one at a time.`
          : `${cluster.name} can only revoke all tokens of a user.`,
      )
    }
    // Swarm lists the session's own token like any other: deleting it ends the session.
    const ownSession = await this.sessions.withSession(clusterId, async ({ access }) => {
      const own = 'tokenId' in target && client.isCurrentSession?.(access, target.tokenId) === true
      await client.revoke(access, target)
      return own
    })
    // Best effort: the token is revoked on the server whatever the local list says; a kept key
    // that could not be forgotten now fails at its next use (the server refuses it).
    await this.s3Keys
      ?.forgetRevoked(
        clusterId,
        'tokenId' in target ? { tokenId: target.tokenId } : { owner: target.username },
      )
      .catch(() => undefined)
    // Revoking our own user's tokens ends our session too (WEKA revoke-all).
    if (
      ownSession ||
      (wantsAll && this.sessions.identity(clusterId)?.username === target.username)
    ) {
      await this.sessions.signOut(clusterId)
    }
  }

  /**
   * Create the replacement, prove it works with an authenticated call, then revoke the old one.
   * Each step is reported; a failure midway leaves whatever exists usable and says so.
   */
  rotate(clusterId: string, tokenId: string, confirmed = false): Promise<RotateResult> {
    return this.audited(
      { event: 'token:rotate', clusterId, tokenId },
      () => this.doRotate(clusterId, tokenId, confirmed),
      (r) => ({
        ...(r.token ? { newTokenId: r.token.id } : {}),
        // Rotation reports its steps instead of failing: the record keeps them.
        ...(r.steps.every((s) => s.status === 'done')
          ? {}
          : { outcome: 'partial', what: r.steps.map((s) => `${s.step} ${s.status}`).join(', ') }),
      }),
    )
  }

  private async doRotate(
    clusterId: string,
    tokenId: string,
    confirmed = false,
  ): Promise<RotateResult> {
    const client = this.client(clusterId, 'rotates', 'rotate tokens')
    const old = (
      await this.sessions.withSession(clusterId, ({ access }) => client.listTokens(access))
    ).find((t) => t.id === tokenId)
    if (!old) throw new TokendeckError('NOT_FOUND', 'That token no longer exists on the cluster.')
    const steps: RotateStep[] = []
    const request: CreateTokenRequest = {
      owner: old.owner,
      ...(old.description ? { description: old.description } : {}),
      ...(old.hasS3Secret ? { s3Secret: true } : {}),
      ...this.sameLifetime(old),
    }

    let created
    try {
      created = await this.sessions.withSession(clusterId, async (session) => {
        if (!confirmed) {
          const warnings = await client.createWarnings(session.access, request)
          if (warnings.length)
            throw new TokendeckError(
              'CONFIRMATION_REQUIRED',
              `Confirm before rotating: ${warnings.join(' ')}`,
            )
        }
        return this.mint(clusterId, client, session, request)
      })
      steps.push({
        step: 'create',
        status: 'done',
        message: `Created a new token for ${old.owner}.`,
      })
    } catch (e) {
      // Unconfirmed warnings are not a failed step: nothing was tried, the caller must ask.
      if (isTokendeckError(e) && e.code === 'CONFIRMATION_REQUIRED') throw e
      steps.push({
        step: 'create',
        status: 'failed',
        message: this.createFailure(e, client, old.owner),
      })
      steps.push({ step: 'prove', status: 'skipped', message: 'Nothing new to prove.' })
      steps.push({
        step: 'revoke-old',
        status: 'skipped',
        message: 'The old token was left as it was and still works.',
      })
      return { steps, secrets: [] }
    }

    const newToken = created.secrets.find((s) => s.kind === 'access-token')?.value
    try {
      if (!newToken) throw new TokendeckError('BAD_RESPONSE', 'The server returned no token.')
      await client.proveToken(newToken)
      steps.push({
        step: 'prove',
        status: 'done',
        message: 'The new token authenticated successfully.',
      })
    } catch (e) {
      steps.push({
        step: 'prove',
        status: 'failed',
        message: `The new token did not work (${messageOf(e)}). Both tokens exist; the old one still works and was kept.`,
      })
      steps.push({
        step: 'revoke-old',
        status: 'skipped',
        message: 'The old token was kept because the new one is not proven.',
      })
      return { steps, token: created.summary, secrets: this.offerS3(clusterId, created) }
    }

    try {
      await this.sessions.withSession(clusterId, ({ access }) =>
        client.revoke(access, { tokenId: old.id }),
      )
      await this.s3Keys?.forgetRevoked(clusterId, { tokenId: old.id }).catch(() => undefined)
      if (old.isCurrentSession) {
        // It was the token Tokendeck's own session used: that session is over now.
        await this.sessions.signOut(clusterId)
        steps.push({
          step: 'revoke-old',
          status: 'done',
          message:
            'The old token was revoked. It was the token of this session, so Tokendeck is signed out of the cluster now: sign in again.',
        })
      } else
        steps.push({ step: 'revoke-old', status: 'done', message: 'The old token was revoked.' })
    } catch (e) {
      steps.push({
        step: 'revoke-old',
        status: 'failed',
        message: `Could not revoke the old token (${messageOf(e)}). Both tokens work; revoke the old one when the cluster is reachable.`,
      })
    }
    return { steps, token: created.summary, secrets: this.offerS3(clusterId, created) }
  }

  /** The reply's secrets, each S3 secret with a handle the shown-once dialog can keep it by. */
  private offerS3(
    clusterId: string,
    created: { summary: TokenSummary; secrets: OneTimeSecret[] },
  ): OneTimeSecret[] {
    if (!this.s3Keys || !created.secrets.some((s) => s.kind === 's3-secret')) return created.secrets
    const cluster = this.registry.get(clusterId)
    if (!this.clients.get(cluster).capabilities.issuesS3Secrets) return created.secrets
    return this.s3Keys.offer(cluster, created.summary, created.secrets)
  }

  private sameLifetime(old: TokenSummary): Pick<CreateTokenRequest, 'expiresIn'> {
    if (old.expiresAt === undefined)
      return old.createdAt === undefined ? {} : { expiresIn: 'never' }
    const lifetime =
      old.createdAt !== undefined ? old.expiresAt - old.createdAt : old.expiresAt - this.clock.now()
    return { expiresIn: Math.max(3600, Math.round(lifetime / 1000)) }
  }

  private createFailure(e: unknown, client: VendorClient, owner: string): string {
    if (isTokendeckError(e) && e.code === 'TOKEN_LIMIT' && client.capabilities.maxTokensPerUser) {
      return (
        `${owner} already has ${client.capabilities.maxTokensPerUser} tokens, the most this cluster allows, so no ` +
        'replacement could be created. Delete another token of this user (not the one being rotated), or delete ' +
        'this one and create a new token (there will be a gap). The old token was left as it was.'
      )
    }
    return `Could not create the replacement (${messageOf(e)}). The old token was left as it was and still works.`
  }

  /** This cluster's client, when it can do `what` at all. */
  private client(
    clusterId: string,
    capability: 'listsTokens' | 'generatesLongLivedTokens' | 'rotates',
    what: string,
  ): VendorClient {
    const cluster = this.registry.get(clusterId)
    const client = this.clients.get(cluster)
    if (!client.capabilities[capability])
      throw new TokendeckError('UNSUPPORTED', `${cluster.name} cannot ${what}.`)
    return client
  }

  /** One call with the session's credentials (SessionManager.withSession: retried once after a refresh). */
  private call<T>(
    clusterId: string,
    capability: 'listsTokens' | 'generatesLongLivedTokens' | 'rotates',
    what: string,
    work: (client: VendorClient, session: SessionCredentials) => Promise<T>,
  ): Promise<T> {
    const client = this.client(clusterId, capability, what)
    return this.sessions.withSession(clusterId, (session) => work(client, session))
  }
}

function toRequest(input: CreateTokenInput): CreateTokenRequest {
  return {
    ...(input.expiresIn !== undefined ? { expiresIn: input.expiresIn } : {}),
    ...(input.owner ? { owner: input.owner } : {}),
    ...(input.description ? { description: input.description } : {}),
    ...(input.s3Secret ? { s3Secret: true } : {}),
  }
}

function messageOf(e: unknown): string {
  return isTokendeckError(e) ? e.message : 'unexpected error'
}
