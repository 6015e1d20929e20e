import { afterEach, describe, expect, it } from 'vitest'
import { FakeClock } from '../common/clock'
import { startWekaSim, type WekaSim, type WekaSimOptions } from './index'
import { call, login, tokensOf, type Tokens } from './testClient'

const sims: WekaSim[] = []
async function start(o: WekaSimOptions = {}): Promise<WekaSim> {
  const sim = await startWekaSim(o)
  sims.push(sim)
  return sim
}
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()))
})

const pw = (sim: WekaSim, username: string) =>
  sim.users.find((u) => u.username === username)!.password
const whoami = (sim: WekaSim, token: string) => call(sim, 'GET', '/api/v2/users/whoami', { token })
const uidOf = (sim: WekaSim, username: string, org?: string) => sim.state.user(username, org)!.uid
const revoke = (sim: WekaSim, uid: string, token: string) =>
  call(sim, 'DELETE', `/api/v2/users/${uid}/revoke`, { token })
const refresh = (sim: WekaSim, refresh_token: string, extra: object = {}) =>
  call(sim, 'POST', '/api/v2/login/refresh', { json: { refresh_token, ...extra } })

describe('GET /users/whoami and GET /users', () => {
  it('whoami answers every role with the 5.x fields, including uid', async () => {
    const sim = await start()
    for (const u of sim.users) {
      const t = await login(sim, u.username, u.tenant)
      const r = await whoami(sim, t.access_token)
      expect(r.status).toBe(200)
      expect((r.body as { data: unknown }).data).toEqual({
        org_id: u.tenant ? 1 : 0,
        username: u.username,
        uid: uidOf(sim, u.username, u.tenant),
        source: 'Internal',
        role: u.role,
        org_name: u.tenant ?? 'Root',
      })
    }
  })

  it('lists the caller`s organization to admins and read-only users; Regular and S3 get 403', async () => {
    const sim = await start()
    const list = async (username: string, org?: string) =>
      call(sim, 'GET', '/api/v2/users', { token: (await login(sim, username, org)).access_token })
    const root = await list('admin')
    expect(root.status).toBe(200)
    const rows = (root.body as { data: Array<Record<string, unknown>> }).data
    expect(rows.map((r) => r.username).sort()).toEqual([
      'admin',
      'alice',
      'bob',
      'newbie',
      's3user',
    ])
    expect(rows.find((r) => r.username === 'alice')).toEqual({
      uid: uidOf(sim, 'alice'),
      org_id: 0,
      source: 'Internal',
      username: 'alice',
      role: 'Regular',
    })
    expect((await list('bob')).status).toBe(200)
    const research = await list('orgadmin', 'Research')
    expect(
      (research.body as { data: Array<{ username: string }> }).data.map((r) => r.username).sort(),
    ).toEqual(['carol', 'orgadmin'])
    for (const u of ['alice', 's3user']) {
      const r = await list(u)
      expect(r.status).toBe(403)
      expect(r.body).toEqual({ data: 'Forbidden' })
    }
  })
})

describe('DELETE /users/{uid}/revoke', () => {
  it('an admin kills every access, refresh and long-lived token of the user, and only theirs', async () => {
    const sim = await start()
    const admin = await login(sim, 'admin')
    const a1 = await login(sim, 'alice')
    const a2 = await login(sim, 'alice')
    const longLived = tokensOf(
      await refresh(sim, a1.refresh_token, { access_token_expiry: 2_592_000 }),
    )
    const bob = await login(sim, 'bob')
    expect(sim.state.liveTokens('alice')).toHaveLength(6)

    const r = await revoke(sim, uidOf(sim, 'alice'), admin.access_token)
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ data: null })
    for (const t of [a1, a2, longLived] as Tokens[]) {
      expect((await whoami(sim, t.access_token)).status).toBe(401)
      expect((await refresh(sim, t.refresh_token)).body).toEqual({ data: 'Unauthorized' })
    }
    expect(sim.state.liveTokens('alice')).toHaveLength(0)
    expect(sim.state.user('alice')!.revocationCycle).toBe(1)
    expect(sim.state.revocations).toBe(1)
    expect((await whoami(sim, bob.access_token)).status).toBe(200)
    expect((await whoami(sim, admin.access_token)).status).toBe(200)
    // Logging in again works and carries the new cycle.
    const fresh = await login(sim, 'alice')
    expect((await whoami(sim, fresh.access_token)).status).toBe(200)
  })

  it('lets anyone revoke themselves (docs/protocols/weka.md §9.3 DESIGN), ending the calling session too', async () => {
    const sim = await start()
    const t = await login(sim, 'alice')
    expect((await revoke(sim, uidOf(sim, 'alice'), t.access_token)).status).toBe(200)
    expect((await whoami(sim, t.access_token)).status).toBe(401)
    expect((await refresh(sim, t.refresh_token)).status).toBe(401)
  })

  it('refuses others without admin rights (403), hides other orgs and unknown uids (404)', async () => {
    const sim = await start()
    const alice = await login(sim, 'alice')
    const bob = await login(sim, 'bob')
    expect((await revoke(sim, uidOf(sim, 'bob'), alice.access_token)).body).toEqual({
      data: 'Forbidden',
    })
    expect((await revoke(sim, uidOf(sim, 'alice'), bob.access_token)).status).toBe(403) // ReadOnly is no admin
    expect((await whoami(sim, bob.access_token)).status).toBe(200)

    const orgAdmin = await login(sim, 'orgadmin', 'Research')
    const cross = await revoke(sim, uidOf(sim, 'alice'), orgAdmin.access_token)
    expect(cross.status).toBe(404)
    expect(cross.body).toMatchObject({ message: expect.any(String) })
    expect((await revoke(sim, uidOf(sim, 'carol', 'Research'), orgAdmin.access_token)).status).toBe(
      200,
    )

    const admin = await login(sim, 'admin')
    expect(
      (await revoke(sim, '00000000-0000-4000-8000-000000000000', admin.access_token)).status,
    ).toBe(404)
    expect(sim.state.revocations).toBe(1)
    expect((await whoami(sim, alice.access_token)).status).toBe(200)
  })
})

describe('PUT /users/password', () => {
  const change = (sim: WekaSim, token: string, body: object) =>
    call(sim, 'PUT', '/api/v2/users/password', { token, json: body })

  it('changes the caller`s password, clears password_change_required and ends old sessions', async () => {
    const sim = await start()
    const t = await login(sim, 'newbie')
    expect(t.password_change_required).toBe(true)
    const r = await change(sim, t.access_token, {
      username: 'newbie',
      old_password: pw(sim, 'newbie'),
      new_password: 'Brand-New-Pass9',
    })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ data: null })
    expect(sim.state.user('newbie')).toMatchObject({
      password: 'Brand-New-Pass9',
      passwordChangeRequired: false,
    })
    expect((await whoami(sim, t.access_token)).status).toBe(401)
    expect((await refresh(sim, t.refresh_token)).status).toBe(401)

    const old = await call(sim, 'POST', '/api/v2/login', {
      json: { username: 'newbie', password: pw(sim, 'newbie') },
    })
    expect(old.status).toBe(401)
    const now = tokensOf(
      await call(sim, 'POST', '/api/v2/login', {
        json: { username: 'newbie', password: 'Brand-New-Pass9' },
      }),
    )
    expect(now.password_change_required).toBe(false)
    expect(sim.state.issuedSecrets()).toEqual(
      expect.arrayContaining(['Brand-New-Pass9', pw(sim, 'newbie')]),
    )
  })

  it('rejects a weak password, a wrong old password (400) and another user`s name (403)', async () => {
    const sim = await start()
    const t = await login(sim, 'alice')
    const old = pw(sim, 'alice')
    for (const weak of ['Short1!', 'alllowercase1', 'NoDigitsOrSpecials']) {
      const r = await change(sim, t.access_token, {
        username: 'alice',
        old_password: old,
        new_password: weak,
      })
      expect(r.status).toBe(400)
      expect(r.body).toMatchObject({ data: { param: 'new_password' } })
    }
    const wrongOld = await change(sim, t.access_token, {
      username: 'alice',
      old_password: 'Not-Her-Pass1',
      new_password: 'Fine-Pass-123',
    })
    expect(wrongOld.body).toMatchObject({ data: { param: 'old_password' } })
    expect(
      (
        await change(sim, t.access_token, {
          username: 'bob',
          old_password: old,
          new_password: 'Fine-Pass-123',
        })
      ).status,
    ).toBe(403)
    expect((await change(sim, t.access_token, { username: 'alice' })).body).toMatchObject({
      data: { missing_params: ['old_password', 'new_password'] },
    })
    expect(sim.state.user('alice')!.password).toBe(old)
    expect((await whoami(sim, t.access_token)).status).toBe(200)
  })

  it('blocks other calls while a change is pending only with passwordChangeBlocks (docs/protocols/weka.md §9.6 DESIGN)', async () => {
    const pending = async (sim: WekaSim) => {
      sim.state.setPassword('bob', 'Temp-Bob-Pass1', { requireChange: true })
      return tokensOf(
        await call(sim, 'POST', '/api/v2/login', {
          json: { username: 'bob', password: 'Temp-Bob-Pass1' },
        }),
      )
    }
    const relaxed = await start()
    const r = await pending(relaxed)
    expect(r.password_change_required).toBe(true)
    expect((await call(relaxed, 'GET', '/api/v2/cluster', { token: r.access_token })).status).toBe(
      200,
    )

    const strict = await start({ passwordChangeBlocks: true })
    const t = await pending(strict)
    expect((await call(strict, 'GET', '/api/v2/cluster', { token: t.access_token })).body).toEqual({
      data: 'Forbidden',
    })
    expect((await whoami(strict, t.access_token)).status).toBe(200)
    expect((await refresh(strict, t.refresh_token)).status).toBe(200)
    await change(strict, t.access_token, {
      username: 'bob',
      old_password: 'Temp-Bob-Pass1',
      new_password: 'Final-Bob-Pass2',
    })
    const after = tokensOf(
      await call(strict, 'POST', '/api/v2/login', {
        json: { username: 'bob', password: 'Final-Bob-Pass2' },
      }),
    )
    expect(
      (await call(strict, 'GET', '/api/v2/cluster', { token: after.access_token })).status,
    ).toBe(200)
  })
})

describe('state handle', () => {
  it('setPassword revokes by default, keepTokens keeps them; expireTokens expires without waiting', async () => {
    const clock = new FakeClock()
    const sim = await start({ clock })
    const a = await login(sim, 'alice')
    sim.state.setPassword('alice', 'Second-Alice-Pass2', { keepTokens: true })
    expect((await whoami(sim, a.access_token)).status).toBe(200)
    sim.state.setPassword('alice', 'Third-Alice-Pass3')
    expect((await whoami(sim, a.access_token)).status).toBe(401)

    const b = await login(sim, 'bob')
    expect(sim.state.expireTokens('bob')).toBe(2)
    expect((await whoami(sim, b.access_token)).status).toBe(401)
    expect((await refresh(sim, b.refresh_token)).status).toBe(401)
  })

  it('a token from one simulator means nothing to another', async () => {
    const one = await start()
    const two = await start()
    const t = await login(one, 'admin')
    expect((await whoami(two, t.access_token)).status).toBe(401)
    expect((await refresh(two, t.refresh_token)).status).toBe(401)
  })
})
