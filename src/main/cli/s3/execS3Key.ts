/**
 * Which kept S3 key `tokendeck exec` gives a Swarm command: the one named with `--s3-key` (its
 * handle, as `s3 list` shows it), else the newest one that has not expired; none (and not a word
 * about S3) when none is kept. The access key id comes only in the owner's answer for the key.
 */
import { CAPABILITIES } from '../../../shared/capabilities'
import { TokendeckError } from '../../../shared/errors'
import { S3KeyHandle, type Cluster } from '../../../shared/model'
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
  let handle = named
  if (handle === undefined) {
    // s3keys:list is newest first.
    const keys = await ctx.call('s3keys:list', { clusterId: cluster.id })
    handle = keys.find((k) => k.expiresAt === undefined || k.expiresAt > now)?.tokenId
    if (handle === undefined) return undefined
  } else checkS3KeyHandle(handle)
  // credential() refuses a key that is not kept or has expired, in words for the user.
  const c = await ctx.s3Credential(cluster.id, handle)
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    endpointUrl: cluster.s3Url ?? cluster.url,
  }
}

/** A key named on the command line: its handle (what `s3 list` shows), never echoed back whole. */
export function checkS3KeyHandle(handle: string): void {
  if (!S3KeyHandle.safeParse(handle).success)
    throw new TokendeckError(
      'INVALID_INPUT',
      `"${handle.slice(0, 12)}…" does not name a kept S3 key: use the KEY column of "tokendeck s3 list".`,
    )
}
