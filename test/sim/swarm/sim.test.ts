import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../common/clock'
import { startSwarmSim, type SwarmSim } from './index'
import { header, idFromBody, pw, swarmClient } from './testClient'

let clock: FakeClock
let sim: SwarmSim
let client: ReturnType<typeof swarmClient>

beforeAll(async () => {
  clock = new FakeClock()
  sim = await startSwarmSim({ clock })
  client = swarmClient(sim)
})
afterAll(async () => {
  await client.close()
  await sim.close()
})

describe('seed and start-up', () => {
  it('seeds a token admin, ordinary users, and scoped tenant/domain users', () => {
    const admin = sim.users.find((u) => u.username === 'admin@')
    expect(admin).toMatchObject({ tokenAdmin: true })
    expect(admin?.role).toMatch(/admin/)
    const ordinary = sim.users.filter((u) => !/admin/.test(u.role))
    expect(ordinary.length).toBeGreaterThanOrEqual(2)
    expect(sim.users.find((u) => u.username === 'alice+acme')).toMatchObject({
      tenant: 'acme',
      tokenAdmin: false,
    })
    expect(sim.users.find((u) => u.username === 'bob@docs.acme.example')).toMatchObject({
      tenant: 'acme',
      domain: 'docs.acme.example',
    })
    expect(sim.state.tenants.map((t) => t.name)).toEqual(['acme', 'globex'])
    expect(sim.s3Url).toBe(sim.url)
  })

  it('refuses seed users whose name and tenant disagree, or that are unqualified', async () => {
    await expect(
      startSwarmSim({
        users: [{ username: 'eve+acme', password: 'x', role: 'user', tenant: 'globex' }],
      }),
    ).rejects.toThrow(/disagree/)
    await expect(
      startSwarmSim({ users: [{ username: 'eve', password: 'x', role: 'user' }] }),
    ).rejects.toThrow(/qualified/)
  })

  it('stamps every reply with the simulator clock in the Date header', async () => {
    const r = await client.call('GET', '/.TOKEN/?format=json', { basic: pw(sim, 'alice+acme') })
    expect(header(r, 'date')).toBe(new Date(clock.now()).toUTCString())
  })
})

describe('secret hygiene of the request log', () => {
  it('masks token ids in paths, records who, and logs no issued secret', async () => {
    const created = await client.call('POST', '/.TOKEN/?setcookie=false', {
      basic: pw(sim, 'alice+acme'),
      headers: { 'x-user-secret-key-meta': 'HygieneSecret12345' },
    })
    const id = idFromBody(created.text)
    const tenant = await client.call('POST', '/_admin/manage/tenants/acme/tokens', {
      basic: pw(sim, 'alice+acme'),
    })
    const tenantId = tenant.json<{ token: string }>().token
    await client.call('GET', `/_admin/manage/tenants/acme/tokens/${tenantId}`, {
      basic: pw(sim, 'alice+acme'),
    })
    await client.call('DELETE', `/.TOKEN/${id}`, { basic: pw(sim, 'alice+acme') })

    const secrets = sim.state.issuedSecrets()
    expect(secrets).toEqual(
      expect.arrayContaining([id, tenantId, 'HygieneSecret12345', pw(sim, 'admin@')[1]]),
    )
    // A deleted token still counts: hygiene tests need everything ever issued.
    expect(sim.state.tokens.has(id)).toBe(false)

    const log = JSON.stringify(sim.requests)
    for (const s of secrets) expect(log).not.toContain(s)
    expect(sim.requests.at(-1)).toMatchObject({
      method: 'DELETE',
      path: '/.TOKEN/[redacted]',
      status: 200,
      user: 'alice+acme',
    })
    expect(
      sim.requests.find((r) => r.path === '/_admin/manage/tenants/acme/tokens/[redacted]'),
    ).toMatchObject({ status: 200 })
  })
})

describe('fault knobs', () => {
  it('serverError answers 503 with Retry-After while its budget lasts', async () => {
    sim.faults.enable('serverError', { match: /^\/\.TOKEN\//, times: 1, retryAfterSeconds: 7 })
    try {
      const failed = await client.call('POST', '/.TOKEN/?setcookie=false', {
        basic: pw(sim, 'alice+acme'),
      })
      expect(failed.status).toBe(503)
      expect(header(failed, 'retry-after')).toBe('7')
      const ok = await client.call('POST', '/.TOKEN/?setcookie=false', {
        basic: pw(sim, 'alice+acme'),
      })
      expect(ok.status).toBe(201)
    } finally {
      sim.faults.clear()
    }
  })

  it('reset drops the connection and creates nothing', async () => {
    const before = sim.state.tokens.size
    sim.faults.enable('reset', { times: 1 })
    try {
      await expect(
        client.call('POST', '/.TOKEN/', { basic: pw(sim, 'alice+acme') }),
      ).rejects.toThrow()
      expect(sim.state.tokens.size).toBe(before)
      expect(sim.requests.at(-1)?.status).toBe('reset')
    } finally {
      sim.faults.clear()
    }
  })
})

describe('certificate rotation', () => {
  it('serves a new certificate: clients trusting the old one fail, the new one works', async () => {
    const rotSim = await startSwarmSim()
    const oldClient = swarmClient(rotSim)
    try {
      expect(
        (await oldClient.call('GET', '/.TOKEN/?format=json', { basic: pw(rotSim, 'alice+acme') }))
          .status,
      ).toBe(200)
      const oldFingerprint = rotSim.fingerprint
      const fingerprint = await rotSim.rotateCertificate()
      expect(fingerprint).not.toBe(oldFingerprint)
      expect(rotSim.fingerprint).toBe(fingerprint)
      await expect(
        oldClient.call('GET', '/.TOKEN/?format=json', { basic: pw(rotSim, 'alice+acme') }),
      ).rejects.toThrow()
      const newClient = swarmClient(rotSim)
      try {
        expect(
          (await newClient.call('GET', '/.TOKEN/?format=json', { basic: pw(rotSim, 'alice+acme') }))
            .status,
        ).toBe(200)
      } finally {
        await newClient.close()
      }
    } finally {
      await oldClient.close()
      await rotSim.close()
    }
  })
})
