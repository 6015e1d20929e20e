/**
 * What a broken or hostile cluster answers must not break Tokendeck, and must be reported with
 * the right code: hostile HTTPS servers on loopback (pinned self-signed certificates) hand out
 * tokens with terminal escapes, header-breaking characters or megabytes, and numbers far out of
 * range (expires_in, JWT exp, Retry-After, lockout times). Through the core's own handlers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../sim/common/clock'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { startCoreHarness, type CoreHarness } from '../core/harness'
import { MAX_RETRY_AFTER_MS } from '../../src/main/core/vendors/vendorHttp'
import { isoTime, describeSession } from '../../src/main/cli/output'
import {
  json,
  jwtLike,
  startHostileServer,
  wekaLike,
  type HostileHandler,
  type HostileServer,
} from './hostileServer'

const HUNDRED_YEARS_MS = 100 * 365 * 86_400_000
type Reply =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: string; message: string; retryAt?: number } }

describe('hostile cluster replies', () => {
  let h: CoreHarness
  let weka: WekaSim
  const servers: HostileServer[] = []

  beforeAll(async () => {
    weka = await startWekaSim()
    h = await startCoreHarness(systemClock)
  })
  afterAll(async () => {
    await h?.close()
    await weka?.close()
    await Promise.all(servers.map((s) => s.close()))
  })

  let n = 0
  async function cluster(handler: HostileHandler, vendor = 'weka'): Promise<string> {
    const server = await startHostileServer(handler)
    servers.push(server)
    const added = (await h.core.dispatcher.invoke('clusters:add', {
      vendor,
      name: `hostile-${++n}`,
      url: server.url,
      username: 'admin',
      trust: { sha256: server.fingerprint },
    })) as Reply
    expect(added.ok, JSON.stringify(added)).toBe(true)
    return (added as { value: { cluster: { id: string } } }).value.cluster.id
  }

  const signIn = (clusterId: string) =>
    h.core.dispatcher.invoke('session:signIn', {
      clusterId,
      password: 'Hostile-Test-1',
    }) as Promise<Reply>

  const goodTokens = () => ({
    access_token: jwtLike(),
    token_type: 'Bearer',
    expires_in: 300,
    refresh_token: jwtLike({ kind: 'refresh' }),
  })

  it.each([
    ['terminal escapes', `${jwtLike()}\u001b]0;pwned\u0007\u001b[2J\nsecond-line`],
    ['a header-breaking character', `${jwtLike()}\r\nX-Injected: 1`],
    ['a non-ASCII character', `${jwtLike()}ö`],
    ['spaces', `${jwtLike()} extra`],
    ['70 KB', 'A'.repeat(70 * 1024)],
    ['3 MB', 'A'.repeat(3 * 1024 * 1024)],
  ])(
    'an access token with %s is BAD_RESPONSE, not "could not reach" or usage',
    async (_what, token) => {
      const id = await cluster(wekaLike(() => ({ ...goodTokens(), access_token: token })))
      const r = await signIn(id)
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.error.code).toBe('BAD_RESPONSE')
      expect(r.error.message).toMatch(
        /Unexpected answer from 127\.0\.0\.1:\d+ to POST \/api\/v2\/login/,
      )
      expect(r.error.message).not.toContain('pwned')
      expect(r.error.message.length).toBeLessThan(500)
    },
  )

  it('a refresh token with terminal escapes is BAD_RESPONSE too', async () => {
    const id = await cluster(
      wekaLike(() => ({ ...goodTokens(), refresh_token: `${jwtLike()}\u001b[2J` })),
    )
    const r = await signIn(id)
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } })
  })

  it('expires_in 1e13 and a JWT exp of 1e15 sign in, with dates that stay dates; other clusters are untouched', async () => {
    const id = await cluster(
      wekaLike(() => ({
        ...goodTokens(),
        expires_in: 1e13,
        refresh_token: jwtLike({ exp: 1e15 }),
      })),
    )
    const before = Date.now()
    const r = await signIn(id)
    expect(r.ok, JSON.stringify(r)).toBe(true)
    const detail = (await h.core.dispatcher.invoke('clusters:get', { clusterId: id })) as {
      ok: true
      value: {
        view: { session: { state: string; expiresAt?: number } }
        storedExpiresAt?: number
      }
    }
    const session = detail.value.view.session
    expect(session.state).toBe('active')
    expect(session.expiresAt! - before).toBeLessThanOrEqual(HUNDRED_YEARS_MS + 60_000)
    expect(() => new Date(session.expiresAt!).toISOString()).not.toThrow()
    expect(detail.value.storedExpiresAt).toBeUndefined()
    // What the CLI prints for it never throws, whatever the number.
    expect(describeSession({ state: 'active', expiresAt: 1e17 })).toMatch(/invalid time/)
    expect(isoTime(Number.NaN)).toBe('invalid time')

    // Every cluster's view still comes back.
    const list = (await h.core.dispatcher.invoke('clusters:list', undefined)) as Reply
    expect(list.ok).toBe(true)
  })

  it('Retry-After: 99999999999999 on a 503 is SERVER_ERROR with a bounded retry, not INTERNAL', async () => {
    const c = await h.core.registry.add({
      vendor: 'weka',
      name: 'retry-after-huge',
      url: weka.url,
      username: 'admin',
      trust: { sha256: weka.fingerprint },
    })
    for (const seconds of [99_999_999_999_999, 999_999_999]) {
      weka.faults.enable('serverError', {
        match: /\/login$/,
        status: 503,
        retryAfterSeconds: seconds,
        times: 1,
      })
      const before = Date.now()
      const r = (await h.core.dispatcher.invoke('session:signIn', {
        clusterId: c.id,
        password: 'WekaSim-Admin-7341',
      })) as Reply
      expect(r.ok).toBe(false)
      if (r.ok) continue
      expect(r.error.code).toBe('SERVER_ERROR')
      expect(r.error.retryAt).toBeDefined()
      expect(r.error.retryAt! - before).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS + 60_000)
      expect(() => new Date(r.error.retryAt!).toISOString()).not.toThrow()
    }
    weka.faults.clear()
  })

  it('a 429 with an absurd Retry-After and an absurd lockout time stay bounded', async () => {
    const throttled = await cluster((req) =>
      req.path === '/api/v2/users/whoami'
        ? json(429, { data: 'slow down' }, { 'retry-after': '99999999999999' })
        : wekaLike(goodTokens)(req),
    )
    const before = Date.now()
    const r = await signIn(throttled)
    expect(r).toMatchObject({ ok: false, error: { code: 'SERVER_ERROR' } })
    if (!r.ok) expect(r.error.retryAt! - before).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS + 60_000)

    const locked = await cluster((req) =>
      req.path === '/api/v2/login'
        ? json(403, {
            data: 'Authentication Failed. User has been locked out for another 99999999999h due to too many login attempts',
          })
        : wekaLike(goodTokens)(req),
    )
    const l = await signIn(locked)
    expect(l).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } })
    if (!l.ok) expect(() => new Date(l.error.retryAt!).toISOString()).not.toThrow()
  })

  it('a Qumulo bearer token with terminal escapes is BAD_RESPONSE', async () => {
    const id = await cluster((req) => {
      if (req.path === '/v1/version') return json(200, { revision_id: 'Qumulo Core 7.2.0' })
      if (req.path === '/v1/session/login')
        return json(200, { bearer_token: 'session-v1:abc\u001b]0;pwned\u0007' })
      return json(404, { error_class: 'http_not_found_error', description: 'no' })
    }, 'qumulo')
    const r = await signIn(id)
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } })
  })
})
