/**
 * Which kept S3 key `tokendeck exec` gives a Swarm command: the one named with `--s3-key`, else
 * the newest one that has not expired; none (and not a word about S3) when none is kept.
 */
import { CAPABILITIES } from '../../../shared/capabilities'
import { TokendeckError } from '../../../shared/errors'
import type { Cluster } from '../../../shared/model'
import type { CliContext } from '../context'
import type { ExecS3Key } from '../exec/credentialFiles'

export async function keptS3KeyFor(
  ctx: CliContext,
  cluster: Cluster,
  named: string | undefined,
  now = Date.now(),
): Promise<ExecS3Key | undefined> {
  if (!CAPABILITIES[cluster.vendor].issuesS3Secrets) {
    if (named !== undefined)
      throw new TokendeckError('UNSUPPORTED', `${cluster.name} does not issue S3 keys (--s3-key).`)
    return undefined
  }
  const keys = await ctx.call('s3keys:list', { clusterId: cluster.id })
  let accessKeyId = named
  if (accessKeyId === undefined) {
    // s3keys:list is newest first.
    accessKeyId = keys.find((k) => k.expiresAt === undefined || k.expiresAt > now)?.accessKeyId
    if (accessKeyId === undefined) return undefined
  }
  // credential() refuses a key that is not kept or has expired, in words for the user.
  const c = await ctx.s3Credential(cluster.id, accessKeyId)
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    endpointUrl: cluster.s3Url ?? cluster.url,
  }
}
