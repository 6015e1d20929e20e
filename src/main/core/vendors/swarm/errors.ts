/**
 * Swarm statuses the token path does not explain itself → TokendeckErrors. Shares its name and
 * signature with the other vendors' mappers (UnexpectedStatus in http/replies.ts); only 401 and
 * 404 mean something Swarm-specific, the rest is the http layer's generic meaning.
 */
import { TokendeckError } from '../../../../shared/errors'
import { unexpectedStatus as genericUnexpectedStatus, type UnexpectedStatus } from '../../http'

/**
 * 401 → REFRESH_EXPIRED: the token is both the access and the stored credential
 * (docs/protocols/swarm.md §2.2), so a refused token ends the session — there is nothing to
 * refresh. 404 → NOT_FOUND naming the storage domain and the token path, the two settings that
 * decide where `/.TOKEN/` lives (docs/protocols/swarm.md §2).
 */
export const unexpectedStatus: UnexpectedStatus = (res, context = {}) => {
  switch (res.status) {
    case 401:
      return new TokendeckError(
        'REFRESH_EXPIRED',
        `${res.host} no longer accepts ${context.subject ?? 'this Swarm token'} (HTTP 401 on ${res.endpoint}). Sign in again.`,
      )
    case 404:
      return new TokendeckError(
        'NOT_FOUND',
        `${res.host} has nothing at ${res.endpoint} (HTTP 404). Check the storage domain and the token path.`,
      )
    default:
      return genericUnexpectedStatus(res, context)
  }
}

/** Whether a status is a success (any 2xx); the rest goes to unexpectedStatus. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300
}
