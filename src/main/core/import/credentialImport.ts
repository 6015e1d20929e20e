/**
 * Moves a credential another tool left on disk into the session owner: the refresh token of a
 * `weka user login` file (wekaAuthFile.ts) becomes the cluster's session, kept in the keychain.
 *
 * Proved with exactly ONE refresh before anything is stored: a token the server refuses, or one
 * issued to another user than the cluster is set up for, stores nothing and says why. The refresh
 * token the server hands back (WEKA may make the old one single-use, docs/protocols/weka.md §3) is what is kept.
 */
import { TokendeckError, isTokendeckError } from '../../../shared/errors'
import type { AuditPort } from '../audit'
import { outcomeOf } from '../audit'
import type { ClusterRegistry } from '../clusters'
import type { SessionManager, VendorClients } from '../sessions/sessionManager'

export class CredentialImport {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly clients: VendorClients,
    private readonly sessions: SessionManager,
    private readonly audit?: AuditPort,
  ) {}

  async importRefreshToken(clusterId: string, refreshToken: string, source: string): Promise<void> {
    try {
      await this.doImport(clusterId, refreshToken)
      this.audit?.record({ event: 'import', clusterId, source })
    } catch (e) {
      this.audit?.record({ event: 'import', clusterId, source, outcome: outcomeOf(e) })
      throw e
    }
  }

  private async doImport(clusterId: string, refreshToken: string): Promise<void> {
    const cluster = this.registry.get(clusterId)
    const client = this.clients.get(cluster)
    if (!client.capabilities.refreshesAccessTokens)
      throw new TokendeckError('UNSUPPORTED', `${cluster.name} does not use refresh tokens.`)
    let grant
    try {
      grant = await client.resume(refreshToken)
    } catch (e) {
      const why = isTokendeckError(e) ? e.message : 'an unexpected error'
      throw new TokendeckError(
        isTokendeckError(e) ? e.code : 'INTERNAL',
        `${cluster.name} did not accept the imported token (${why}); nothing was stored.`,
      )
    }
    let identity: Awaited<ReturnType<typeof client.whoami>>
    try {
      identity = await client.whoami(grant.access.token)
    } catch (e) {
      // Whose token this is must be known before it is kept for this cluster's user.
      const why = isTokendeckError(e) ? e.message : 'an unexpected error'
      throw new TokendeckError(
        isTokendeckError(e) ? e.code : 'INTERNAL',
        `${cluster.name} accepted the imported token, but Tokendeck could not check whose it is (${why}); nothing was stored.`,
      )
    }
    if (identity.username !== cluster.username)
      throw new TokendeckError(
        'INVALID_INPUT',
        `The imported token is for user "${identity.username}", but ${cluster.name} is set up for "${cluster.username}"; nothing was stored.`,
      )
    await this.sessions.adopt(clusterId, grant, identity)
  }
}
