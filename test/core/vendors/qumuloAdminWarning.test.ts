/**
 * QumuloClient.createWarnings against the real Qumulo simulator with its roles API on
 * (docs/protocols/qumulo.md §7): is ANOTHER user an administrator? Real ClusterHttp over loopback HTTPS.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ClusterHttp } from '../../../src/main/core/http'
import { QumuloClient } from '../../../src/main/core/vendors/qumulo/client'
import { FakeClock } from '../../sim/common/clock'
import { DEFAULT_USERS, SECOND_ADMIN, startQumuloSim, type QumuloSim } from '../../sim/qumulo'
import { STORAGE_OPS_GROUP_ID } from '../../sim/qumulo/seed'

const USERS = [...DEFAULT_USERS, SECOND_ADMIN]
const ADMIN_WARNING = /is an administrator: a token for this user can/
const COULD_NOT_CHECK = /could not check whether/

interface Rig {
  sim: QumuloSim
  client: QumuloClient
}
let rigs: Rig[] = []

async function rig(rolesApi = true): Promise<Rig> {
  const clock = new FakeClock()
  const sim = await startQumuloSim({ clock, users: USERS, rolesApi })
  const http = new ClusterHttp({
    url: sim.url,
    trust: { sha256: sim.fingerprint },
    now: () => clock.now(),
  })
  const r = { sim, client: new QumuloClient({ http, now: () => clock.now() }) }
  rigs.push(r)
  return r
}

async function signIn(r: Rig, username: string): Promise<string> {
  const password = USERS.find((u) => u.username === username)!.password
  return (await r.client.signIn({ username, password })).access.token
}

const rolePaths = (r: Rig) => r.sim.requests.filter((q) => q.path.startsWith('/v1/auth/roles/'))

afterEach(async () => {
  for (const r of rigs) {
    await r.client.close()
    await r.sim.close()
  }
  rigs = []
})

describe('QumuloClient.createWarnings: administrator check of another user via the roles API', () => {
  it('a token for another administrator (carol) warns, naming carol as an administrator', async () => {
    const r = await rig()
    const token = await signIn(r, 'admin')
    const warnings = await r.client.createWarnings(token, { owner: 'carol' })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^carol is an administrator: a token for this user can/)
    // It came from the roles API (docs/protocols/qumulo.md §7), not from the caller's own who-am-i.
    const paths = rolePaths(r).map((q) => q.path)
    expect(paths).toContain('/v1/auth/roles/')
    expect(paths).toContain('/v1/auth/roles/Administrators/members')
    expect(rolePaths(r).every((q) => q.status === 200)).toBe(true)
  })

  it('a token for an ordinary user gives no administrator warning (nor a could-not-check one)', async () => {
    const r = await rig()
    const token = await signIn(r, 'admin')
    for (const owner of ['alice', 'CORP\\bob']) {
      const warnings = await r.client.createWarnings(token, { owner })
      expect(
        warnings.filter((w) => ADMIN_WARNING.test(w) || COULD_NOT_CHECK.test(w)),
        owner,
      ).toEqual([])
    }
    expect(rolePaths(r).length).toBeGreaterThan(0)
  })

  it('an ordinary caller who may read roles (Observers) also learns carol is an administrator', async () => {
    const r = await rig()
    const token = await signIn(r, 'alice')
    const warnings = await r.client.createWarnings(token, { owner: 'carol' })
    expect(warnings.some((w) => /^carol is an administrator/.test(w))).toBe(true)
  })

  it('administrator through a group: alice (in storage-ops) once storage-ops joins Administrators', async () => {
    const r = await rig()
    r.sim.state.grantRole(STORAGE_OPS_GROUP_ID, 'Administrators')
    const token = await signIn(r, 'admin')
    const warnings = await r.client.createWarnings(token, { owner: 'alice' })
    expect(warnings.some((w) => /^alice is an administrator/.test(w))).toBe(true)
  })

  it('a caller without PRIVILEGE_ROLE_READ (403) gets the could-not-check warning, not silence', async () => {
    const r = await rig()
    r.sim.state.grantRole(r.sim.state.userByName('bob')!.authId, 'Observers')
    r.sim.state.roles.get('Observers')!.privileges.delete('PRIVILEGE_ROLE_READ')
    const token = await signIn(r, 'bob')
    const warnings = await r.client.createWarnings(token, { owner: 'carol' })
    expect(warnings.some((w) => /could not check whether carol is an administrator/.test(w))).toBe(
      true,
    )
    expect(rolePaths(r).map((q) => q.status)).toEqual([403])
  })
})
