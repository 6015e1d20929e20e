/**
 * The ClusterHttp every vendor client uses, with the server's numbers kept to sane bounds.
 *
 * A Retry-After is the server's wish, not an order: `Retry-After: 999999999` (31 years) would stop
 * a session from ever retrying, and `Retry-After: 99999999999999` is past the last date a Date can
 * hold, so formatting it threw and a plain 503 surfaced as an internal error. Here a Retry-After
 * is honoured up to MAX_RETRY_AFTER_MS; beyond that the session tries again after that bound (and
 * the server may ask again). This covers both the 5xx ClusterHttp turns into SERVER_ERROR and the
 * 4xx replies (429) a vendor hands to unexpectedStatus.
 */
import { TokendeckError } from '../../../shared/errors'
import {
  ClusterHttp,
  type ClusterHttpOptions,
  type HttpMethod,
  type HttpResponse,
  type RequestOptions,
} from '../http'

/** The longest a server may make a session wait before the next try: one hour. */
export const MAX_RETRY_AFTER_MS = 3600_000

export class VendorHttp extends ClusterHttp {
  private readonly clock: () => number

  constructor(opts: ClusterHttpOptions) {
    super(opts)
    this.clock = opts.now ?? Date.now
  }

  override async request(
    method: HttpMethod,
    path: string,
    opts: RequestOptions = {},
  ): Promise<HttpResponse> {
    const endpoint = opts.endpoint ?? `${method} ${path}`
    let res: HttpResponse
    try {
      res = await super.request(method, path, opts)
    } catch (e) {
      throw boundedError(e, this.host, endpoint, this.clock())
    }
    const retryAfter = boundedRetryAfterHeader(res.headers['retry-after'], res.receivedAt)
    if (retryAfter === undefined) return res
    return { ...res, headers: { ...res.headers, 'retry-after': retryAfter } }
  }
}

/**
 * A Retry-After header (delay-seconds or HTTP-date) that asks for more than MAX_RETRY_AFTER_MS,
 * rewritten as that bound in seconds; undefined when the header is absent or already sane.
 */
export function boundedRetryAfterHeader(
  value: string | string[] | undefined,
  now: number,
): string | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!v) return undefined
  const maxSeconds = String(MAX_RETRY_AFTER_MS / 1000)
  if (/^\d+$/.test(v)) return Number(v) * 1000 > MAX_RETRY_AFTER_MS ? maxSeconds : undefined
  const at = Date.parse(v)
  return !Number.isNaN(at) && at - now > MAX_RETRY_AFTER_MS ? maxSeconds : undefined
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

/** A failure whose retryAt is at most MAX_RETRY_AFTER_MS away; anything else passes through. */
export function boundedError(e: unknown, host: string, endpoint: string, now: number): unknown {
  const latest = now + MAX_RETRY_AFTER_MS
  if (e instanceof RangeError && /invalid time value/i.test(e.message)) {
    // Formatting a Retry-After beyond the last representable date threw inside the 5xx mapping.
    return new TokendeckError(
      'SERVER_ERROR',
      `${host} answered ${endpoint} with a server error and asked to wait longer than Tokendeck ever waits. Trying again after ${iso(latest)}.`,
      { retryAt: latest },
    )
  }
  if (!(e instanceof TokendeckError) || e.retryAt === undefined) return e
  if (Number.isFinite(e.retryAt) && e.retryAt <= latest) return e
  const said = / It asks to retry after \S+\.$/
  const message = said.test(e.message)
    ? e.message.replace(
        said,
        ` It asks to wait longer than Tokendeck ever waits; trying again after ${iso(latest)}.`,
      )
    : e.message
  return new TokendeckError(e.code, message, {
    retryAt: latest,
    ...(e.seenSha256 !== undefined ? { seenSha256: e.seenSha256 } : {}),
    cause: e,
  })
}
