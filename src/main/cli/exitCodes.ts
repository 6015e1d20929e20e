/**
 * Exit codes of the `tokendeck` command, one per kind of failure a script may want to tell
 * apart (also printed by `tokendeck --help`):
 *
 *   0  success
 *   1  anything else (NOT_FOUND token, TOKEN_LIMIT, INTERNAL, a rotation that did not finish, cancelled)
 *   2  usage or invalid input (bad flags, unknown cluster, INVALID_INPUT, UNSUPPORTED by this vendor,
 *      CONFIRMATION_REQUIRED: warnings not confirmed, pass --yes)
 *   3  authentication (BAD_CREDENTIALS, ACCOUNT_LOCKED, PASSWORD_CHANGE_REQUIRED, FORBIDDEN,
 *      REFRESH_EXPIRED, NOT_SIGNED_IN, SCREEN_LOCKED)
 *   4  network or TLS (UNREACHABLE, TIMEOUT, SERVER_ERROR, BAD_RESPONSE, TLS_PIN_MISMATCH, TLS_UNTRUSTED)
 *   5  local keychain or configuration (KEYCHAIN_UNAVAILABLE, CONFIG_CORRUPT)
 *   6  busy: the same operation is already under way (BUSY: a sign-in to that cluster, an agent
 *      or the app already owning the sessions, another process holding the cluster list's lock);
 *      trying again later may work.
 *      Before BUSY had its own code these exited 2 (INVALID_INPUT).
 */
import type { ErrorCode } from '../../shared/model'

export const EXIT = {
  OK: 0,
  ERROR: 1,
  USAGE: 2,
  AUTH: 3,
  NETWORK: 4,
  LOCAL: 5,
  BUSY: 6,
} as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

const BY_CODE: Partial<Record<ErrorCode, ExitCode>> = {
  INVALID_INPUT: EXIT.USAGE,
  UNSUPPORTED: EXIT.USAGE,
  CONFIRMATION_REQUIRED: EXIT.USAGE,
  BAD_CREDENTIALS: EXIT.AUTH,
  ACCOUNT_LOCKED: EXIT.AUTH,
  PASSWORD_CHANGE_REQUIRED: EXIT.AUTH,
  FORBIDDEN: EXIT.AUTH,
  REFRESH_EXPIRED: EXIT.AUTH,
  NOT_SIGNED_IN: EXIT.AUTH,
  SCREEN_LOCKED: EXIT.AUTH,
  UNREACHABLE: EXIT.NETWORK,
  TIMEOUT: EXIT.NETWORK,
  SERVER_ERROR: EXIT.NETWORK,
  BAD_RESPONSE: EXIT.NETWORK,
  TLS_PIN_MISMATCH: EXIT.NETWORK,
  TLS_UNTRUSTED: EXIT.NETWORK,
  KEYCHAIN_UNAVAILABLE: EXIT.LOCAL,
  CONFIG_CORRUPT: EXIT.LOCAL,
  BUSY: EXIT.BUSY,
}

export function exitCodeFor(code: ErrorCode): ExitCode {
  return BY_CODE[code] ?? EXIT.ERROR
}

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  any other failure (token not found, token limit, internal error, unfinished rotation, cancelled)
  2  usage or invalid input (bad flags, unknown cluster, not supported by this cluster's vendor,
     warnings not confirmed: pass --yes)
  3  authentication (bad credentials, account locked, password change required, forbidden,
     session expired, not signed in, screen locked while the agent pauses)
  4  network or TLS (unreachable, timeout, server error, bad response, certificate changed
     (TLS_PIN_MISMATCH), certificate not trusted)
  5  local keychain or configuration (keychain unavailable, corrupt cluster list)
  6  busy: the same operation is already under way (a sign-in to that cluster, an agent or the
     app already owning the sessions, another process changing the cluster list); try again
     when it is done

Errors are printed to stderr as "tokendeck: <message>". With --json, stdout also carries exactly
one JSON value: the result, or {"error":{"code","message"}} when the command failed.`
