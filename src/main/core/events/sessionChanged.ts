/**
 * A session's new state as the window hears it (`session:changed`, with when its stored
 * credential dies), and as the debug log records it: the state and the error's code and message,
 * never a token.
 */
import type { TokendeckEvent } from '../../../shared/contract'
import type { SessionState } from '../../../shared/model'
import type { Logger } from '../log'

export function sessionChangedEvents(
  log: Logger,
  emit: (event: TokendeckEvent) => void,
  storedExpiresAt: (clusterId: string) => number | undefined,
): (clusterId: string, session: SessionState) => void {
  return (clusterId, session) => {
    log.debug('session state', {
      clusterId,
      state: session.state,
      ...('error' in session ? { code: session.error.code, error: session.error.message } : {}),
      ...('reason' in session && session.reason
        ? { code: session.reason.code, error: session.reason.message }
        : {}),
    })
    const expiresAt = storedExpiresAt(clusterId)
    emit({
      event: 'session:changed',
      payload: {
        clusterId,
        session,
        ...(expiresAt !== undefined ? { storedExpiresAt: expiresAt } : {}),
      },
    })
  }
}
