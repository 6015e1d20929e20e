import type { SimRequest, SimResponse } from '../../common/server'
import { WEKA_ROLES, type WekaRole } from '../options'
import type { WekaState } from '../state'
import type { TokenRecord } from '../tokens'
import type { WekaUser } from '../users'

export interface Context {
  req: SimRequest
  /** Captured path segments, percent-decoded. */
  params: string[]
  state: WekaState
  /** The request log entry's `who`: set to the authenticated username, never to a secret. */
  log: { user?: string }
}

export interface AuthedContext extends Context {
  caller: { user: WekaUser; token: TokenRecord }
}

interface RouteBase {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Matched against the path below /api/v2, without a trailing slash. */
  path: RegExp
}

export interface PublicRoute extends RouteBase {
  auth: 'public'
  handle(ctx: Context): SimResponse
}

export interface AuthedRoute extends RouteBase {
  /** Roles allowed in; others get 403 `{"data":"Forbidden"}`. */
  auth: readonly WekaRole[]
  /** docs/protocols/weka.md §9.6: passes the `passwordChangeBlocks` gate (password change, whoami). */
  allowedWhilePasswordChangeRequired?: boolean
  handle(ctx: AuthedContext): SimResponse
}

export type Route = PublicRoute | AuthedRoute

export const EVERYONE: readonly WekaRole[] = WEKA_ROLES
/**
 * docs/protocols/weka.md §4.4 DOC: Regular users "can sign in to obtain an access token and change the
 * password but cannot … run other CLI/API commands"; ReadOnly may read but not change.
 * INF: S3 users are as limited as Regular on the REST API.
 */
export const READERS: readonly WekaRole[] = ['ClusterAdmin', 'OrgAdmin', 'ReadOnly']
export const ADMINS: readonly WekaRole[] = ['ClusterAdmin', 'OrgAdmin']
export const CLUSTER_ADMIN: readonly WekaRole[] = ['ClusterAdmin']
