// SwarmClient against the real Swarm simulator over HTTPS on loopback (no mocked HTTP):
// sign-in, resume, token create/list/delete, S3 tokens proven with the real AWS SDK, token-admin
// ownership, and no secret the simulator issued in any error.
import { Agent as HttpsAgent } from 'node:https'
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClusterHttp } from '../../../src/main/core/http'
import {
  SwarmClient,
  tokenHandle,
  type SwarmClientOptions,
} from '../../../src/main/core/vendors/swarm/client'
import { TokendeckError } from '../../../src/shared/errors'
import type { ErrorCode } from '../../../src/shared/model'
import { FakeClock } from '../../sim/common/clock'
import { startSwarmSim, type SwarmSim } from '../../sim/swarm'

const DOMAIN = 'docs.acme.example'
const HOUR = 3600_000
/** Listings carry expiry as an RFC 1123 lifepoint date (docs/protocols/swarm.md §2.3): whole seconds. */
const sec = (ms: number): number => Math.floor(ms / 1000) * 1000

let clock: FakeClock
let sim: SwarmSim
let agent: HttpsAgent
const clients: SwarmClient[] = []
/** Every error a client threw in this file: checked at the end for leaked secrets. */
const thrown: unknown[] = []

beforeAll(async () => {
  // Real time, so the AWS SDK's signatures fall inside the sim's ±15 min window.
  clock = new FakeClock(Date.now())
  sim = await startSwarmSim({ clock })
  agent = new HttpsAgent({ ca: sim.certificate, keepAlive: false })
})
afterAll(async () => {
  agent.destroy()
  await Promise.all(clients.map((c) => c.close()))
  await sim.close()
})

function http(url = sim.url): ClusterHttp {
  return new ClusterHttp({ url, trust: { sha256: sim.fingerprint }, now: () => clock.now() })
}

function client(opts: Partial<SwarmClientOptions> = {}): SwarmClient {
  const c = new SwarmClient({ http: http(), domain: DOMAIN, now: () => clock.now(), ...opts })
  clients.push(c)
  return c
}

function password(user: string): string {
  const u = sim.state.users.get(user)
  if (!u) throw new Error(`no seeded user ${user}`)
  return u.password
}

async function signIn(c: SwarmClient, username: string, qualified = username): Promise<string> {
  const r = await c.signIn({ username, password: password(qualified) })
  return r.access.token
}

async function failure(p: Promise<unknown>, code: ErrorCode): Promise<TokendeckError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  thrown.push(err)
  expect(err).toBeInstanceOf(TokendeckError)
  expect((err as TokendeckError).code, (err as Error).message).toBe(code)
  return err as TokendeckError
}

function s3(accessKeyId: string, secretAccessKey: string): S3Client {
  return new S3Client({
    endpoint: sim.s3Url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey },
    // The simulator's certificate as the trusted CA; TLS verification stays on.
    requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
    maxAttempts: 1,
  })
}

describe('sign-in (docs/protocols/swarm.md §2.1)', () => {
  it('is one Basic POST /.TOKEN/ giving a plain 24 h session token and the identity', async () => {
    const c = client()
    const attempts = sim.state.loginAttempts.length
    const requests = sim.requests.length
    const r = await c.signIn({ username: 'bob', password: password('bob@docs.acme.example') })

    expect(sim.state.loginAttempts.length - attempts).toBe(1)
    const sent = sim.requests.slice(requests)
    expect(sent.filter((q) => q.method === 'POST')).toHaveLength(1)
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/.TOKEN/', status: 201 })

    expect(r.stored.kind).toBe('session-token')
    expect(r.stored.value).toBe(r.access.token)
    expect(r.access.token).toMatch(/^[0-9a-f]{32}$/)
    expect(r.access.expiresAt).toBe(sec(clock.now() + 24 * HOUR))
    expect(r.stored.expiresAt).toBe(r.access.expiresAt)
    expect(r.identity).toMatchObject({
      username: 'bob@docs.acme.example',
      isAdmin: false,
      scope: '@docs.acme.example',
    })
    // A session token never carries an S3 secret: S3 tokens cannot manage tokens (docs/protocols/swarm.md §2.1, docs/protocols/swarm.md §4).
    expect(sim.state.tokens.get(r.access.token)?.hasS3Secret).toBe(false)
  })

  it('maps a wrong password to BAD_CREDENTIALS after exactly one attempt', async () => {
    const attempts = sim.state.loginAttempts.length
    const err = await failure(
      client().signIn({ username: 'bob', password: 'not-the-password' }),
      'BAD_CREDENTIALS',
    )
    expect(sim.state.loginAttempts.length - attempts).toBe(1)
    expect(err.message).toContain('bob@docs.acme.example')
    expect(err.message).not.toContain('not-the-password')
  })

  it('scopes user names by tenant or domain (docs/protocols/swarm.md §1)', async () => {
    const tenantUser = await client({ tenant: 'acme' }).signIn({
      username: 'alice',
      password: password('alice+acme'),
    })
    expect(tenantUser.identity).toMatchObject({ username: 'alice+acme', scope: '+acme' })
    expect(sim.state.loginAttempts.at(-1)).toMatchObject({ username: 'alice+acme', ok: true })

    // Same base name, wrong scope: alice is not a domain user.
    await failure(
      client().signIn({ username: 'alice', password: password('alice+acme') }),
      'BAD_CREDENTIALS',
    )

    // Per-request scope wins; no tenant or domain at all means a root user.
    const root = await client({ domain: undefined }).signIn({
      username: 'admin',
      password: password('admin@'),
    })
    expect(root.identity).toMatchObject({ username: 'admin@', scope: '@' })
  })

  it('asks for an explicit session lifetime as ISO 8601 UTC when configured', async () => {
    const r = await client({ sessionTtlSeconds: 2 * 3600 }).signIn({
      username: 'bob',
      password: password('bob@docs.acme.example'),
    })
    expect(r.access.expiresAt).toBe(sec(clock.now() + 2 * HOUR))
    // Millisecond-exact in the sim: it parsed an ISO 8601 UTC time, not a "+n days" spec.
    expect(sim.state.tokens.get(r.access.token)?.expiresAt).toBe(clock.now() + 2 * HOUR)
  })

  it('reports an unknown storage domain as NOT_FOUND', async () => {
    await failure(
      client({ domain: 'nowhere.example' }).signIn({
        username: 'bob@docs.acme.example',
        password: 'x',
      }),
      'NOT_FOUND',
    )
  })
})

describe('resume (docs/protocols/swarm.md §2.2)', () => {
  it('accepts a live token and reports its expiry', async () => {
    const c = client()
    const token = await signIn(c, 'bob@docs.acme.example')
    const g = await c.resume(token)
    expect(g.access.token).toBe(token)
    expect(g.stored).toEqual({
      kind: 'session-token',
      value: token,
      expiresAt: sec(clock.now() + 24 * HOUR),
    })
  })

  it('maps an expired token (anonymous + cookie-clearing Set-Cookie) to REFRESH_EXPIRED', async () => {
    const c = client()
    const token = await signIn(c, 'bob@docs.acme.example')
    const before = clock.now()
    clock.advance(24 * HOUR + 1000)
    try {
      const requests = sim.requests.length
      const err = await failure(c.resume(token), 'REFRESH_EXPIRED')
      expect(err.message).toMatch(/expired/)
      expect(sim.requests.slice(requests)).toHaveLength(1)
    } finally {
      clock.set(before)
    }
    sim.state.expireToken(token)
    await failure(c.resume(token), 'REFRESH_EXPIRED')
  })

  it('maps a deleted or malformed stored token to REFRESH_EXPIRED', async () => {
    const c = client()
    const token = await signIn(c, 'bob@docs.acme.example')
    await c.revoke(token, { tokenId: token })
    await failure(c.resume(token), 'REFRESH_EXPIRED')
    await failure(c.resume('not a token; x=1'), 'REFRESH_EXPIRED')
  })

  it('whoami and clusterInfo', async () => {
    const c = client()
    const token = await signIn(c, 'bob@docs.acme.example')
    expect(await c.whoami(token)).toMatchObject({
      username: 'bob@docs.acme.example',
      isAdmin: false,
    })
    expect(await c.clusterInfo(token)).toEqual({ clusterName: new URL(sim.url).host })
  })
})

describe('tokens (docs/protocols/swarm.md §2.1, docs/protocols/swarm.md §2.3, docs/protocols/swarm.md §2.4)', () => {
  it('creates a plain token with an expiry and a description, and proves it', async () => {
    const c = client()
    const access = await signIn(c, 'bob@docs.acme.example')
    const created = await c.createToken(access, {
      expiresIn: 3 * 86_400,
      description: 'backup job',
    })

    expect(created.secrets).toHaveLength(1)
    const [secret] = created.secrets
    expect(secret?.kind).toBe('access-token')
    const id = secret?.value ?? ''
    expect(created.summary).toMatchObject({
      id: tokenHandle(id),
      owner: 'bob@docs.acme.example',
      description: 'backup job',
      expiresAt: sec(clock.now() + 3 * 86_400_000),
    })
    expect(created.summary.hasS3Secret).toBeUndefined()
    // ISO 8601 UTC with milliseconds: the sim stored the exact instant.
    const stored = sim.state.tokens.get(id)
    expect(stored).toMatchObject({
      expiresAt: clock.now() + 3 * 86_400_000,
      description: 'backup job',
      hasS3Secret: false,
    })

    expect(await c.proveToken(id)).toMatchObject({ username: 'bob@docs.acme.example' })
  })

  it('mints an S3 token with a 64-alphanumeric client-made secret that the AWS SDK can use', async () => {
    const s3Http = http(sim.s3Url)
    const c = client({ s3: { http: s3Http } })
    const access = await signIn(c, 'bob@docs.acme.example')
    const created = await c.createToken(access, { s3Secret: true, description: 'rclone' })

    const token = created.secrets.find((s) => s.kind === 'access-token')?.value ?? ''
    const secret = created.secrets.find((s) => s.kind === 's3-secret')
    expect(secret?.value).toMatch(/^[A-Za-z0-9]{64}$/)
    expect(secret?.accessKeyId).toBe(token)
    expect(created.summary).toMatchObject({
      id: tokenHandle(token),
      hasS3Secret: true,
      description: 'rclone',
    })
    expect(sim.state.tokens.get(token)?.s3Secret).toBe(secret?.value)

    const out = await s3(token, secret?.value ?? '').send(new ListBucketsCommand({}))
    expect(out.Buckets?.map((b) => b.Name)).toEqual(['reports', 'scans'])

    // The client's own proof: a SigV4 ListBuckets made at creation (the secret is not kept).
    expect(await c.proveToken(token)).toMatchObject({ username: 'bob@docs.acme.example' })

    // Listed later, the Tokendeck mark says it has an S3 secret; the secret itself is never listed.
    const listed = (await c.listTokens(access)).find((t) => t.id === tokenHandle(token))
    expect(listed).toMatchObject({ hasS3Secret: true, description: 'rclone' })
    expect(JSON.stringify(await c.listTokens(access))).not.toContain(secret?.value ?? '-')
  })

  it('refuses an S3 token for management, and cannot prove it without an S3 endpoint', async () => {
    const c = client()
    const access = await signIn(c, 'bob@docs.acme.example')
    const created = await c.createToken(access, { s3Secret: true })
    const token = created.secrets[0]?.value ?? ''

    await failure(c.listTokens(token), 'REFRESH_EXPIRED')
    await failure(c.createToken(token, {}), 'REFRESH_EXPIRED')
    await failure(c.revoke(token, { tokenId: token }), 'REFRESH_EXPIRED')
    await failure(c.proveToken(token), 'UNSUPPORTED')
    // Still alive: the session token can delete it.
    await c.revoke(access, { tokenId: token })
  })

  it('lets the token admin create for another owner, and refuses an ordinary user', async () => {
    const admin = client()
    const adminAccess = await signIn(admin, 'admin@')
    const forBob = await admin.createToken(adminAccess, {
      owner: 'bob@docs.acme.example',
      expiresIn: 600,
    })
    expect(forBob.summary.owner).toBe('bob@docs.acme.example')
    expect(sim.state.tokens.get(forBob.secrets[0]!.value)).toMatchObject({
      owner: 'bob@docs.acme.example',
      creator: 'admin@',
    })
    expect(
      await admin.createWarnings(adminAccess, { owner: 'bob@docs.acme.example' }),
    ).toHaveLength(1)
    expect(await admin.createWarnings(adminAccess, { owner: 'admin@' })).toEqual([])
    // The admin now sees someone else's token, which is what marks it as token admin.
    expect(await admin.whoami(adminAccess)).toMatchObject({ username: 'admin@', isAdmin: true })

    const alice = client({ tenant: 'acme' })
    const aliceAccess = await signIn(alice, 'alice', 'alice+acme')
    const before = sim.state.tokens.size
    const err = await failure(
      alice.createToken(aliceAccess, { owner: 'bob@docs.acme.example' }),
      'FORBIDDEN',
    )
    expect(err.message).toMatch(/token administrator/)
    expect(sim.state.tokens.size).toBe(before)
  })

  it('lists own tokens with expiry, description and owner; drops expired entries; filters by owner', async () => {
    const c = client({ tenant: 'acme' })
    const access = await signIn(c, 'alice', 'alice+acme')
    const made = await c.createToken(access, { expiresIn: 7200, description: 'nightly sync' })
    const gone = sim.state.issueToken({
      owner: 'alice+acme',
      scope: { kind: 'domain', domain: DOMAIN, tenant: 'acme' },
      description: 'old',
    })
    sim.state.expireToken(gone.id)
    expect(sim.state.tokens.has(gone.id)).toBe(true) // not yet reaped: still in the raw listing

    const list = await c.listTokens(access)
    expect(list.every((t) => t.owner === 'alice+acme')).toBe(true)
    expect(list.map((t) => t.id)).toEqual(
      expect.arrayContaining([tokenHandle(access), made.summary.id]),
    )
    expect(list.map((t) => t.id)).not.toContain(tokenHandle(gone.id))
    const mine = list.find((t) => t.id === made.summary.id)
    expect(mine).toEqual({
      id: made.summary.id,
      owner: 'alice+acme',
      createdAt: sec(clock.now()),
      expiresAt: sec(clock.now() + 7200_000),
      description: 'nightly sync',
    })

    const admin = client()
    const adminAccess = await signIn(admin, 'admin@')
    const all = await admin.listTokens(adminAccess)
    expect(new Set(all.map((t) => t.owner)).size).toBeGreaterThan(1)
    const alices = await admin.listTokens(adminAccess, { owner: 'alice+acme' })
    expect(alices.length).toBeGreaterThan(0)
    expect(alices.every((t) => t.owner === 'alice+acme')).toBe(true)
    expect(await admin.listTokens(adminAccess, { owner: 'alice' })).toEqual(alices)
    expect(await admin.listTokens(adminAccess, { owner: 'alice@docs.acme.example' })).toEqual([])
  })

  it('deletes one token; a second delete is NOT_FOUND; others are FORBIDDEN', async () => {
    const c = client()
    const access = await signIn(c, 'bob@docs.acme.example')
    const made = await c.createToken(access, { description: 'to delete' })
    const requests = sim.requests.length
    await c.revoke(access, { tokenId: made.summary.id })
    // Revoking by handle lists first, then deletes the token the handle names.
    expect(sim.requests.slice(requests).find((r) => r.method === 'DELETE')).toMatchObject({
      method: 'DELETE',
      path: '/.TOKEN/[redacted]',
      status: 200,
    })
    expect((await c.listTokens(access)).map((t) => t.id)).not.toContain(made.summary.id)
    const again = await failure(c.revoke(access, { tokenId: made.summary.id }), 'NOT_FOUND')
    expect(again.message).not.toContain(made.secrets[0]!.value)

    const alice = client({ tenant: 'acme' })
    const aliceAccess = await signIn(alice, 'alice', 'alice+acme')
    const err = await failure(alice.revoke(aliceAccess, { tokenId: access }), 'FORBIDDEN')
    expect(err.message).not.toContain(access)
  })

  it('says UNSUPPORTED for revoke-by-user, modify and never-expiring tokens', async () => {
    const c = client()
    const access = await signIn(c, 'bob@docs.acme.example')
    await failure(c.revoke(access, { username: 'bob@docs.acme.example' }), 'UNSUPPORTED')
    await failure(c.modifyToken(access, access, { expiresAt: null }), 'UNSUPPORTED')
    await failure(c.createToken(access, { expiresIn: 'never' }), 'UNSUPPORTED')
    await failure(c.createToken(access, { expiresIn: -5 }), 'INVALID_INPUT')
    await failure(c.createToken(access, { description: 'line\nbreak' }), 'INVALID_INPUT')
    expect(await c.createWarnings(access, { s3Secret: true })).toHaveLength(1)
  })
})

describe('secret hygiene', () => {
  it('no error thrown above contains a token, S3 secret or password the simulator issued', () => {
    expect(thrown.length).toBeGreaterThan(15)
    const secrets = sim.state.issuedSecrets()
    expect(secrets.length).toBeGreaterThan(20)
    for (const err of thrown) {
      const e = err as Error
      const text = [e.message, String(e), e.stack ?? '', JSON.stringify(err)].join('\n')
      for (const s of secrets)
        expect(text.includes(s), `${(err as TokendeckError).code} leaks a secret`).toBe(false)
    }
  })
})
