import { requirePrivilege } from '../auth'
import { jsonObjectBody } from '../body'
import { QumuloHttpError, ok, okEmpty } from '../errors'
import { parseIdentityString, parsePartialIdentity, resolveIdentity } from '../identities'
import { PRIVILEGE_ACCESS_TOKENS_READ, PRIVILEGE_ACCESS_TOKENS_WRITE } from '../roles'
import { parseRfc3339 } from '../time'
import { mintAccessToken, pageOfTokens, tokenMetadata } from '../tokens'
import type { AccessTokenRecord } from '../types'
import type { RouteContext } from './context'

/** /v1/auth/access-tokens/: docs/protocols/qumulo.md §3. */

/**
 * `expiration_time`: a tz-aware RFC 3339 string (docs/protocols/qumulo.md §3.2 SDK: naive times are not understood) or
 * null for "never" (docs/protocols/qumulo.md §3.2 INF). Bad text is `rest_invalid_request_error` (docs/protocols/qumulo.md §9 DESIGN).
 */
function expirationField(ctx: RouteContext, value: unknown): number | null | undefined {
  if (value === undefined) return undefined
  if (value === null) return null
  if (typeof value !== 'string')
    throw new QumuloHttpError('invalidRequest', 'Field "expiration_time" must be a string.')
  const ms = parseRfc3339(value)
  if (ms === undefined) {
    throw new QumuloHttpError(
      'invalidRequest',
      'Field "expiration_time" must be an RFC 3339 time with a UTC offset.',
    )
  }
  // docs/protocols/qumulo.md §10 Q4 is open; DESIGN: a time not in the future is refused (knob rejectPastExpiration).
  if (ctx.state.settings.rejectPastExpiration && ms <= ctx.clock.now()) {
    throw new QumuloHttpError('invalidRequest', 'Field "expiration_time" must be in the future.')
  }
  return ms
}

function metadata(ctx: RouteContext, t: AccessTokenRecord) {
  return tokenMetadata(t, (id) => ctx.state.principals.get(id))
}

/** The id path segment (URL-quoted by the SDK, docs/protocols/qumulo.md §3.1 DOC) → the token, or 404. */
function tokenById(ctx: RouteContext): AccessTokenRecord {
  const token = ctx.state.accessTokens.get(ctx.params[0] ?? '')
  if (!token) throw new QumuloHttpError('tokenNotFound')
  return token
}

/** `POST /v1/auth/access-tokens/` {user, expiration_time?} → 200 {id, bearer_token} (docs/protocols/qumulo.md §3.1 DOC). */
export function createToken(ctx: RouteContext) {
  const caller = ctx.caller()
  const canWrite = caller.privileges.has(PRIVILEGE_ACCESS_TOKENS_WRITE)
  // docs/protocols/qumulo.md §3.4 DESIGN: "require WRITE; make it a simulator switch" (selfServiceTokens).
  if (!canWrite && !ctx.state.settings.selfServiceTokens)
    requirePrivilege(caller, PRIVILEGE_ACCESS_TOKENS_WRITE)
  const body = jsonObjectBody(ctx.req, ['user', 'expiration_time'])
  if (body.user === undefined)
    throw new QumuloHttpError('invalidRequest', 'Missing required field "user".')
  const want = parsePartialIdentity(body.user, 'user')
  const expiresAt = expirationField(ctx, body.expiration_time) ?? null
  const principal = resolveIdentity(ctx.state.principals.values(), want, ctx.cluster.name)
  if (!principal) throw new QumuloHttpError('identityNotFound')
  if (!canWrite && principal.authId !== caller.user.authId)
    requirePrivilege(caller, PRIVILEGE_ACCESS_TOKENS_WRITE)
  // docs/protocols/qumulo.md §3.4 DOC: "Groups are not supported for access tokens, must be a user".
  if (principal.kind !== 'user') throw new QumuloHttpError('groupNotSupported')
  // docs/protocols/qumulo.md §3.4 DOC: at most two per user; docs/protocols/qumulo.md §10 Q6 INF: disabled/expired ones still count.
  const max = ctx.state.settings.maxTokensPerUser
  const held = [...ctx.state.accessTokens.values()].filter(
    (t) => t.userAuthId === principal.authId,
  ).length
  if (held >= max) {
    throw new QumuloHttpError(
      'tokenLimit',
      `A user may have at most ${max} access tokens; delete one before creating another.`,
    )
  }
  const token = mintAccessToken(
    {
      userAuthId: principal.authId,
      creatorAuthId: caller.user.authId,
      now: ctx.clock.now(),
      expiresAt,
    },
    (id) => ctx.state.accessTokens.has(id),
  )
  ctx.state.addAccessToken(token)
  // docs/protocols/qumulo.md §3.2 DOC: the create answer holds only id and bearer_token; it is never shown again.
  return ok({ id: token.id, bearer_token: token.bearerToken })
}

function positiveInt(text: string | null, name: string): number | undefined {
  if (text === null) return undefined
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new QumuloHttpError(
      'invalidRequest',
      `Query parameter "${name}" must be a positive integer.`,
    )
  return Number(text)
}

/** `GET /v1/auth/access-tokens/?user=&after=&limit=` → {entries, paging: {next}} (docs/protocols/qumulo.md §3.3 DOC/SDK). */
export function listTokens(ctx: RouteContext) {
  requirePrivilege(ctx.caller(), PRIVILEGE_ACCESS_TOKENS_READ)
  const q = ctx.req.query
  const userText = q.get('user')
  const after = q.get('after')
  if (after !== null && !/^\d+$/.test(after))
    throw new QumuloHttpError('invalidRequest', 'Query parameter "after" must be a token id.')
  const { maxPageSize, pagingEnd } = ctx.state.settings
  // docs/protocols/qumulo.md §3.3 DOC: "the system may choose a smaller limit" — we cap at maxPageSize.
  const limit = Math.min(positiveInt(q.get('limit'), 'limit') ?? maxPageSize, maxPageSize)
  let userAuthId: string | undefined
  if (userText !== null && userText !== '') {
    const principal = resolveIdentity(
      ctx.state.principals.values(),
      parseIdentityString(userText),
      ctx.cluster.name,
    )
    if (!principal) throw new QumuloHttpError('identityNotFound')
    userAuthId = principal.authId
  }
  const page = pageOfTokens(ctx.state.accessTokens.values(), {
    limit,
    ...(userAuthId !== undefined ? { userAuthId } : {}),
    ...(after !== null ? { after } : {}),
  })
  const last = page.entries.at(-1)
  let next: string | null = pagingEnd
  if (page.more && last) {
    // docs/protocols/qumulo.md §3.3 INF: the client GETs `next` verbatim as a relative URI, so it carries the filter too.
    const params = new URLSearchParams()
    if (userText) params.set('user', userText)
    params.set('after', last.id)
    params.set('limit', String(limit))
    next = `/v1/auth/access-tokens/?${params.toString()}`
  }
  return ok({ entries: page.entries.map((t) => metadata(ctx, t)), paging: { next } })
}

/** `GET /v1/auth/access-tokens/{id}`; docs/protocols/qumulo.md §3.4 INF: needs READ like the list. */
export function getToken(ctx: RouteContext) {
  requirePrivilege(ctx.caller(), PRIVILEGE_ACCESS_TOKENS_READ)
  return ok(metadata(ctx, tokenById(ctx)))
}

/** `PATCH /v1/auth/access-tokens/{id}` with any of {expiration_time, enabled} → metadata (docs/protocols/qumulo.md §3.1 DOC). */
export function modifyToken(ctx: RouteContext) {
  requirePrivilege(ctx.caller(), PRIVILEGE_ACCESS_TOKENS_WRITE)
  const token = tokenById(ctx)
  const body = jsonObjectBody(ctx.req, ['expiration_time', 'enabled'])
  if (body.enabled !== undefined && typeof body.enabled !== 'boolean') {
    throw new QumuloHttpError('invalidRequest', 'Field "enabled" must be a boolean.')
  }
  // docs/protocols/qumulo.md §10 Q3 is open; DESIGN: an explicit null clears the expiration (never expires).
  const expiresAt = expirationField(ctx, body.expiration_time)
  if (expiresAt !== undefined) token.expiresAt = expiresAt
  if (typeof body.enabled === 'boolean') token.enabled = body.enabled
  return ok(metadata(ctx, token))
}

/** `DELETE /v1/auth/access-tokens/{id}` → 200, empty body (docs/protocols/qumulo.md §3.1 DOC, docs/protocols/qumulo.md §9 DESIGN Content-Length 0). */
export function deleteToken(ctx: RouteContext) {
  requirePrivilege(ctx.caller(), PRIVILEGE_ACCESS_TOKENS_WRITE)
  const token = tokenById(ctx)
  ctx.state.accessTokens.delete(token.id)
  return okEmpty()
}
