/**
 * A WEKA access token can expire between Tokendeck's check and the server's. The user's call is
 * then run once more after exactly one refresh — once only, and never with the password (WEKA
 * locks an account after five failed sign-ins). Against the WEKA simulator over HTTPS, whose
 * `rejectAccessTokens` knob answers 401 to a still-valid access token; secrets in memory.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../../sim/common/clock'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { startCoreHarness, type CoreHarness } from '../harness'
import { MemorySecretStore, type StoredCredential } from '../../../src/main/core/secrets'
import { TokendeckError } from '../../../src/shared/errors'

const DAY = 86_400
const ALICE = { username: 'alice', password: 'Alice-Pass-1', role: 'ClusterAdmin' }

/** A memory store whose writes can be made to fail, as a locked keychain's do. */
class LockableStore extends MemorySecretStore {
  locked = false
  override async setCredential(clusterId: string, credential: StoredCredential): Promise<void> {
    if (this.locked) throw new TokendeckError('KEYCHAIN_UNAVAILABLE', 'The keychain is locked.')
    return super.setCredential(clusterId, credential)
  }
}

describe('a WEKA call whose access token the server rejects', () => {
  let clock: FakeClock
  let sim: WekaSim
  let h: CoreHarness
  let store: LockableStore

  beforeAll(async () => {
    clock = new FakeClock()
    sim = await startWekaSim({ clock, users: [ALICE] })
  })
  afterAll(async () => {
    await sim.close()
  })
  afterEach(async () => {
    sim.state.rejectAccessTokens(0)
    await h?.close()
  })

  async function signedIn() {
    store = new LockableStore()
    h = await startCoreHarness(clock, { secretStore: store })
    const c = await h.core.registry.add({
      vendor: 'weka',
      name: 'weka',
      url: sim.url,
      username: ALICE.username,
      trust: { sha256: sim.fingerprint },
    })
    await h.core.sessions.signIn(c.id, ALICE.password)
    return c.id
  }

  const requests = (path: string) => sim.requests.filter((r) => r.path === `/api/v2${path}`).length
  const longLived = () => sim.state.allTokens().filter((r) => r.kind === 'long-lived')

  it('once: the operation succeeds after exactly one refresh, with one sign-in in all', async () => {
    const id = await signedIn()
    const loginsBefore = sim.state.loginAttempts(ALICE.username)
    const refreshesBefore = requests('/login/refresh')
    const mintedBefore = longLived().length

    sim.state.rejectAccessTokens(1)
    const created = await h.core.tokens.create({ clusterId: id, expiresIn: 7 * DAY })

    expect(created.secrets).toHaveLength(1)
    expect(longLived()).toHaveLength(mintedBefore + 1)
    expect(h.core.sessions.refreshCount.get(id)).toBe(1)
    // One session refresh, then the minting call (also POST /login/refresh, docs/protocols/weka.md §4.1).
    expect(requests('/login/refresh') - refreshesBefore).toBe(2)
    expect(sim.state.loginAttempts(ALICE.username)).toBe(loginsBefore)
    expect(h.core.sessions.state(id).state).toBe('active')

    // Another call rejected once (cluster facts): one more refresh, and it succeeds.
    sim.state.rejectAccessTokens(1)
    await h.core.clusters.recordSeen(id)
    expect(h.core.registry.get(id).seen?.clusterName).toBe('tokendeck-sim')
    expect(h.core.sessions.refreshCount.get(id)).toBe(2)
  })

  it('twice: the call fails as not signed in after one refresh, never a second, never the password', async () => {
    const id = await signedIn()
    const loginsBefore = sim.state.loginAttempts(ALICE.username)
    const mintedBefore = longLived().length

    sim.state.rejectAccessTokens(2)
    await expect(h.core.tokens.create({ clusterId: id, expiresIn: DAY })).rejects.toMatchObject({
      code: 'NOT_SIGNED_IN',
    })

    expect(h.core.sessions.refreshCount.get(id)).toBe(1)
    expect(sim.state.loginAttempts(ALICE.username)).toBe(loginsBefore)
    expect(longLived()).toHaveLength(mintedBefore)
    // The refresh worked, so the session is still there for the next call.
    expect(h.core.sessions.state(id).state).toBe('active')
    expect((await h.core.tokens.create({ clusterId: id, expiresIn: DAY })).secrets).toHaveLength(1)
  })

  it('minting rotates the refresh token into the session; a keychain that refuses it loses no token', async () => {
    const id = await signedIn()
    const before = (await store.getCredential(id))?.value
    await h.core.tokens.create({ clusterId: id, expiresIn: DAY })
    const after = (await store.getCredential(id))?.value
    expect(after).toBeDefined()
    expect(after).not.toBe(before)
    expect(sim.state.liveTokens(ALICE.username).some((r) => r.token === after)).toBe(true)

    store.locked = true
    const created = await h.core.tokens.create({ clusterId: id, expiresIn: DAY })
    const secret = created.secrets[0]!.value
    expect(sim.state.liveTokens(ALICE.username).some((r) => r.token === secret)).toBe(true)
    // The old refresh token stays valid (docs/protocols/weka.md §3): the session goes on.
    store.locked = false
    expect((await h.core.tokens.create({ clusterId: id, expiresIn: DAY })).secrets).toHaveLength(1)
  })
})
