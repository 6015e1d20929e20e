import type { Clock } from '../../common/clock'
import type { SimRequest, SimResponse } from '../../common/server'
import type { Caller } from '../auth'
import type { State } from '../state'
import type { QumuloClusterIdentity } from '../types'

/** What every route handler gets. */
export interface RouteContext {
  req: SimRequest
  /** Decoded path parameters, in pattern order. */
  params: string[]
  state: State
  clock: Clock
  cluster: QumuloClusterIdentity
  /** The authenticated caller; throws the 401 reply when there is none (and names him in the log). */
  caller(): Caller
  /** Name the user in the request log (login authenticates by password, not by bearer). */
  identify(name: string): void
}

export type RouteHandler = (ctx: RouteContext) => SimResponse
