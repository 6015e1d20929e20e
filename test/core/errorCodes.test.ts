/**
 * Honest codes through the IPC handler table: a create or rotate with warnings the user has not
 * confirmed is CONFIRMATION_REQUIRED (and nothing is created), a sign-in while the same sign-in
 * is under way is BUSY (and sends no second password). Neither is INVALID_INPUT: the input was
 * fine, and a caller (the Create token dialog, a script) reacts to each differently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../sim/common/clock'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { startQumuloSim, type QumuloSim } from '../sim/qumulo'
import { keychainMissingReason, startCoreHarness, type CoreHarness } from './harness'

const missing = keychainMissingReason()
const DAY = 86_400

type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }

describe.skipIf(missing)(`error codes${missing ? ` — SKIPPED: ${missing}` : ''}`, () => {
  let weka: WekaSim
  let qumulo: QumuloSim
  let h: CoreHarness
  const invoke = (channel: string, input: unknown) =>
    h.core.dispatcher.invoke(channel, input) as Promise<Reply>

  beforeAll(async () => {
    ;[weka, qumulo] = await Promise.all([startWekaSim(), startQumuloSim()])
    h = await startCoreHarness(systemClock)
  })
  afterAll(async () => {
    await h?.close()
    await Promise.all([weka?.close(), qumulo?.close()])
  })

  async function addCluster(vendor: 'weka' | 'qumulo', sim: WekaSim | QumuloSim, name: string) {
    const added = await invoke('clusters:add', {
      vendor,
      name,
      url: sim.url,
      username: 'admin',
      trust: { sha256: sim.fingerprint },
    })
    expect(added.ok).toBe(true)
    return (added as { value: { cluster: { id: string } } }).value.cluster.id
  }

  it('an unconfirmed create with warnings is CONFIRMATION_REQUIRED, creates nothing, and goes through once confirmed', async () => {
    const clusterId = await addCluster('weka', weka, 'weka-confirm')
    expect(
      await invoke('session:signIn', { clusterId, password: 'WekaSim-Admin-7341' }),
    ).toMatchObject({
      ok: true,
    })
    const longLived = () => weka.state.liveTokens('admin').filter((r) => r.kind === 'long-lived')
    const before = longLived().length

    const refused = await invoke('tokens:create', { clusterId, expiresIn: 365 * DAY })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } })
    expect((refused as { error: { message: string } }).error.message).toMatch(
      /^Confirm before creating this token: This token stays valid for 365 days/,
    )
    expect(longLived()).toHaveLength(before)

    const created = await invoke('tokens:create', {
      clusterId,
      expiresIn: 365 * DAY,
      confirmed: true,
    })
    expect(created.ok).toBe(true)
    expect(longLived()).toHaveLength(before + 1)
  })

  it('an unconfirmed rotate with warnings is CONFIRMATION_REQUIRED (not a failed step) and leaves the token as it was', async () => {
    const clusterId = await addCluster('qumulo', qumulo, 'qumulo-confirm')
    expect(
      await invoke('session:signIn', { clusterId, password: 'Qumulo-Admin-Demo-1' }),
    ).toMatchObject({
      ok: true,
    })
    // A token for an administrator: Qumulo's warning says so (docs/protocols/qumulo.md §7).
    const created = await invoke('tokens:create', {
      clusterId,
      owner: 'admin',
      expiresIn: 30 * DAY,
      confirmed: true,
    })
    expect(created.ok).toBe(true)
    const tokenId = (created as { value: { token: { id: string } } }).value.token.id
    const listed = async () => {
      const r = await invoke('tokens:list', { clusterId })
      return (r as { value: Array<{ id: string }> }).value.map((t) => t.id)
    }
    const before = await listed()

    const refused = await invoke('tokens:rotate', { clusterId, tokenId })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } })
    expect((refused as { error: { message: string } }).error.message).toMatch(
      /^Confirm before rotating: admin is an administrator/,
    )
    expect(await listed()).toEqual(before)

    const rotated = await invoke('tokens:rotate', { clusterId, tokenId, confirmed: true })
    expect(rotated).toMatchObject({ ok: true })
    expect(await listed()).not.toContain(tokenId)
  })

  it('a second sign-in while the first is under way is BUSY and sends no second password', async () => {
    // Its own simulator: closing it is what ends the held first attempt.
    const held = await startWekaSim()
    let closed = false
    try {
      const clusterId = await addCluster('weka', held, 'weka-busy')
      // The first attempt's login request is held by the simulator until it closes.
      held.faults.enable('hang', { match: /\/login$/ })
      const logins = () => held.requests.filter((r) => r.path.endsWith('/login')).length
      const first = invoke('session:signIn', { clusterId, password: 'WekaSim-Admin-7341' })
      // Ready when the first attempt's request reached the simulator (and is held there).
      while (logins() === 0) await new Promise((resolve) => setImmediate(resolve))
      expect(h.core.sessions.state(clusterId).state).toBe('signing-in')

      const second = await invoke('session:signIn', { clusterId, password: 'WekaSim-Admin-7341' })
      expect(second).toMatchObject({ ok: false, error: { code: 'BUSY' } })
      expect((second as { error: { message: string } }).error.message).toBe(
        'Already signing in to weka-busy; wait for that attempt to finish.',
      )
      expect(logins()).toBe(1)

      await held.close()
      closed = true
      const ended = await first
      expect(ended.ok).toBe(false)
      // The attempt is over: a new one is tried (and fails on the closed address), not BUSY.
      const again = await invoke('session:signIn', { clusterId, password: 'WekaSim-Admin-7341' })
      expect(again).toMatchObject({ ok: false })
      expect((again as { error: { code: string } }).error.code).not.toBe('BUSY')
    } finally {
      if (!closed) await held.close()
    }
  })
})
