/**
 * Qumulo replies → TokendeckErrors. docs/protocols/qumulo.md §4: the envelope is `{module, error_class,
 * description, …}`, and docs/protocols/qumulo.md §9, docs/protocols/qumulo.md §10 say none of the access-token statuses or classes are published,
 * so classification leans on the status first and uses `error_class`/`description` only as hints.
 * Messages are built from what we asked (operation, user name as typed, token id) and, at most,
 * a plain `error_class` identifier — never from a description, a body or a header.
 */
import { TokendeckError } from '../../../../shared/errors'
import {
  unexpectedStatus as genericUnexpectedStatus,
  type HttpResponse,
  type UnexpectedStatus,
} from '../../http'
import { ErrorEnvelope } from './schemas'

/** docs/protocols/qumulo.md §3.4 DOC: the privilege enum is plural. */
export const PRIVILEGE_ACCESS_TOKENS_READ = 'PRIVILEGE_ACCESS_TOKENS_READ'
export const PRIVILEGE_ACCESS_TOKENS_WRITE = 'PRIVILEGE_ACCESS_TOKENS_WRITE'
/** docs/protocols/qumulo.md §5 DOC: identity lookup. */
export const PRIVILEGE_IDENTITY_READ = 'PRIVILEGE_IDENTITY_READ'

export interface ErrorHints {
  errorClass: string | undefined
  /** Only for matching; never shown. */
  description: string
}

/** The envelope's class and description, if the body has them (docs/protocols/qumulo.md §4). */
export function errorHints(res: HttpResponse): ErrorHints {
  try {
    const parsed = ErrorEnvelope.safeParse(JSON.parse(res.body.toString('utf8')))
    if (parsed.success) {
      const cls = parsed.data.error_class
      return {
        errorClass: cls !== undefined && /^[a-z0-9_]{1,80}$/.test(cls) ? cls : undefined,
        description: parsed.data.description ?? '',
      }
    }
  } catch {
    // Not JSON: docs/protocols/qumulo.md §4 SDK "a 401 without JSON" happens; the status is enough.
  }
  return { errorClass: undefined, description: '' }
}

/** docs/protocols/qumulo.md §3.4 DOC: "Groups are not supported for access tokens, must be a user". */
export function isGroupRefusal(h: ErrorHints): boolean {
  return (
    /group/i.test(h.errorClass ?? '') ||
    /groups? (are|is) not supported|must be a user/i.test(h.description)
  )
}

/** docs/protocols/qumulo.md §3.4 DOC: at most two tokens per user; docs/protocols/qumulo.md §9 DESIGN proposes 409 `access_token_limit_reached_error`. */
export function isTokenLimit(res: HttpResponse, h: ErrorHints): boolean {
  return (
    res.status === 409 ||
    /limit|too_many/i.test(h.errorClass ?? '') ||
    /at most (two|2)|too many/i.test(h.description)
  )
}

/** A 404 that means "no such endpoint" (old cluster), not "no such token/user". */
export function isMissingEndpoint(h: ErrorHints): boolean {
  return h.errorClass === undefined || /http_not_found|no_such_route|route/i.test(h.errorClass)
}

export function sessionEnded(host: string): TokendeckError {
  return new TokendeckError(
    'REFRESH_EXPIRED',
    `The Qumulo session on ${host} ended; sign in again.`,
  )
}

export function forbidden(host: string, what: string, privilege: string): TokendeckError {
  return new TokendeckError(
    'FORBIDDEN',
    `${host} refused to ${what}: this account lacks ${privilege}. Ask a cluster administrator for a role that grants it, or sign in as a token administrator.`,
  )
}

const withClass = (h: ErrorHints) => (h.errorClass ? ` (${h.errorClass})` : '')

export function invalidRequest(res: HttpResponse, what: string, h: ErrorHints): TokendeckError {
  return new TokendeckError(
    'INVALID_INPUT',
    `${res.host} refused to ${what}: the request was not valid${withClass(h)}. Check the values and try again.`,
  )
}

/**
 * A status nobody handled specifically (vendors share this name and signature: UnexpectedStatus
 * in http/replies.ts). Qumulo's meanings of 401/403/404 depend on the call (who-am-i, privilege,
 * missing endpoint) and are mapped before this; what is left has the generic meaning.
 */
export const unexpectedStatus: UnexpectedStatus = genericUnexpectedStatus
