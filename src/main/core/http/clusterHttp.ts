/**
 * One cluster's HTTP client: one undici Agent with that cluster's TLS trust, timeouts and a cap
 * on how much of a reply we are willing to hold. Vendor modules build on `request` (raw status,
 * headers, body) and `json` (status check + defensive JSON + zod schema).
 *
 * What this layer decides for everyone:
 * - transport failures become UNREACHABLE / TIMEOUT / TLS_* (see errors.ts);
 * - any 5xx is SERVER_ERROR with the server's Retry-After as retryAt, whatever its body — a
 *   proxy's HTML "502 Bad Gateway" is the cluster failing, not a protocol mismatch, so it is
 *   retried later like any 5xx rather than reported as a bad answer;
 * - 4xx is returned, not thrown: only the vendor knows whether its 401 means "wrong password"
 *   or "token expired" (`unexpectedStatus` in replies.ts is the fallback for statuses a vendor
 *   does not expect);
 * - redirects are not followed, so a 3xx can never carry an Authorization header elsewhere.
 */
import type { Dispatcher } from 'undici'
import type { z } from 'zod'
import type { ClusterTrust } from '../../../shared/model'
import { TokendeckError } from '../../../shared/errors'
import { DeadlineError, mapTransportError, serverError, type FailureContext } from './errors'
import { deadlineFor, startDeadline, type DeadlineSetting } from './deadline'
import { LaneAgents } from './laneAgents'
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  expectStatus,
  parseJson,
  readCappedBody,
  type HttpResponse,
} from './replies'
import type { SharedAgents } from './sharedAgents'
import { parseHttpsUrl, queryString, type HttpsTarget, type Query } from './url'
import { currentLane } from './lane'

// The request's parts live beside it: connections and TLS trust (laneAgents.ts, trust.ts), the
// overall deadline (deadline.ts), reading and judging replies (replies.ts), the query (url.ts).
export {
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_HEADERS_TIMEOUT_MS,
  USER_LANE_CONNECTIONS,
} from './laneAgents'
export { DEFAULT_REQUEST_DEADLINE_MS } from './deadline'
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  expectStatus,
  parseJson,
  unexpectedStatus,
  type HttpResponse,
  type StatusContext,
  type UnexpectedStatus,
} from './replies'
export type { QueryValue } from './url'

export interface ClusterHttpOptions {
  /** https://host[:port][/prefix] */
  url: string
  trust: ClusterTrust
  /** TCP connect + TLS handshake, ms. */
  connectTimeoutMs?: number
  /** From request sent to response headers received, ms. */
  headersTimeoutMs?: number
  /** Longest silence while the body arrives, ms. */
  bodyTimeoutMs?: number
  /**
   * Overall deadline for each request (connect + headers + whole body), ms, unless the request
   * gives its own `timeoutMs`. A function is read at the start of every request, so a changed
   * setting applies without rebuilding the client. Missing, non-positive or non-finite values
   * (or a function that throws) fall back to DEFAULT_REQUEST_DEADLINE_MS: no request is ever
   * without a deadline.
   */
  deadlineMs?: DeadlineSetting
  /** Larger replies are cut off and reported as BAD_RESPONSE. */
  maxResponseBytes?: number
  /** Clock for turning "Retry-After: 30" into epoch ms (time is injected). */
  now?: () => number
  /** Parallel connections to this cluster. */
  connections?: number
  /** Lease the Agent from here, shared with other clients of the same origin and trust. */
  sharedAgents?: SharedAgents
}

export interface RequestOptions {
  headers?: Record<string, string>
  /** Undefined values are left out. Never appears in error messages. */
  query?: Query
  /** Sent as application/json. Mutually exclusive with `body`. */
  json?: unknown
  body?: string | Uint8Array
  /**
   * Overall deadline for this request (connect, headers and body), ms. Defaults to the client's
   * `deadlineMs`.
   */
  timeoutMs?: number
  /**
   * How messages name this request, instead of "METHOD /path" — for paths that carry a secret
   * (Swarm's /.TOKEN/{token}).
   */
  endpoint?: string
  /** Override the client's response size cap for this request. */
  maxResponseBytes?: number
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD'

export class ClusterHttp {
  readonly origin: string
  readonly host: string
  private readonly target: HttpsTarget
  private readonly agents: LaneAgents
  private readonly maxResponseBytes: number
  private readonly now: () => number
  private readonly deadlineMs: DeadlineSetting
  private closed = false

  constructor(opts: ClusterHttpOptions) {
    this.target = parseHttpsUrl(opts.url)
    this.origin = this.target.origin
    this.host = this.target.host
    this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    this.now = opts.now ?? Date.now
    this.deadlineMs = opts.deadlineMs
    this.agents = new LaneAgents({
      origin: this.origin,
      host: this.host,
      trust: opts.trust,
      connectTimeoutMs: opts.connectTimeoutMs,
      headersTimeoutMs: opts.headersTimeoutMs,
      bodyTimeoutMs: opts.bodyTimeoutMs,
      connections: opts.connections,
      sharedAgents: opts.sharedAgents,
    })
  }

  /**
   * Send one request and read the whole (capped) reply. Throws TokendeckError for transport
   * failures, timeouts, untrusted certificates, 5xx and oversized replies; returns every other
   * status for the caller to interpret.
   */
  async request(
    method: HttpMethod,
    path: string,
    opts: RequestOptions = {},
  ): Promise<HttpResponse> {
    const ctx: FailureContext = { endpoint: opts.endpoint ?? `${method} ${path}`, host: this.host }
    if (this.closed)
      throw new TokendeckError(
        'INTERNAL',
        `The connection to ${this.host} was closed; ${ctx.endpoint} was not sent.`,
      )
    if (!path.startsWith('/'))
      throw new TokendeckError('INTERNAL', `Request path must start with "/" (${ctx.endpoint}).`)
    if (opts.json !== undefined && opts.body !== undefined)
      throw new TokendeckError('INTERNAL', `Give either json or body, not both (${ctx.endpoint}).`)

    const headers: Record<string, string> = { accept: 'application/json' }
    for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v
    let body: string | Uint8Array | undefined = opts.body
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json)
      headers['content-type'] ??= 'application/json'
    }

    // One deadline for the whole exchange (deadline.ts), whatever phase it is in.
    const deadline = startDeadline(deadlineFor(opts.timeoutMs, this.deadlineMs))
    // Any failure once the deadline has passed is the deadline's doing (undici reports it as an
    // abort, a destroyed body or a closed socket).
    const fail = (err: unknown): TokendeckError =>
      mapTransportError(deadline.hit ? new DeadlineError(deadline.ms) : err, ctx)

    try {
      let res: Dispatcher.ResponseData
      const pending = this.agents.agentFor(currentLane()).request({
        origin: this.origin,
        path: this.target.basePath + path + queryString(opts.query),
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: deadline.signal,
      })
      try {
        res = await Promise.race([pending, deadline.passed])
      } catch (err) {
        // Should undici still answer after the deadline won, let that reply (and its socket) go.
        pending.then(
          (late) => late.body.destroy(),
          () => undefined,
        )
        throw fail(err)
      }

      const receivedAt = this.now()
      if (res.statusCode >= 500) {
        // Read a little and let go: the connection goes back to the pool, the body is not ours to show.
        await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined)
        throw serverError(res.statusCode, res.headers['retry-after'], receivedAt, ctx)
      }

      const replyBody = await readCappedBody(res, {
        head: method === 'HEAD',
        cap: opts.maxResponseBytes ?? this.maxResponseBytes,
        ctx,
        fail,
      })
      return {
        status: res.statusCode,
        headers: res.headers,
        body: replyBody,
        endpoint: ctx.endpoint,
        host: this.host,
        receivedAt,
      }
    } finally {
      deadline.clear()
    }
  }

  /**
   * Request, check the status (default: any 2xx) and parse the body as JSON matching `schema`.
   * Anything unexpected is a TokendeckError, never a crash.
   */
  async json<S extends z.ZodType>(
    method: HttpMethod,
    path: string,
    schema: S,
    opts: RequestOptions & { okStatus?: number | readonly number[] } = {},
  ): Promise<z.output<S>> {
    const res = await this.request(method, path, opts)
    expectStatus(res, opts.okStatus)
    return parseJson(res, schema)
  }

  /**
   * Stop using this cluster: wait briefly for requests in flight, then drop every connection.
   */
  async close(graceMs = 1000): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.agents.close(graceMs)
  }
}
