import { randomBytes } from 'node:crypto'
import type { SimResponse } from '../../common/server'

/** S3 speaks XML; error bodies follow the standard `<Error><Code>…` shape clients parse. */

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  )
}

export function xmlReply(status: number, xml: string, requestId = newRequestId()): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`,
  }
}

/**
 * An S3 error. `extra` adds fields S3 sends for some codes (RequestTimeTooSkewed carries
 * ServerTime, which SDKs use to correct their clock). Never pass a secret or an access key id:
 * here the access key id is the Swarm token itself.
 */
export function s3Error(
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): SimResponse {
  const requestId = newRequestId()
  const fields = Object.entries(extra)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('')
  return xmlReply(
    status,
    `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${fields}<RequestId>${requestId}</RequestId></Error>`,
    requestId,
  )
}

function newRequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase()
}
