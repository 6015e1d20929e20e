/**
 * The IPC handler table, as a renderer (or a compromised one) would call it: bad input is
 * refused with a specific error before any service runs, copy puts a valid token on the
 * clipboard port and returns only when it clears, and no reply ever holds a stored secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../sim/common/clock'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { MAX_INPUT_STRING } from '../../src/shared/contract'
import { startCoreHarness, type CoreHarness } from './harness'

describe('IPC handlers', () => {
  let sim: WekaSim
  let h: CoreHarness
  let clusterId: string
  const clock = new FakeClock(Date.now())
  const timers: Array<{ fn: () => void; at: number }> = []

  beforeAll(async () => {
    sim = await startWekaSim({ clock })
    h = await startCoreHarness(clock, {
      clipboardTimers: {
        setTimeout: (fn, ms) => timers.push({ fn, at: clock.now() + ms }),
        clearTimeout: () => undefined,
      },
    })
    const added = await h.core.dispatcher.invoke('clusters:add', {
      vendor: 'weka',
      name: 'Prod WEKA',
      url: sim.url,
      username: 'admin',
      trust: { sha256: sim.fingerprint },
    })
    expect(added.ok).toBe(true)
    clusterId = (added as { ok: true; value: { cluster: { id: string } } }).value.cluster.id
  })
  afterAll(async () => {
    await h?.close()
    await sim?.close()
  })

  it.each([
    ['an unknown channel', 'secrets:dump', undefined, /unknown channel/],
    [
      'an unknown field',
      'clusters:get',
      { clusterId: 'prod-weka', extra: 1 },
      /Unrecognized key|extra/,
    ],
    ['a wrong type', 'clusters:get', { clusterId: 42 }, /cluster id must be a string/],
    [
      'an oversize string',
      'session:signIn',
      { clusterId: 'prod-weka', password: 'x'.repeat(MAX_INPUT_STRING + 1) },
      /longer than/,
    ],
    [
      'a prototype-pollution key',
      'settings:update',
      JSON.parse('{"__proto__": {"polluted": true}}'),
      /forbidden key/,
    ],
    [
      'a plain-http URL',
      'clusters:add',
      {
        vendor: 'weka',
        name: 'x',
        url: 'http://127.0.0.1:1',
        username: 'a',
        trust: { sha256: 'AB:'.repeat(31) + 'AB' },
      },
      /https/,
    ],
  ])('refuses %s with INVALID_INPUT', async (_what, channel, input, message) => {
    const result = await h.core.dispatcher.invoke(channel, input)
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect((result as { error: { message: string } }).error.message).toMatch(message)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('a wrong password fails in words, counts one attempt, and the password appears nowhere', async () => {
    const before = sim.state.loginAttempts('admin')
    const result = await h.core.dispatcher.invoke('session:signIn', {
      clusterId,
      password: 'hunter2-wrong',
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } })
    expect(JSON.stringify(result)).not.toContain('hunter2-wrong')
    expect(sim.state.loginAttempts('admin') - before).toBe(1)
  })

  it('copies a currently valid access token to the clipboard port, never into the reply, and clears it', async () => {
    const signedIn = await h.core.dispatcher.invoke('session:signIn', {
      clusterId,
      password: 'WekaSim-Admin-7341',
    })
    expect(signedIn).toMatchObject({ ok: true, value: { session: { state: 'active' } } })
    const copied = await h.core.dispatcher.invoke('session:copyAccessToken', { clusterId })
    expect(copied).toEqual({ ok: true, value: { copied: true, clearsInSeconds: 30 } })
    const onClipboard = h.clipboard.readText()
    const live = sim.state.liveTokens('admin').find((r) => r.token === onClipboard)
    expect(live?.kind).toBe('access')
    expect(h.clipboard.sensitiveWrites).toBeGreaterThan(0)

    // Every reply so far, and a listing now, is free of every secret the server issued.
    const replies = [
      signedIn,
      copied,
      await h.core.dispatcher.invoke('clusters:list', undefined),
      await h.core.dispatcher.invoke('clusters:get', { clusterId }),
    ]
    for (const secret of sim.state.issuedSecrets())
      expect(JSON.stringify(replies)).not.toContain(secret)

    // The clear timer fires: cleared, because the clipboard still holds our token.
    clock.advance(30_000)
    timers.filter((t) => t.at <= clock.now()).forEach((t) => t.fn())
    expect(h.clipboard.readText()).toBe('')
  })

  it('does not clear what the user copied after us', async () => {
    timers.length = 0
    await h.core.dispatcher.invoke('session:copyAccessToken', { clusterId })
    h.clipboard.writeText('something the user copied', { sensitive: false })
    clock.advance(30_000)
    timers.forEach((t) => t.fn())
    expect(h.clipboard.readText()).toBe('something the user copied')
  })

  it('settings round-trip and are validated', async () => {
    expect(
      await h.core.dispatcher.invoke('settings:update', { clipboardClearSeconds: 10 }),
    ).toMatchObject({ ok: true, value: { clipboardClearSeconds: 10 } })
    expect(
      await h.core.dispatcher.invoke('settings:update', { clipboardClearSeconds: -1 }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await h.core.dispatcher.invoke('settings:get', undefined)).toMatchObject({
      ok: true,
      value: { clipboardClearSeconds: 10 },
    })
    // A partial change leaves every other setting as it was (no zod defaults creeping back).
    await h.core.dispatcher.invoke('settings:update', { notifications: { expiring: false } })
    expect(await h.core.dispatcher.invoke('settings:update', { theme: 'dark' })).toMatchObject({
      ok: true,
      value: {
        theme: 'dark',
        clipboardClearSeconds: 10,
        notifications: { expiring: false, signedOut: true },
      },
    })
  })
})
