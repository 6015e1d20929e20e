/**
 * "clusters changed" for the window, coalesced: a bulk change (an import, a demo setup) must not
 * flood it, so one event per `everyMs` at most (100 ms by default), and always one after the
 * last change.
 */
import type { TokendeckEvent } from '../../../shared/contract'

export const CLUSTERS_CHANGED_EVERY_MS = 100

export interface CoalescedEvent {
  /** Something changed: an event follows within `everyMs` (one for all changes until then). */
  changed(): void
  /** Drops an event still waiting (shutdown). */
  close(): void
}

export function clustersChangedEvents(
  emit: (event: TokendeckEvent) => void,
  everyMs = CLUSTERS_CHANGED_EVERY_MS,
): CoalescedEvent {
  let pending: ReturnType<typeof setTimeout> | undefined
  return {
    changed() {
      pending ??= setTimeout(() => {
        pending = undefined
        emit({ event: 'clusters:changed', payload: {} })
      }, everyMs)
    },
    close() {
      if (pending) clearTimeout(pending)
      pending = undefined
    },
  }
}
