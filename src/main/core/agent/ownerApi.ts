/**
 * What a session owner offers, whether the caller is in the same process (a CLI that owns for its
 * lifetime) or talks to it over the agent socket (agentClient.ts): the same three operations,
 * so a command never cares which.
 */
import type { Result } from '../../../shared/contract'
import { TokendeckError } from '../../../shared/errors'
import type { Core } from '../startCore'
import type { AccessTokenReply, S3CredentialReply } from './protocol'

export interface OwnerApi {
  /** One contract channel, validated both ways by the owner's dispatcher. */
  call(channel: string, input: unknown): Promise<Result<unknown>>
  /** A fresh access token for a terminal (never for a window). */
  accessToken(clusterId: string): Promise<AccessTokenReply>
  /** A kept S3 key named by its handle, for a terminal's tool (never for a window). */
  s3Credential(clusterId: string, tokenId: string): Promise<S3CredentialReply>
  /** Load these clusters' stored sessions and wait until no refresh of theirs is in flight. */
  settle(clusterIds: string[]): Promise<void>
}

/** Channels whose reply carries a secret: paused with tokens while the screen is locked. */
const SECRET_CHANNELS = new Set(['tokens:create', 'tokens:rotate'])

export function localOwnerApi(core: Core): OwnerApi {
  return {
    async call(channel, input) {
      if (SECRET_CHANNELS.has(channel)) {
        try {
          core.lock.assertServing()
        } catch (e) {
          if (e instanceof TokendeckError) return { ok: false, error: e.toInfo() }
          throw e
        }
      }
      return core.dispatcher.invoke(channel, input)
    },
    async accessToken(clusterId) {
      core.lock.assertServing() // pause on lock (core/lock), before anything else
      core.registry.get(clusterId) // NOT_FOUND
      const token = await core.sessions.getAccessToken(clusterId)
      const s = core.sessions.state(clusterId)
      const expiresAt = s.state === 'active' || s.state === 'refreshing' ? s.expiresAt : undefined
      if (!token) throw new TokendeckError('NOT_SIGNED_IN', 'No access token.')
      return { token, ...(expiresAt !== undefined ? { expiresAt } : {}) }
    },
    async s3Credential(clusterId, tokenId) {
      core.lock.assertServing() // an S3 secret is a token too: paused while the screen is locked
      return core.s3Keys.credential(clusterId, tokenId)
    },
    async settle(clusterIds) {
      for (const id of clusterIds) await core.sessions.load(id)
      await core.sessions.idle()
    },
  }
}
