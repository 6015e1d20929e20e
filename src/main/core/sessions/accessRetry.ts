/**
 * Calls on a cluster borrow the session's credentials as arguments: a vendor client never reaches
 * back into the session. An access token can expire between our check and the server's (clock
 * skew after sleep, a token revoked early): where a refresh mints a new one (WEKA), a call the
 * server answers "access token rejected" (NOT_SIGNED_IN, docs/protocols/weka.md §3) is run once
 * more after one refresh. Once only, and never a sign-in: `work` gets tokens, never a password
 * (WEKA locks an account after five failed sign-ins). A second rejection, or a refresh the
 * server refuses (REFRESH_EXPIRED: the session is over), reaches the caller.
 */
import { TokendeckError, isTokendeckError } from '../../../shared/errors'

/** What one call on a cluster borrows from its session. */
export interface SessionCredentials {
  access: string
  /** The stored credential, for the vendors that mint from it (WEKA: the refresh token). */
  stored: string
}

/** What the retry needs of the session manager. */
export interface SessionRetryPort {
  /** A fresh access token (refreshing first if due) and the stored credential, if any. */
  credentials(clusterId: string): Promise<{ access: string; stored: string | undefined }>
  /**
   * The server rejected `rejected`: refresh unless another caller already did. False when a
   * retry cannot help (the vendor does not refresh access tokens, or the session is gone).
   */
  refreshAfterRejection(clusterId: string, rejected: string): Promise<boolean>
}

export async function withRetryAfterRefresh<T>(
  session: SessionRetryPort,
  clusterId: string,
  work: (credentials: SessionCredentials) => Promise<T>,
): Promise<T> {
  const first = await borrow(session, clusterId)
  try {
    return await work(first)
  } catch (e) {
    const rejected = isTokendeckError(e) && e.code === 'NOT_SIGNED_IN'
    if (!rejected || !(await session.refreshAfterRejection(clusterId, first.access))) throw e
    return work(await borrow(session, clusterId))
  }
}

async function borrow(session: SessionRetryPort, clusterId: string): Promise<SessionCredentials> {
  const { access, stored } = await session.credentials(clusterId)
  if (stored === undefined)
    throw new TokendeckError('NOT_SIGNED_IN', 'Not signed in to this cluster: sign in first.')
  return { access, stored }
}
