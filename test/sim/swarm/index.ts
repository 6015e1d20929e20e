import { systemClock } from '../common/clock'
import { startHttpsSim } from '../common/server'
import type { SimRequest, SimResponse } from '../common/server'
import { Directory } from './directory'
import { handleManage, MANAGE_PREFIX } from './manage'
import { makeRedactor } from './redact'
import { handleS3 } from './s3/handler'
import { SEED_BUCKETS, SEED_DEFAULT_DOMAIN, SEED_TENANTS, SEED_USERS } from './seed'
import { TokenStore } from './tokenStore'
import { handleTokenPath } from './tokenPath'
import type {
  LoginAttempt,
  SwarmSim,
  SwarmSimOptions,
  SwarmState,
  SwarmTenant,
  SwarmUser,
} from './types'
import { normalizeUsers, validateTenants } from './users'
import { closeRecordingSecrets } from '../common/hygiene'

export type * from './types'
export { REDACTED } from './redact'

/**
 * A DataCore Swarm Content Gateway on loopback: the storage token path, the Management API
 * tenant token URIs and a SigV4-checked S3 front end, all on one HTTPS listener
 * (docs/protocols/swarm.md §8 DESIGN), so `s3Url === url`.
 */
export async function startSwarmSim(opts: SwarmSimOptions = {}): Promise<SwarmSim> {
  const clock = opts.clock ?? systemClock
  const tenants: SwarmTenant[] = (opts.tenants ?? SEED_TENANTS).map((t) => ({
    name: t.name,
    domains: [...t.domains],
  }))
  validateTenants(tenants)
  const users = new Map<string, SwarmUser>(
    normalizeUsers(opts.users ?? SEED_USERS, tenants).map((u) => [u.username, u]),
  )
  const buckets = new Map<string, string[]>(
    Object.entries(opts.buckets ?? SEED_BUCKETS).map(([d, b]) => [d, [...b]]),
  )
  const directory = new Directory(users, tenants)
  const defaultDomain =
    opts.defaultDomain ??
    (directory.tenantOfDomain(SEED_DEFAULT_DOMAIN)
      ? SEED_DEFAULT_DOMAIN
      : (tenants[0]?.domains[0] ?? ''))
  const tokenPath = `/${(opts.tokenPath ?? '/.TOKEN/').replace(/^\/+|\/+$/g, '')}/`
  const cookieName = opts.cookieName ?? 'token'

  const store = new TokenStore(clock, {
    defaultTtlMs: (opts.defaultTokenTtlSeconds ?? 24 * 3600) * 1000,
    ...(opts.maxTokenTtlSeconds !== undefined ? { maxTtlMs: opts.maxTokenTtlSeconds * 1000 } : {}),
    reapGraceMs: (opts.reapGraceSeconds ?? 60) * 1000,
    listingLagMs: opts.listingLagMs ?? 0,
  })
  for (const u of users.values()) store.remember(u.password)
  const loginAttempts: LoginAttempt[] = []

  const ctx = { directory, store, clock, cookieName, loginAttempts, tokenPath, defaultDomain }
  const s3ctx = {
    directory,
    store,
    clock,
    buckets,
    bucketsCreatedAt: clock.now(),
    maxSkewMs: (opts.s3MaxClockSkewSeconds ?? 900) * 1000,
  }

  function route(req: SimRequest, who: { user?: string }): SimResponse {
    const base = tokenPath.slice(0, -1)
    if (req.path === base || req.path.startsWith(tokenPath)) return handleTokenPath(req, who, ctx)
    if (req.path.startsWith(MANAGE_PREFIX)) return handleManage(req, who, ctx)
    return handleS3(req, who, s3ctx)
  }

  const http = await startHttpsSim({
    name: 'swarm',
    clock,
    redactPath: makeRedactor(tokenPath),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.faultSeed !== undefined ? { faultSeed: opts.faultSeed } : {}),
    handler(req, who) {
      const reply = route(req, who)
      // The Date header comes from the simulator clock: clients (and the AWS SDK's clock-skew
      // correction) read server time from it, and a FakeClock must be what they see.
      return { ...reply, headers: { date: new Date(clock.now()).toUTCString(), ...reply.headers } }
    },
  })

  const state: SwarmState = {
    users,
    tenants,
    buckets,
    tokens: store.tokens,
    liveTokens: () => store.liveTokens(),
    issueToken: (input) => store.issue(input),
    expireToken: (id) => store.expire(id),
    issuedSecrets: () => [
      ...new Set([...store.issuedSecrets(), ...[...users.values()].map((u) => u.password)]),
    ],
    loginAttempts,
  }

  return {
    url: http.url,
    s3Url: http.url,
    port: http.port,
    get fingerprint() {
      return http.fingerprint
    },
    get certificate() {
      return http.certificate
    },
    get users() {
      return [...users.values()]
    },
    clock,
    faults: http.faults,
    requests: http.requests,
    state,
    rotateCertificate: () => http.rotateCertificate(),
    close: closeRecordingSecrets(
      'swarm',
      () => state.issuedSecrets(),
      () => http.close(),
    ),
  }
}
