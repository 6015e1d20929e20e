import type { SimRequest, SimResponse } from '../../common/server'
import type { Directory } from '../directory'
import type { SwarmToken } from '../types'
import { verifyS3Request, type S3AuthContext } from './verify'
import { escapeXml, s3Error, xmlReply } from './xml'

export interface S3Context extends S3AuthContext {
  directory: Directory
  buckets: Map<string, string[]>
  /** Shown as every bucket's CreationDate: the simulator's start time. */
  bucketsCreatedAt: number
}

/**
 * The minimal S3 front end docs/protocols/swarm.md §8 DESIGN asks for: ListBuckets (`GET /`) and HeadBucket
 * (`HEAD /{bucket}`), both authenticated with a Swarm token via SigV4. Anything else is 501.
 */
export function handleS3(req: SimRequest, who: { user?: string }, ctx: S3Context): SimResponse {
  const verified = verifyS3Request(req, ctx)
  if (!verified.ok) return verified.reply
  const { token } = verified
  who.user = token.owner

  const visible = bucketsFor(token, ctx)
  if (req.path === '/' && req.method === 'GET')
    return listBuckets(token, visible, ctx.bucketsCreatedAt)
  const bucket = /^\/([^/]+)\/?$/.exec(req.path)?.[1]
  if (bucket !== undefined && req.method === 'HEAD') {
    return { status: visible.includes(decodeURIComponent(bucket)) ? 200 : 404 }
  }
  return s3Error(501, 'NotImplemented', 'This operation is not simulated')
}

/**
 * Which buckets a token sees. On a real Gateway the domain comes from the Host name; the
 * simulator is reached by IP, so the token's own scope decides: its domain, or every domain of
 * its tenant for a tenant token (our choice; docs/protocols/swarm.md does not cover it).
 */
function bucketsFor(token: SwarmToken, ctx: S3Context): string[] {
  const domains =
    token.scope.kind === 'domain'
      ? [token.scope.domain]
      : (ctx.directory.tenants.find((t) => t.name === token.scope.tenant)?.domains ?? [])
  return domains.flatMap((d) => ctx.buckets.get(d) ?? [])
}

function listBuckets(token: SwarmToken, buckets: string[], createdAt: number): SimResponse {
  const created = new Date(createdAt).toISOString()
  const owner = escapeXml(token.owner)
  const items = buckets
    .map(
      (b) => `<Bucket><Name>${escapeXml(b)}</Name><CreationDate>${created}</CreationDate></Bucket>`,
    )
    .join('')
  return xmlReply(
    200,
    `<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>${owner}</ID><DisplayName>${owner}</DisplayName></Owner><Buckets>${items}</Buckets></ListAllMyBucketsResult>`,
  )
}
