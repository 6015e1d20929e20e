/**
 * What a token from a server must look like before Tokendeck keeps, sends or prints it. A token
 * travels in an HTTP header (`Authorization: Bearer …`, `Cookie: token=…`) and is printed alone
 * by `tokendeck token` for `$(…)`: a value with control characters, spaces or quotes, or one of
 * megabytes, is not a plausible token — it would break the header (undici refuses it, which used
 * to read as "could not reach"), smuggle escape sequences into a terminal, or exceed what a
 * terminal, the agent socket and every server header limit accept. Such a reply is BAD_RESPONSE.
 */
import { z } from 'zod'

/**
 * Longest token accepted: far above real ones (a WEKA JWT is about 1 KB, docs/protocols/weka.md §6;
 * Qumulo's are about 100 characters, docs/protocols/qumulo.md §3.5; Swarm's 32, docs/protocols/swarm.md §2.1) and at
 * the common per-header limit of servers and proxies (8 KiB).
 */
export const MAX_TOKEN_CHARS = 8192

/** RFC 6750 §2.1 b64token: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/
/**
 * Qumulo's bearer tokens carry a `session-v1:` / `access-v1:` (older: `1:`) prefix before the
 * base64 (docs/protocols/qumulo.md §2.1, docs/protocols/qumulo.md §3.5): b64token with colons.
 */
const QUMULO_TOKEN = /^[A-Za-z0-9\-._~+/:]+=*$/

function tokenSchema(grammar: RegExp) {
  return z.string().min(1).max(MAX_TOKEN_CHARS).regex(grammar)
}

/** A WEKA access or refresh token (a JWT, docs/protocols/weka.md §6; opaque to us but a b64token). */
export const BearerToken = tokenSchema(B64TOKEN)
/** A Qumulo session or access bearer token. */
export const QumuloBearerToken = tokenSchema(QUMULO_TOKEN)
