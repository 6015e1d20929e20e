/**
 * Turning transport failures and HTTP replies into TokendeckErrors. Everything a user can meet
 * here becomes one of the shared error codes with a message that says what to do. Messages are
 * built only from what we asked (method, path, host) and from error codes — never from a reply
 * body, a query string or a header value, which may carry secrets.
 */
import { TokendeckError } from '../../../shared/errors'

/** Where a failure happened, as the messages name it. */
export interface FailureContext {
  /** "METHOD /path" — the caller's label when the path itself carries a secret. */
  endpoint: string
  /** host[:port] of the cluster. */
  host: string
}

// Connection-level failures: the cluster (or the network to it) is not there right now.
const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name could not be resolved',
  EAI_AGAIN: 'the host name could not be resolved (DNS did not answer)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EHOSTDOWN: 'the host is down',
  ECONNRESET: 'the connection was reset',
  ECONNABORTED: 'the connection was aborted',
  EPIPE: 'the connection was closed while sending',
  EADDRNOTAVAIL: 'the address is not available',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CLOSED: 'the connection was closed',
}

const TIMEOUT_CODES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connecting took too long',
  UND_ERR_HEADERS_TIMEOUT: 'the server did not start answering in time',
  UND_ERR_BODY_TIMEOUT: 'the server stopped sending its answer',
  ETIMEDOUT: 'the connection timed out',
}

/**
 * OpenSSL / Node certificate verification failures (CA mode only: pin mode verifies nothing but
 * the fingerprint). Each gets words a storage admin can act on.
 */
const TLS_VERIFY_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT:
    'the server presents a self-signed certificate, not one issued by the trusted CA',
  SELF_SIGNED_CERT_IN_CHAIN:
    "the server's certificate chain ends in a CA other than the trusted one",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate was not issued by the trusted CA",
  UNABLE_TO_GET_ISSUER_CERT: "the server's certificate was not issued by the trusted CA",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's certificate was not issued by the trusted CA",
  CERT_SIGNATURE_FAILURE: "the server's certificate signature is invalid",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  CERT_NOT_YET_VALID: "the server's certificate is not valid yet (check this computer's clock)",
  CERT_REVOKED: "the server's certificate was revoked",
  CERT_UNTRUSTED: "the server's certificate is not trusted",
  CERT_REJECTED: "the server's certificate was rejected",
  INVALID_CA: 'a certificate in the chain is not a valid CA',
  INVALID_PURPOSE: "the server's certificate is not meant for a TLS server",
  CERT_CHAIN_TOO_LONG: "the server's certificate chain is too long",
  PATH_LENGTH_EXCEEDED: "the server's certificate chain is too long",
  HOSTNAME_MISMATCH: 'the certificate does not name this host',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name this host',
}

interface CodedError {
  code?: unknown
  errors?: unknown
  cause?: unknown
}

/**
 * The first recognisable error code in an error, its cause chain, or (for Happy Eyeballs
 * connects, which fail with an AggregateError per address) its first inner error.
 */
export function errorCodeOf(err: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof err !== 'object' || err === null) return undefined
  const e = err as CodedError
  if (typeof e.code === 'string') return e.code
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const c = errorCodeOf(inner, depth + 1)
      if (c) return c
    }
  }
  return errorCodeOf(e.cause, depth + 1)
}

/** Thrown (internally) when a request's own overall deadline passes. */
export class DeadlineError extends Error {
  readonly code = 'TOKENDECK_DEADLINE'
  constructor(readonly ms: number) {
    super(`no complete answer within ${ms} ms`)
    this.name = 'DeadlineError'
  }
}

/**
 * Map anything thrown while connecting, sending or reading to a TokendeckError. A
 * TokendeckError (e.g. a pin mismatch raised inside the connector) passes through unchanged.
 */
export function mapTransportError(err: unknown, ctx: FailureContext): TokendeckError {
  if (err instanceof TokendeckError) return err
  const code = errorCodeOf(err)
  // The cause is kept for logs: transport errors carry codes, addresses and ports, never a body.
  const cause = err
  if (code === 'TOKENDECK_DEADLINE') {
    const ms = (err as DeadlineError).ms
    return new TokendeckError(
      'TIMEOUT',
      `${ctx.host} did not answer ${ctx.endpoint} within ${seconds(ms)}. Check the cluster is up, then try again.`,
      { cause },
    )
  }
  if (code !== undefined && code in TIMEOUT_CODES) {
    return new TokendeckError(
      'TIMEOUT',
      `${ctx.host} timed out on ${ctx.endpoint}: ${TIMEOUT_CODES[code]}. Check the cluster is up, then try again.`,
      { cause },
    )
  }
  if (code !== undefined && code in TLS_VERIFY_REASONS) {
    return new TokendeckError(
      'TLS_UNTRUSTED',
      `The certificate of ${ctx.host} is not trusted: ${TLS_VERIFY_REASONS[code]}. Check the CA file for this cluster, or trust the server's certificate by its fingerprint instead.`,
      { cause },
    )
  }
  if (code !== undefined && code in UNREACHABLE_CODES) {
    return new TokendeckError(
      'UNREACHABLE',
      `Could not reach ${ctx.host} (${ctx.endpoint}): ${UNREACHABLE_CODES[code]}. Check the address and that the cluster is up.`,
      { cause },
    )
  }
  if (
    code !== undefined &&
    (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO')
  ) {
    // A failed handshake (not a failed verification): usually not an HTTPS port at all.
    return new TokendeckError(
      'UNREACHABLE',
      `Could not open a secure connection to ${ctx.host}: the TLS handshake failed. Check the address and port point at the cluster's HTTPS interface.`,
      { cause },
    )
  }
  if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_ABORTED') {
    return new TokendeckError(
      'INTERNAL',
      `The connection to ${ctx.host} was closed before ${ctx.endpoint} finished.`,
      { cause },
    )
  }
  return new TokendeckError(
    'UNREACHABLE',
    `Could not reach ${ctx.host} (${ctx.endpoint})${code ? ` (${code})` : ''}. Check the address and that the cluster is up.`,
    { cause },
  )
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`
}

/**
 * Retry-After (RFC 9110 §10.2.3) as epoch ms: either delay-seconds or an HTTP-date. Undefined
 * when absent or unparseable, so callers fall back to their own backoff.
 */
/**
 * Longest wait a server's Retry-After can impose: an hour. A hostile or broken server saying
 * `Retry-After: 999999999` must not stop retries for decades (nor overflow a date).
 */
export const MAX_RETRY_AFTER_MS = 3_600_000

export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number,
): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!v) return undefined
  if (/^\d+$/.test(v)) return now + Math.min(Number(v) * 1000, MAX_RETRY_AFTER_MS)
  // Only accept something that looks like a date: Date.parse is lenient enough to read "5s".
  if (!/[a-z]/i.test(v)) return undefined
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.min(at, now + MAX_RETRY_AFTER_MS)
}

/** 5xx: the server is there but failing; when it says when to come back, carry that along. */
export function serverError(
  status: number,
  retryAfter: string | string[] | undefined,
  now: number,
  ctx: FailureContext,
): TokendeckError {
  const retryAt = parseRetryAfter(retryAfter, now)
  const when =
    retryAt !== undefined
      ? ` It asks to retry after ${new Date(retryAt).toISOString()}.`
      : ' Try again later.'
  return new TokendeckError(
    'SERVER_ERROR',
    `${ctx.host} answered ${ctx.endpoint} with HTTP ${status} (server error).${when}`,
    retryAt !== undefined ? { retryAt } : {},
  )
}

/** The reply could not be used; the message names the endpoint and why, never what was in it. */
export function badResponse(ctx: FailureContext, why: string): TokendeckError {
  return new TokendeckError(
    'BAD_RESPONSE',
    `Unexpected answer from ${ctx.host} to ${ctx.endpoint}: ${why}.`,
  )
}
