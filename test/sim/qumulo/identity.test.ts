import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../common/clock'
import { startQumuloSim } from './index'
import { TestClient, errorClass, passwordOf } from './testClient'
import type { QumuloSim } from './types'

describe('Qumulo simulator: identity find and expand', () => {
  let sim: QumuloSim
  let c: TestClient
  let admin: string

  beforeAll(async () => {
    sim = await startQumuloSim({ clock: new FakeClock() })
    c = new TestClient(sim)
    admin = await c.login('admin', passwordOf(sim, 'admin'))
  })
  afterAll(async () => {
    await c.close()
    await sim.close()
  })

  it('find turns a partial identity into the full one (all six keys), on both paths', async () => {
    for (const path of ['/v1/identity/find', '/v1/auth/identity/find']) {
      const r = await c.call('POST', path, { token: admin, json: { name: 'bob@corp.example.com' } })
      expect(r.status, path).toBe(200)
      expect(r.body).toEqual({
        domain: 'ACTIVE_DIRECTORY',
        auth_id: sim.state.userByName('bob')!.authId,
        uid: 2002,
        gid: null,
        sid: expect.stringMatching(/^S-1-5-21-/),
        name: 'CORP\\bob',
      })
    }
    const group = await c.call('POST', '/v1/identity/find', { token: admin, json: { gid: 3001 } })
    expect(group.body).toMatchObject({ domain: 'LOCAL', name: 'storage-ops', gid: 3001 })
  })

  it('find answers 404 for nobody and 400 for a malformed identity', async () => {
    const none = await c.call('POST', '/v1/identity/find', {
      token: admin,
      json: { name: 'nobody' },
    })
    expect([none.status, errorClass(none)]).toEqual([404, 'identity_not_found_error'])
    const bad = await c.call('POST', '/v1/identity/find', { token: admin, json: { sid: 42 } })
    expect([bad.status, errorClass(bad)]).toEqual([400, 'rest_invalid_request_error'])
  })

  it("expand tells users from groups, lists a user's groups, and says UNKNOWN for strangers", async () => {
    const user = await c.call('POST', '/v1/identity/expand', {
      token: admin,
      json: { id: { name: 'alice' } },
    })
    expect(user.status).toBe(200)
    const u = user.body as {
      type: string
      id: { name: string }
      group_ids: Array<{ name: string }>
    }
    expect(u.type).toBe('USER')
    expect(u.id.name).toBe('alice')
    expect(u.group_ids.map((g) => g.name)).toEqual(['Users', 'Everyone', 'storage-ops'])
    const group = await c.call('POST', '/v1/identity/expand', {
      token: admin,
      json: { id: { domain: 'WORLD', name: 'Everyone' } },
    })
    expect((group.body as { type: string }).type).toBe('GROUP')
    const stranger = await c.call('POST', '/v1/identity/expand', {
      token: admin,
      json: { id: { name: 'ghost' } },
    })
    expect(stranger.body).toMatchObject({ type: 'UNKNOWN', id: { name: 'ghost' } })
    const missing = await c.call('POST', '/v1/identity/expand', { token: admin, json: {} })
    expect(missing.status).toBe(400)
  })

  it('needs PRIVILEGE_IDENTITY_READ (Observers have it, the svc-backup role does not)', async () => {
    const alice = await c.login('alice', passwordOf(sim, 'alice'))
    const bob = await c.login('bob', passwordOf(sim, 'bob'))
    expect(
      (await c.call('POST', '/v1/identity/find', { token: alice, json: { name: 'admin' } })).status,
    ).toBe(200)
    const denied = await c.call('POST', '/v1/identity/expand', {
      token: bob,
      json: { id: { name: 'admin' } },
    })
    expect([denied.status, errorClass(denied)]).toEqual([403, 'http_forbidden_error'])
    expect((await c.call('POST', '/v1/identity/find', { json: { name: 'admin' } })).status).toBe(
      401,
    )
  })
})
