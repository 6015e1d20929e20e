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
 *   or "token expired" (`expectStatus` is the fallback for statuses a vendor does not expect);
 * - redirects are not followed, so a 3xx can never carry an Authorization header elsewhere.
 */
import { Agent, type Dispatcher } from 'undici'
import type { z } from 'zod'
import type { ClusterTrust } from '../../../shared/model'
import { TokendeckError } from '../../../shared/errors'
import { describeIssues } from '../../../shared/validation/describeIssues'
import {
  badResponse,
  DeadlineError,
  mapTransportError,
  parseRetryAfter,
  serverError,
  type FailureContext,
} from './errors'
import { createTrustConnector } from './trust'
import type { AgentLease, SharedAgents } from './sharedAgents'
import { parseHttpsUrl, type HttpsTarget } from './url'
import { currentLane, type Lane } from './lane'

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
export const DEFAULT_HEADERS_TIMEOUT_MS = 15_000
export const DEFAULT_BODY_TIMEOUT_MS = 30_000
/**
 * Overall deadline for one request — connect, headers and the whole body — when the request
 * does not give its own `timeoutMs`. The per-phase timeouts above only bound silences: a server
 * that sends one byte every 20 s never trips them and could hold a request (and a single-flight
 * refresh waiting on it) forever. 45 s is longer than connect + headers (25 s), so a server
 * that is simply down still gets the more specific per-phase message first.
 */
export const DEFAULT_REQUEST_DEADLINE_MS = 45_000
/** Background connections per server (a refresh storm uses at most the refresh concurrency). */
const DEFAULT_CONNECTIONS = 8
/**
 * Connections per server kept for people waiting (./lane.ts): a copy during a refresh storm
 * finds one free instead of queueing behind the background requests.
 */
export const USER_LANE_CONNECTIONS = 4
/** setTimeout's ceiling; a larger delay would fire at once. */
const MAX_TIMER_MS = 2_147_483_647
/** Token lists and cluster info are kilobytes; 4 MiB leaves room without letting a broken or
 * hostile server fill memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024

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
  deadlineMs?: number | (() => number)
  /** Larger replies are cut off and reported as BAD_RESPONSE. */
  maxResponseBytes?: number
  /** Clock for turning "Retry-After: 30" into epoch ms (time is injected). */
  now?: () => number
  /** Parallel connections to this cluster. */
  connections?: number
  /** Lease the Agent from here, shared with other clients of the same origin and trust. */
  sharedAgents?: SharedAgents
}

export type QueryValue = string | number | boolean | undefined

export interface RequestOptions {
  headers?: Record<string, string>
  /** Undefined values are left out. Never appears in error messages. */
  query?: URLSearchParams | Record<string, QueryValue | readonly QueryValue[]>
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

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD'

/** One lane's Agent: made on first use, leased when Agents are shared. */
interface LaneAgent {
  agent: Agent | undefined
  lease?: AgentLease
  create(): { agent: Agent } | AgentLease
}

export class ClusterHttp {
  readonly origin: string
  readonly host: string
  private readonly target: HttpsTarget
  private readonly lanes: Record<Lane, LaneAgent>
  private readonly maxResponseBytes: number
  private readonly now: () => number
  private readonly deadlineMs: ClusterHttpOptions['deadlineMs']
  private closed = false

  constructor(opts: ClusterHttpOptions) {
    this.target = parseHttpsUrl(opts.url)
    this.origin = this.target.origin
    this.host = this.target.host
    this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    this.now = opts.now ?? Date.now
    this.deadlineMs = opts.deadlineMs
    const create = (lane: Lane) =>
      new Agent({
        connect: createTrustConnector(opts.trust, {
          connectTimeoutMs: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
          host: this.host,
        }),
        headersTimeout: opts.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
        bodyTimeout: opts.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
        connections:
          lane === 'background' ? (opts.connections ?? DEFAULT_CONNECTIONS) : USER_LANE_CONNECTIONS,
        allowH2: false,
      })
    const key = JSON.stringify([
      this.origin,
      opts.trust,
      opts.connectTimeoutMs,
      opts.headersTimeoutMs,
      opts.bodyTimeoutMs,
      opts.connections,
    ])
    // Each lane's Agent is made on its first request: most clients only ever use one lane.
    const lanes = (lane: Lane): LaneAgent => {
      const sharedAgents = opts.sharedAgents
      if (!sharedAgents) return { agent: undefined, create: () => ({ agent: create(lane) }) }
      return {
        agent: undefined,
        create: () => sharedAgents.lease(`${lane} ${key}`, () => create(lane)),
      }
    }
    this.lanes = { user: lanes('user'), background: lanes('background') }
  }

  /** The Agent of the lane this request travels in (see ./lane.ts), made on first use. */
  private agentFor(lane: Lane): Agent {
    const l = this.lanes[lane]
    if (!l.agent) {
      const made = l.create()
      l.agent = made.agent
      l.lease = 'release' in made ? made : undefined
    }
    return l.agent
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

    // One deadline for the whole exchange: undici's own timeouts each cover one phase (and
    // only a silence within it), so a server that trickles bytes could otherwise hold a
    // request for ever. Aborting the signal destroys the socket whatever phase it is in; the
    // race below makes the deadline hold even while undici is still connecting, where it only
    // notices the abort once the connection settles.
    const deadlineMs = this.deadlineFor(opts.timeoutMs)
    const controller = new AbortController()
    let deadlineHit = false
    let timer: NodeJS.Timeout | undefined
    const deadlinePassed = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        deadlineHit = true
        const err = new DeadlineError(deadlineMs)
        controller.abort(err)
        reject(err)
      }, deadlineMs)
    })
    // Once the headers are in nobody races this promise; its rejection is not a crash.
    deadlinePassed.catch(() => undefined)
    // Any failure once the deadline has passed is the deadline's doing (undici reports it as an
    // abort, a destroyed body or a closed socket).
    const fail = (err: unknown): TokendeckError =>
      mapTransportError(deadlineHit ? new DeadlineError(deadlineMs) : err, ctx)

    try {
      let res: Dispatcher.ResponseData
      const pending = this.agentFor(currentLane()).request({
        origin: this.origin,
        path: this.target.basePath + path + queryString(opts.query),
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: controller.signal,
      })
      try {
        res = await Promise.race([pending, deadlinePassed])
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

      const cap = opts.maxResponseBytes ?? this.maxResponseBytes
      // A HEAD reply's Content-Length describes a body that is never sent.
      const declared = method === 'HEAD' ? 0 : Number(res.headers['content-length'])
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
        throw err instanceof TokendeckError ? err : fail(err)
      }
      return {
        status: res.statusCode,
        headers: res.headers,
        body: Buffer.concat(chunks),
        endpoint: ctx.endpoint,
        host: this.host,
        receivedAt,
      }
    } finally {
      if (timer) clearTimeout(timer)
    }
  }

  /** This request's overall deadline, ms: its own `timeoutMs`, else the client's. */
  private deadlineFor(timeoutMs: number | undefined): number {
    const own = usableDeadline(timeoutMs)
    if (own !== undefined) return own
    let configured: unknown
    try {
      configured = typeof this.deadlineMs === 'function' ? this.deadlineMs() : this.deadlineMs
    } catch {
      // A settings lookup that fails must not leave the request without a deadline.
      configured = undefined
    }
    return usableDeadline(configured) ?? DEFAULT_REQUEST_DEADLINE_MS
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
    await Promise.all(
      Object.values(this.lanes).map(async (l) => {
        if (!l.agent) return
        // A shared Agent stays open for the other clients of its server until the last one closes.
        if (l.lease && !l.lease.release().last) return
        await closeWithin(l.agent, graceMs)
      }),
    )
  }
}

/** Closes `agent` gracefully, or drops its connections once `graceMs` has passed. */
async function closeWithin(agent: Agent, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const grace = new Promise<'grace'>((resolve) => {
    timer = setTimeout(() => resolve('grace'), graceMs)
  })
  const outcome = await Promise.race([agent.close().then(() => 'closed' as const), grace])
  clearTimeout(timer)
  if (outcome === 'grace') await agent.destroy().catch(() => undefined)
}

function usableDeadline(ms: unknown): number | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return undefined
  return Math.min(Math.ceil(ms), MAX_TIMER_MS)
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

function queryString(query: RequestOptions['query']): string {
  if (query === undefined) return ''
  let params: URLSearchParams
  if (query instanceof URLSearchParams) {
    params = query
  } else {
    params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      const values: readonly QueryValue[] = Array.isArray(v)
        ? (v as readonly QueryValue[])
        : [v as QueryValue]
      for (const one of values) if (one !== undefined) params.append(k, String(one))
    }
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

/**
 * Throw for a status the caller did not expect (default: anything outside 2xx). Vendors handle
 * their meaningful 4xx first; this is the fallback, with generic meanings for the rest.
 */
export function expectStatus(res: HttpResponse, ok?: number | readonly number[]): void {
  const allowed = ok === undefined ? undefined : typeof ok === 'number' ? [ok] : ok
  const fine =
    allowed === undefined ? res.status >= 200 && res.status < 300 : allowed.includes(res.status)
  if (fine) return
  const ctx = { endpoint: res.endpoint, host: res.host }
  switch (res.status) {
    case 401:
      return fail(
        new TokendeckError(
          'NOT_SIGNED_IN',
          `${res.host} no longer accepts this session (HTTP 401 on ${res.endpoint}). Sign in again.`,
        ),
      )
    case 403:
      return fail(
        new TokendeckError(
          'FORBIDDEN',
          `${res.host} refused ${res.endpoint} (HTTP 403): this account is not allowed to do that.`,
        ),
      )
    case 404:
      return fail(
        new TokendeckError(
          'NOT_FOUND',
          `${res.host} has nothing at ${res.endpoint} (HTTP 404). It may have been removed, or this cluster version does not offer it.`,
        ),
      )
    case 429: {
      const retryAt = parseRetryAfter(res.headers['retry-after'], res.receivedAt)
      return fail(
        new TokendeckError(
          'SERVER_ERROR',
          `${res.host} is rate-limiting requests (HTTP 429 on ${res.endpoint}). Try again later.`,
          retryAt !== undefined ? { retryAt } : {},
        ),
      )
    }
    default:
      return fail(badResponse(ctx, `HTTP ${res.status}, which Tokendeck does not expect here`))
  }
}

function fail(err: TokendeckError): never {
  throw err
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
