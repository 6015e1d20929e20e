import { bearerToken } from '../common/http'
import type { SimHandler, SimResponse } from '../common/server'
import type { Route } from './routes/route'
import type { WekaState } from './state'
import { forbidden, notFound, unauthorized } from './wire'

/** docs/protocols/weka.md §1: every REST path lives under /api/v2. */
const PREFIX = '/api/v2'

function decodeAll(parts: string[]): string[] | undefined {
  try {
    return parts.map((p) => decodeURIComponent(p))
  } catch {
    return undefined
  }
}

/** Matches a route, authenticates its bearer token by the simulator's own state, checks the role. */
export function createRouter(state: WekaState, routes: readonly Route[]): SimHandler {
  return (req, log): SimResponse => {
    if (req.path !== PREFIX && !req.path.startsWith(`${PREFIX}/`)) return notFound()
    // Express's default non-strict routing: "/users/" is "/users".
    const sub = req.path.slice(PREFIX.length).replace(/\/+$/, '') || '/'
    for (const route of routes) {
      if (route.method !== req.method) continue
      const m = route.path.exec(sub)
      if (!m) continue
      const params = decodeAll(m.slice(1).map((p) => p ?? ''))
      if (!params) return notFound()
      if (route.auth === 'public') return route.handle({ req, params, state, log })

      // 401 for missing, malformed, expired, revoked or refresh-kind bearers alike (docs/protocols/weka.md §2.4 envelope).
      const token = bearerToken(req)
      if (!token) return unauthorized()
      const checked = state.tokens.check(token, ['access', 'long-lived'], (uid) =>
        state.directory.byUid(uid),
      )
      if (!checked.ok) return unauthorized()
      if (checked.record.kind === 'access' && state.takeAccessRejection()) return unauthorized()
      const { user, record } = checked
      log.user = user.username
      // docs/protocols/weka.md §9.6 DESIGN: only with the knob on does a pending password change block the API.
      if (
        state.config.passwordChangeBlocks &&
        user.passwordChangeRequired &&
        !route.allowedWhilePasswordChangeRequired
      ) {
        return forbidden()
      }
      if (!route.auth.includes(user.role)) return forbidden()
      return route.handle({ req, params, state, log, caller: { user, token: record } })
    }
    return notFound(`Cannot ${req.method} ${req.path}`)
  }
}
