/**
 * Swarm defects, through the core against the Swarm simulator:
 * - a user who is not a token administrator can rotate their own token and create one naming
 *   themselves as owner: X-Owner-Meta, which only token administrators may send (docs/protocols/
 *   docs/protocols/swarm.md §2.1), goes out only for someone else;
 * - signing out (and removing the cluster) deletes the session token on the server (docs/protocols/swarm.md §2.4: logout
 *   is deleting the token you use), not only the keychain entry;
 * - the token list marks the session's own token, and revoking it signs this session out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../sim/common/clock'
import { startSwarmSim, type SwarmSim } from '../../sim/swarm'
import { startCoreHarness, type CoreHarness } from '../harness'

const DOMAIN = 'docs.acme.example'

describe('Swarm sessions and owners', () => {
  let sim: SwarmSim
  let h: CoreHarness

  beforeAll(async () => {
    sim = await startSwarmSim()
    h = await startCoreHarness(systemClock)
  })
  afterAll(async () => {
    await h?.close()
    await sim?.close()
  })

  const password = (user: string) => sim.state.users.get(user)!.password

  async function aliceCluster(name: string): Promise<string> {
    const c = await h.core.registry.add({
      vendor: 'swarm',
      name,
      url: sim.url,
      username: 'alice',
      tenant: 'acme',
      domain: DOMAIN,
      trust: { sha256: sim.fingerprint },
    })
    await h.core.sessions.signIn(c.id, password('alice+acme'))
    return c.id
  }

  const sessionToken = (clusterId: string) => h.core.sessions.storedCredential(clusterId)!
  const live = (id: string) => sim.state.liveTokens().some((t) => t.id === id)

  it('a non-admin creates a token naming themselves as owner, and rotates their own token', async () => {
    const id = await aliceCluster('alice-owner')
    for (const owner of ['alice+acme', 'alice']) {
      const created = await h.core.tokens.create({
        clusterId: id,
        owner,
        expiresIn: 3600,
        confirmed: true,
      })
      expect(created.token.owner).toBe('alice+acme')
    }
    const mine = (await h.core.tokens.list(id)).find((t) => !t.isCurrentSession)!
    const rotated = await h.core.tokens.rotate(id, mine.id, true)
    expect(rotated.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'create:done',
      'prove:done',
      'revoke-old:done',
    ])
    expect(rotated.token?.owner).toBe('alice+acme')

    // A token administrator still names another owner.
    const admin = await h.core.registry.add({
      vendor: 'swarm',
      name: 'acme-admin',
      url: sim.url,
      username: 'acmeadmin',
      tenant: 'acme',
      domain: DOMAIN,
      trust: { sha256: sim.fingerprint },
    })
    await h.core.sessions.signIn(admin.id, password('acmeadmin+acme'))
    const forAlice = await h.core.tokens.create({
      clusterId: admin.id,
      owner: 'alice+acme',
      confirmed: true,
    })
    expect(forAlice.token.owner).toBe('alice+acme')
    const record = sim.state.liveTokens().find((t) => t.id === forAlice.secrets[0]!.value)
    expect(record).toMatchObject({ owner: 'alice+acme', creator: 'acmeadmin+acme' })
  })

  it('signing out deletes the session token on the server', async () => {
    const id = await aliceCluster('alice-signout')
    const token = sessionToken(id)
    expect(live(token)).toBe(true)
    const result = await h.core.dispatcher.invoke('session:signOut', { clusterId: id })
    expect(result).toMatchObject({ ok: true, value: { session: { state: 'signed-out' } } })
    expect(live(token)).toBe(false)
    expect(await h.core.secrets.getCredential(id)).toBeUndefined()
  })

  it('signing out of a session loaded only from the keychain deletes it on the server too', async () => {
    const id = await aliceCluster('alice-keychain')
    const token = sessionToken(id)
    // Another process signed in: this one has nothing in memory, only the keychain entry.
    h.core.sessions.forget(id)
    expect(h.core.sessions.storedCredential(id)).toBeUndefined()
    const result = await h.core.dispatcher.invoke('session:signOut', { clusterId: id })
    expect(result.ok).toBe(true)
    expect(live(token)).toBe(false)
  })

  it('removing the cluster ends its session on the server first', async () => {
    const id = await aliceCluster('alice-remove')
    const token = sessionToken(id)
    const result = await h.core.dispatcher.invoke('clusters:remove', { clusterId: id })
    expect(result).toEqual({ ok: true, value: { removed: true, signedOutOnServer: true } })
    expect(live(token)).toBe(false)
  })

  it('a sign-out the server cannot hear still signs out here, and says the token lives on', async () => {
    const id = await aliceCluster('alice-unreachable')
    const token = sessionToken(id)
    sim.faults.enable('serverError', { status: 503, match: /^\/\.TOKEN\/.+/, times: 1 })
    const result = await h.core.dispatcher.invoke('session:signOut', { clusterId: id })
    sim.faults.clear()
    expect(result).toMatchObject({ ok: false, error: { code: 'SERVER_ERROR' } })
    const message = (result as { error: { message: string } }).error.message
    expect(message).toMatch(/Signed out of alice-unreachable here.*stays valid there until/)
    expect(message).not.toContain(token)
    expect(h.core.sessions.state(id).state).toBe('signed-out')
    expect(live(token)).toBe(true)
  })

  it("the list marks this session's own token, and revoking it signs this session out", async () => {
    const id = await aliceCluster('alice-current')
    const token = sessionToken(id)
    const listed = await h.core.tokens.list(id)
    const current = listed.filter((t) => t.isCurrentSession)
    expect(current).toHaveLength(1)
    expect(JSON.stringify(listed)).not.toContain(token)
    await h.core.tokens.revoke(id, { tokenId: current[0]!.id })
    expect(live(token)).toBe(false)
    expect(h.core.sessions.state(id).state).toBe('signed-out')
  })

  it('server-written words in the list are inert for the app and the CLI: no escapes, no bidi, no fake lines', async () => {
    const c = await h.core.registry.add({
      vendor: 'swarm',
      name: 'acme-admin-words',
      url: sim.url,
      username: 'acmeadmin',
      tenant: 'acme',
      domain: DOMAIN,
      trust: { sha256: sim.fingerprint },
    })
    await h.core.sessions.signIn(c.id, password('acmeadmin+acme'))
    const hostile = '\u001b]0;pwned\u0007\u001b[2Jinnocent\nfake line\u009b31m \u202egnp.exe'
    const issued = sim.state.issueToken({
      owner: 'eve\u001b[31m+acme',
      scope: { kind: 'domain', domain: DOMAIN, tenant: 'acme' },
      description: hostile,
      // Listed as x_custom_meta_source, the Description (docs/protocols/swarm.md §2.3).
      customMeta: { source: hostile },
    })
    const listed = (await h.core.tokens.list(c.id)).find((t) => t.owner.startsWith('eve'))!
    expect(listed).toBeDefined()
    // eslint-disable-next-line no-control-regex -- the characters that must not get through
    const acting = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/
    expect(listed.owner).not.toMatch(acting)
    expect(listed.owner).toBe('eve?[31m+acme')
    expect(listed.description).toBe('?]0;pwned??[2Jinnocent?fake line?31m ?gnp.exe')
    // The token is still there to act on: revoking it by its listed id works.
    await h.core.tokens.revoke(c.id, { tokenId: listed.id })
    expect(live(issued.id)).toBe(false)
  })
})
