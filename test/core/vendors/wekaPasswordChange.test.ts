// Changing a WEKA password the server requires changed (docs/protocols/weka.md §2.4), through
// the WEKA vendor client against the real WEKA simulator over loopback HTTPS: one PUT with the
// token of the sign-in that asked, the old tokens revoked, one sign-in with the new password,
// nothing resent on a refusal, and no password in any error message.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ClusterHttp } from '../../../src/main/core/http'
import { WekaClient } from '../../../src/main/core/vendors/weka'
import { TokendeckError } from '../../../src/shared/errors'
import type { ErrorCode } from '../../../src/shared/model'
import { FakeClock } from '../../sim/common/clock'
import { startWekaSim, type WekaSim } from '../../sim/weka'

const OLD = 'WekaSim-Newbie-0001'
const NEW = 'Changed-Newbie-4242'

let clock: FakeClock
let sim: WekaSim
let c: WekaClient
const seen: TokendeckError[] = []

async function failure(p: Promise<unknown>, code: ErrorCode): Promise<TokendeckError> {
  const err = await p.then(
    () => {
      throw new Error(`expected ${code}, but the call succeeded`)
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(TokendeckError)
  const te = err as TokendeckError
  seen.push(te)
  expect(te.code, te.message).toBe(code)
  return te
}

const calls = (method: string, path: string) =>
  sim.requests.filter((r) => r.method === method && r.path === `/api/v2${path}`).length

beforeEach(async () => {
  clock = new FakeClock()
  sim = await startWekaSim({ clock, passwordChangeBlocks: true })
  const http = new ClusterHttp({
    url: sim.url,
    trust: { sha256: sim.fingerprint },
    now: () => clock.now(),
  })
  c = new WekaClient({ http, now: () => clock.now() })
})

afterEach(async () => {
  const secrets = [...sim.state.issuedSecrets(), OLD, NEW, 'short']
  for (const e of seen.splice(0)) {
    const text = JSON.stringify(e.toInfo()) + String(e.stack)
    for (const s of secrets) expect(text.includes(s), `${e.code} leaks a secret`).toBe(false)
  }
  await c.close()
  await sim.close()
})

describe('WEKA changePassword', () => {
  it('one PUT with the pending token, then one sign-in with the new password; the old one is refused after', async () => {
    await failure(c.signIn({ username: 'newbie', password: OLD }), 'PASSWORD_CHANGE_REQUIRED')
    const before = sim.state.issuedSecrets().length
    const result = await c.changePassword({ username: 'newbie', password: OLD, newPassword: NEW })
    expect(result.identity.username).toBe('newbie')
    expect(calls('PUT', '/users/password')).toBe(1)
    // The sign-in that asked, then the one with the new password: no other login was sent.
    expect(sim.state.loginAttempts('newbie')).toBe(2)
    const put = sim.requests.find((r) => r.method === 'PUT')!
    expect(put.status).toBe(200)
    expect(sim.state.issuedSecrets().length).toBeGreaterThan(before)
    // The new session works: its refresh token refreshes, and no change is asked for any more.
    expect((await c.resume(result.stored.value)).access.token).toBeTruthy()
    await failure(c.signIn({ username: 'newbie', password: OLD }), 'BAD_CREDENTIALS')
    expect((await c.signIn({ username: 'newbie', password: NEW })).identity.username).toBe('newbie')
  })

  it('the change revokes the tokens of the sign-in that asked for it', async () => {
    await failure(c.signIn({ username: 'newbie', password: OLD }), 'PASSWORD_CHANGE_REQUIRED')
    const pendingAccess = sim.state.issuedSecrets().filter((s) => s.startsWith('eyJ'))
    await c.changePassword({ username: 'newbie', password: OLD, newPassword: NEW })
    // Every token issued before the change is dead now: whoami with each answers 401.
    for (const token of pendingAccess) {
      const r = await fetchWhoami(token)
      expect(r).toBe(401)
    }
  })

  it('a complexity refusal: INVALID_INPUT with the rule, nothing else sent, nothing kept', async () => {
    await failure(c.signIn({ username: 'newbie', password: OLD }), 'PASSWORD_CHANGE_REQUIRED')
    const n = sim.requests.length
    const err = await failure(
      c.changePassword({ username: 'newbie', password: OLD, newPassword: 'short' }),
      'INVALID_INPUT',
    )
    expect(err.message).toMatch(/at least 8 characters/)
    expect(err.message).not.toMatch(/Password must/) // the server's text is not echoed
    expect(sim.requests.length).toBe(n + 1)
    expect(sim.requests.at(-1)!.method).toBe('PUT')
    expect(sim.state.loginAttempts('newbie')).toBe(1)
    // The user may try another new password with the same pending sign-in: one PUT, one login.
    await c.changePassword({ username: 'newbie', password: OLD, newPassword: NEW })
    expect(calls('PUT', '/users/password')).toBe(2)
    expect(sim.state.loginAttempts('newbie')).toBe(2)
  })

  it('a wrong current password is BAD_CREDENTIALS and is not resent', async () => {
    await failure(c.signIn({ username: 'newbie', password: OLD }), 'PASSWORD_CHANGE_REQUIRED')
    await failure(
      c.changePassword({ username: 'newbie', password: 'Wrong-Pass-1', newPassword: NEW }),
      'BAD_CREDENTIALS',
    )
    expect(calls('PUT', '/users/password')).toBe(1)
    expect(sim.state.loginAttempts('newbie')).toBe(1)
  })

  it('a user of an organization changes it too (tenant named on 5.x)', async () => {
    await sim.close()
    sim = await startWekaSim({
      clock,
      users: [
        {
          username: 'dora',
          password: OLD,
          role: 'Regular',
          tenant: 'Research',
          passwordChangeRequired: true,
        },
      ],
    })
    await c.close()
    const http = new ClusterHttp({
      url: sim.url,
      trust: { sha256: sim.fingerprint },
      now: () => clock.now(),
    })
    c = new WekaClient({ http, now: () => clock.now(), org: 'Research' })
    await failure(c.signIn({ username: 'dora', password: OLD }), 'PASSWORD_CHANGE_REQUIRED')
    const r = await c.changePassword({ username: 'dora', password: OLD, newPassword: NEW })
    expect(r.identity.username).toBe('dora')
    expect(sim.state.loginAttempts('dora', 'Research')).toBe(2)
  })

  it('without a sign-in that asked for a change, or once its token expired, nothing is sent', async () => {
    await failure(
      c.changePassword({ username: 'newbie', password: OLD, newPassword: NEW }),
      'NOT_SIGNED_IN',
    )
    expect(sim.requests).toHaveLength(0)
    await failure(c.signIn({ username: 'newbie', password: OLD }), 'PASSWORD_CHANGE_REQUIRED')
    clock.advance(301_000)
    const n = sim.requests.length
    await failure(
      c.changePassword({ username: 'newbie', password: OLD, newPassword: NEW }),
      'NOT_SIGNED_IN',
    )
    expect(sim.requests.length).toBe(n)
  })
})

/** GET /users/whoami with a bearer token, straight to the sim: its status. */
async function fetchWhoami(token: string): Promise<number> {
  const http = new ClusterHttp({
    url: sim.url,
    trust: { sha256: sim.fingerprint },
    now: () => clock.now(),
  })
  try {
    const res = await http.request('GET', '/api/v2/users/whoami', {
      headers: { authorization: `Bearer ${token}` },
    })
    return res.status
  } finally {
    await http.close()
  }
}
