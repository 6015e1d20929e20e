/**
 * Which lane an HTTP request travels in. Background refreshes run in the 'background' lane;
 * everything else — a copy, a terminal's `tokendeck token`, exec, a sign-in, a token list — is
 * someone waiting, the 'user' lane. ClusterHttp keeps separate connections per lane, so a
 * person's request never queues behind a storm of background refreshes for a free socket
 * (undici's pool serves its queue in order and has no priorities).
 *
 * The lane travels with the async context rather than as an argument: the background queue
 * decides it once (`runInLane`), and the vendor clients between the queue and the HTTP layer
 * stay unaware of it.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

export type Lane = 'user' | 'background'

const current = new AsyncLocalStorage<Lane>()

export function runInLane<T>(lane: Lane, work: () => T): T {
  return current.run(lane, work)
}

/** The lane of the work running now; work nobody placed is a person's. */
export function currentLane(): Lane {
  return current.getStore() ?? 'user'
}
