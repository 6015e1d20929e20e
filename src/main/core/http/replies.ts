/**
 * Reading a cluster's reply: the size cap on a body, the generic meaning of a status a vendor did
 * not expect, and defensive JSON. Kept apart from the request itself (clusterHttp.ts) because
 * these rules change for different reasons: what a reply may hold and say, not how it is fetched.
 * Vendor tests build HttpResponses by hand and run them through these functions directly.
 */
import type { Dispatcher } from 'undici'
import type { z } from 'zod'
import { TokendeckError } from '../../../shared/errors'
import { badResponse, parseRetryAfter, type FailureContext } from './errors'
import { describeIssues } from '../../../shared/validation/describeIssues'

/** Token lists and cluster info are kilobytes; 4 MiB leaves room without letting a broken or
 * hostile server fill memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024

export interface HttpResponse {
  status: number
  /** Lower-case names, as undici gives them. */
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  /** "METHOD /path" (or the caller's label): what messages about this reply name. */
  endpoint: string
  /** host[:port] of the cluster. */
  host: string
  /** When the headers arrived, by the client's clock: what "Retry-After: 30" counts from. */
  receivedAt: number
}

/**
 * Read a whole reply body, but never more than `cap` bytes: a larger one is BAD_RESPONSE, found
 * from Content-Length before reading when the server declares it. `fail` maps a transport error
 * while reading (the request's deadline decides how).
 */
export async function readCappedBody(
  res: Dispatcher.ResponseData,
  opts: { head: boolean; cap: number; ctx: FailureContext; fail: (err: unknown) => TokendeckError },
): Promise<Buffer> {
  const { cap, ctx } = opts
  // A HEAD reply's Content-Length describes a body that is never sent.
  const declared = opts.head ? 0 : Number(res.headers['content-length'])
  if (Number.isFinite(declared) && declared > cap) {
    res.body.destroy()
    throw tooLarge(ctx, cap)
  }
  let received = 0
  const chunks: Buffer[] = []
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      received += chunk.length
      // Stop reading at once: leaving the loop destroys the stream and its socket.
      if (received > cap) throw tooLarge(ctx, cap)
      chunks.push(chunk)
    }
  } catch (err) {
    throw err instanceof TokendeckError ? err : opts.fail(err)
  }
  return Buffer.concat(chunks)
}

function tooLarge(ctx: FailureContext, cap: number): TokendeckError {
  return badResponse(
    ctx,
    `the reply is larger than ${formatBytes(cap)}, more than any answer Tokendeck expects`,
  )
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} bytes`
}

/**
 * What a caller knows about the request whose status it did not expect, for the message.
 * `subject` names what the request was authenticated with ("this session", "this token").
 */
export interface StatusContext {
  subject?: string
}

/**
 * The one signature of every "unexpected status" mapper: the vendors' (`unexpectedStatus` in
 * vendors/<vendor>/errors.ts) and this generic one. Callers decide which statuses are fine and
 * hand over the rest; the mapper never decides that a status is fine, so it always returns an
 * error to throw.
 */
export type UnexpectedStatus = (res: HttpResponse, context?: StatusContext) => TokendeckError

/**
 * The generic meaning of a status nobody expected: 401 NOT_SIGNED_IN, 403 FORBIDDEN,
 * 404 NOT_FOUND, 429 SERVER_ERROR with the server's Retry-After, anything else BAD_RESPONSE.
 * Vendors map the statuses that mean something specific to them first and fall back to this.
 */
export const unexpectedStatus: UnexpectedStatus = (res, context = {}) => {
  switch (res.status) {
    case 401:
      return new TokendeckError(
        'NOT_SIGNED_IN',
        `${res.host} no longer accepts ${context.subject ?? 'this session'} (HTTP 401 on ${res.endpoint}). Sign in again.`,
      )
    case 403:
      return new TokendeckError(
        'FORBIDDEN',
        `${res.host} refused ${res.endpoint} (HTTP 403): this account is not allowed to do that.`,
      )
    case 404:
      return new TokendeckError(
        'NOT_FOUND',
        `${res.host} has nothing at ${res.endpoint} (HTTP 404). It may have been removed, or this cluster version does not offer it.`,
      )
    case 429: {
      const retryAt = parseRetryAfter(res.headers['retry-after'], res.receivedAt)
      return new TokendeckError(
        'SERVER_ERROR',
        `${res.host} is rate-limiting requests (HTTP 429 on ${res.endpoint}). Try again later.`,
        retryAt !== undefined ? { retryAt } : {},
      )
    }
    default:
      return badResponse(
        { endpoint: res.endpoint, host: res.host },
        `HTTP ${res.status}, which Tokendeck does not expect here`,
      )
  }
}

/**
 * Throw for a status the caller did not expect (default: anything outside 2xx). Vendors handle
 * their meaningful 4xx first; this is the fallback, with generic meanings for the rest.
 */
export function expectStatus(res: HttpResponse, ok?: number | readonly number[]): void {
  const allowed = ok === undefined ? undefined : typeof ok === 'number' ? [ok] : ok
  const fine =
    allowed === undefined ? res.status >= 200 && res.status < 300 : allowed.includes(res.status)
  if (!fine) throw unexpectedStatus(res)
}

/**
 * Parse a reply body as JSON and check it against `schema`. HTML pages, empty or truncated
 * bodies and wrong shapes are BAD_RESPONSE naming the endpoint. Neither the body nor the parser's
 * or validator's own words reach the message: V8's SyntaxError quotes the text around the
 * error, and the body may hold a token.
 */
export function parseJson<S extends z.ZodType>(res: HttpResponse, schema: S): z.output<S>
export function parseJson(res: HttpResponse): unknown
export function parseJson(res: HttpResponse, schema?: z.ZodType): unknown {
  const ctx = { endpoint: res.endpoint, host: res.host }
  const text = res.body.toString('utf8').replace(/^\uFEFF/, '')
  const contentType = String(res.headers['content-type'] ?? '').toLowerCase()
  if (text.trim().length === 0)
    throw badResponse(ctx, `an empty reply (HTTP ${res.status}) where JSON was expected`)
  if (contentType.includes('text/html') || /^\s*</.test(text)) {
    throw badResponse(
      ctx,
      `a web page (HTTP ${res.status}) instead of JSON — is the address the cluster's API, and not a proxy or login portal?`,
    )
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw badResponse(ctx, `the JSON is incomplete or malformed (HTTP ${res.status})`)
  }
  if (schema === undefined) return value
  const parsed = schema.safeParse(value)
  if (!parsed.success)
    throw badResponse(
      ctx,
      `the JSON does not have the expected shape (${describeIssues(parsed.error.issues, 'server-reply')})`,
    )
  return parsed.data
}
