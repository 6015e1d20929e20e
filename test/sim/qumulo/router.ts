import type { Clock } from '../common/clock'
import type { SimHandler } from '../common/server'
import { authenticate, type Caller } from './auth'
import { ErrorReplies, QumuloHttpError } from './errors'
import type { RouteContext, RouteHandler } from './routes/context'
import { createToken, deleteToken, getToken, listTokens, modifyToken } from './routes/accessTokens'
import { expandIdentity, findIdentity } from './routes/identity'
import { getRole, getRoleMember, listRoleMembers, listRoles } from './routes/roles'
import { login, sessionRoles, version, whoAmI } from './routes/session'
import type { State } from './state'
import type { QumuloClusterIdentity } from './types'

interface Route {
  pattern: RegExp
  methods: Partial<Record<string, RouteHandler>>
}

/**
 * The endpoint table (docs/protocols/qumulo.md §9 DESIGN list). Paths are matched exactly as documented:
 * the collection has a trailing slash, a single token has none (docs/protocols/qumulo.md §3.1 DOC), so a client that
 * gets either wrong meets a 404 here rather than on a real cluster.
 */
const ROUTES: Route[] = [
  { pattern: /^\/v1\/version$/, methods: { GET: version } },
  { pattern: /^\/v1\/session\/login$/, methods: { POST: login } },
  { pattern: /^\/v1\/session\/who-am-i$/, methods: { GET: whoAmI } },
  { pattern: /^\/v1\/session\/roles$/, methods: { GET: sessionRoles } },
  { pattern: /^\/v1\/auth\/access-tokens\/$/, methods: { GET: listTokens, POST: createToken } },
  {
    pattern: /^\/v1\/auth\/access-tokens\/([^/]+)$/,
    methods: { GET: getToken, PATCH: modifyToken, DELETE: deleteToken },
  },
  { pattern: /^\/v1\/identity\/find$/, methods: { POST: findIdentity } },
  // docs/protocols/qumulo.md §5 DOC: the deprecated twin of /v1/identity/find.
  { pattern: /^\/v1\/auth\/identity\/find$/, methods: { POST: findIdentity } },
  { pattern: /^\/v1\/identity\/expand$/, methods: { POST: expandIdentity } },
  // docs/protocols/qumulo.md §7 DOC, read side only (settings.rolesApi): collection with a trailing slash,
  // a role and its members without one.
  { pattern: /^\/v1\/auth\/roles\/$/, methods: { GET: listRoles } },
  { pattern: /^\/v1\/auth\/roles\/([^/]+)$/, methods: { GET: getRole } },
  { pattern: /^\/v1\/auth\/roles\/([^/]+)\/members$/, methods: { GET: listRoleMembers } },
  {
    pattern: /^\/v1\/auth\/roles\/([^/]+)\/members\/([^/]+)$/,
    methods: { GET: getRoleMember },
  },
]

function decodeParams(match: RegExpExecArray): string[] | undefined {
  try {
    return match.slice(1).map((p) => decodeURIComponent(p ?? ''))
  } catch {
    return undefined
  }
}

export function createRouter(deps: {
  state: State
  clock: Clock
  cluster: QumuloClusterIdentity
  errors: ErrorReplies
}): SimHandler {
  return (req, log) => {
    try {
      for (const route of ROUTES) {
        const match = route.pattern.exec(req.path)
        if (!match) continue
        const handler = route.methods[req.method]
        if (!handler) {
          const reply = deps.errors.reply('methodNotAllowed')
          return {
            ...reply,
            headers: { ...reply.headers, allow: Object.keys(route.methods).join(', ') },
          }
        }
        const params = decodeParams(match)
        if (!params) throw new QumuloHttpError('tokenNotFound')
        let caller: Caller | undefined
        const ctx: RouteContext = {
          req,
          params,
          state: deps.state,
          clock: deps.clock,
          cluster: deps.cluster,
          caller() {
            caller ??= authenticate(req, deps.state, deps.clock)
            if (!caller) throw new QumuloHttpError('unauthorized')
            // The base logs this name; never the token that proved it.
            log.user = caller.user.name
            return caller
          },
          identify(name) {
            log.user = name
          },
        }
        return handler(ctx)
      }
      return deps.errors.reply('routeNotFound')
    } catch (err) {
      if (err instanceof QumuloHttpError) return deps.errors.reply(err.key, err.detail)
      throw err
    }
  }
}
