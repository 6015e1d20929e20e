import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../common/clock'
import { DEFAULT_USERS, SECOND_ADMIN, startQumuloSim } from './index'
import { STORAGE_OPS_GROUP_ID } from './seed'
import { TestClient, errorClass, passwordOf } from './testClient'
import type { ApiIdentity, QumuloSim } from './types'

interface RoleBody {
  name: string
  description: string
  privileges: string[]
}
interface MembersBody {
  members: ApiIdentity[]
  paging: { next: string | null }
}

describe('Qumulo simulator: roles API, read side (docs/protocols/qumulo.md §7)', () => {
  let sim: QumuloSim
  let c: TestClient
  let admin: string
  let alice: string
  let bob: string

  beforeAll(async () => {
    sim = await startQumuloSim({
      clock: new FakeClock(),
      users: [...DEFAULT_USERS, SECOND_ADMIN],
      rolesApi: true,
    })
    c = new TestClient(sim)
    admin = await c.login('admin', passwordOf(sim, 'admin'))
    alice = await c.login('alice', passwordOf(sim, 'alice'))
    bob = await c.login('bob', passwordOf(sim, 'bob'))
  })
  afterAll(async () => {
    await c.close()
    await sim.close()
  })

  it('GET /v1/auth/roles/ lists every role with name, description and privileges', async () => {
    const r = await c.call('GET', '/v1/auth/roles/', { token: admin })
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('application/json')
    const roles = r.body as Record<string, RoleBody>
    expect(Object.keys(roles)).toEqual(
      expect.arrayContaining(['Administrators', 'Observers', 'Data-Administrators', 'svc-backup']),
    )
    expect(roles.Administrators).toMatchObject({ name: 'Administrators' })
    expect(roles.Administrators!.privileges).toContain('PRIVILEGE_ACCESS_TOKENS_WRITE')
    expect(roles.Observers!.privileges).toContain('PRIVILEGE_ROLE_READ')
    expect(roles.Observers!.privileges).not.toContain('PRIVILEGE_ROLE_WRITE')
    expect(roles['svc-backup']!.privileges).toEqual([
      'PRIVILEGE_FS_ATTRIBUTES_READ',
      'PRIVILEGE_SNAPSHOT_READ',
      'PRIVILEGE_SNAPSHOT_WRITE',
    ])
  })

  it('GET /v1/auth/roles/{name} is case-insensitive, carries an ETag; unknown role → 404', async () => {
    const r = await c.call('GET', '/v1/auth/roles/observers', { token: admin })
    expect(r.status).toBe(200)
    expect((r.body as RoleBody).name).toBe('Observers')
    expect(typeof r.headers.etag).toBe('string')
    const missing = await c.call('GET', '/v1/auth/roles/no-such-role', { token: admin })
    expect(missing.status).toBe(404)
    expect(errorClass(missing)).toBe('auth_role_not_found_error')
    expect(missing.body).toMatchObject({ module: 'qinternal.rest', user_visible: true })
  })

  it('GET …/members lists member identities; both administrators are in Administrators', async () => {
    const r = await c.call('GET', '/v1/auth/roles/Administrators/members', { token: admin })
    expect(r.status).toBe(200)
    const body = r.body as MembersBody
    expect(body.members.map((m) => m.name)).toEqual(['admin', 'carol'])
    expect(body.members[0]).toEqual({
      domain: 'LOCAL',
      auth_id: '500',
      uid: null,
      gid: null,
      sid: expect.stringMatching(/^S-1-5-21-/) as unknown as string,
      name: 'admin',
    })
    expect(body.paging.next).toBe('')
  })

  it('members are paged with after/limit; next is a relative URI, the last page ends with ""', async () => {
    sim.state.grantRole(STORAGE_OPS_GROUP_ID, 'Administrators')
    try {
      const seen: string[] = []
      let path: string | null = '/v1/auth/roles/administrators/members?limit=2'
      let pages = 0
      while (path) {
        const r = await c.call('GET', path, { token: admin })
        expect(r.status).toBe(200)
        const body = r.body as MembersBody
        expect(body.members.length).toBeLessThanOrEqual(2)
        seen.push(...body.members.map((m) => m.auth_id))
        path = body.paging.next
        if (path)
          expect(path).toMatch(/^\/v1\/auth\/roles\/Administrators\/members\?after=\d+&limit=2$/)
        pages++
      }
      expect(pages).toBe(2)
      expect(seen).toEqual(['500', '501', STORAGE_OPS_GROUP_ID])
    } finally {
      sim.state.revokeRole(STORAGE_OPS_GROUP_ID, 'Administrators')
    }
    const bad = await c.call('GET', '/v1/auth/roles/Administrators/members?limit=0', {
      token: admin,
    })
    expect(bad.status).toBe(400)
    expect(errorClass(bad)).toBe('rest_invalid_request_error')
  })

  it('GET …/members/{auth_id} answers the member, 404 for a non-member', async () => {
    const carol = sim.state.userByName('carol')!
    const r = await c.call('GET', `/v1/auth/roles/Administrators/members/${carol.authId}`, {
      token: admin,
    })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ auth_id: carol.authId, name: 'carol', domain: 'LOCAL' })
    const aliceId = sim.state.userByName('alice')!.authId
    const no = await c.call('GET', `/v1/auth/roles/Administrators/members/${aliceId}`, {
      token: admin,
    })
    expect(no.status).toBe(404)
    expect(errorClass(no)).toBe('auth_role_member_not_found_error')
  })

  it('reading roles needs PRIVILEGE_ROLE_READ: Observers may, svc-backup gets 403', async () => {
    expect((await c.call('GET', '/v1/auth/roles/', { token: alice })).status).toBe(200)
    expect(
      (await c.call('GET', '/v1/auth/roles/Administrators/members', { token: alice })).status,
    ).toBe(200)
    for (const path of [
      '/v1/auth/roles/',
      '/v1/auth/roles/Administrators',
      '/v1/auth/roles/Administrators/members',
      '/v1/auth/roles/Administrators/members/500',
    ]) {
      const r = await c.call('GET', path, { token: bob })
      expect(r.status, path).toBe(403)
      expect(errorClass(r)).toBe('http_forbidden_error')
      expect((r.body as { description: string }).description).toContain('PRIVILEGE_ROLE_READ')
      expect(r.body).toMatchObject({ module: 'qinternal.rest', stack: [], user_visible: true })
    }
  })

  it('no bearer → 401; writes are not served (405); unknown sub-paths → 404', async () => {
    const r = await c.call('GET', '/v1/auth/roles/')
    expect(r.status).toBe(401)
    expect(errorClass(r)).toBe('http_unauthorized_error')
    const post = await c.call('POST', '/v1/auth/roles/', {
      token: admin,
      json: { name: 'x', description: '', privileges: [] },
    })
    expect(post.status).toBe(405)
    expect(post.headers.allow).toBe('GET')
    expect((await c.call('GET', '/v1/auth/roles', { token: admin })).status).toBe(404)
    expect(
      (await c.call('GET', '/v1/auth/roles/Administrators/members/', { token: admin })).status,
    ).toBe(404)
  })

  it('is off unless rolesApi is set: the paths answer 404 like an unknown endpoint', async () => {
    sim.state.settings.rolesApi = false
    try {
      const r = await c.call('GET', '/v1/auth/roles/', { token: admin })
      expect(r.status).toBe(404)
      expect(errorClass(r)).toBe('http_not_found_error')
    } finally {
      sim.state.settings.rolesApi = true
    }
  })
})
