// SwitchableSecretStore: when "This session only" may be switched on, and that sign-out/remove
// in session-only mode clean the keychain too. The keychain is a KeytarSecretStore over a
// recording stand-in, so every keychain call is visible and failures can be staged.
import { describe, expect, it } from 'vitest'
import { KeytarSecretStore } from '../../../src/main/core/secrets/keytarStore'
import { MemorySecretStore } from '../../../src/main/core/secrets/memoryStore'
import type { StoredCredential } from '../../../src/main/core/secrets/secretStore'
import {
  SESSION_ONLY_REFUSED,
  SwitchableSecretStore,
} from '../../../src/main/core/secrets/switchableStore'
import { TokendeckError } from '../../../src/shared/errors'
import { recordingKeytar, type RecordingKeytar } from './fakeKeytar'

const service = 'Tokendeck Test switchable'
const namespace = 'switch-ns'
const credential = (value: string): StoredCredential => ({
  kind: 'session-token',
  value,
  binding: { vendor: 'swarm', origin: 'https://gw:8443', username: 'alice', tenant: 't' },
})
const LOCKED = 'Cannot create an item in a locked collection'
const NO_BUS = 'Cannot autolaunch D-Bus without X11 $DISPLAY'

function setup(fake: RecordingKeytar = recordingKeytar()) {
  const keychain = new KeytarSecretStore({ service, namespace, keytar: fake, callTimeoutMs: 1000 })
  const cleanupFailures: Array<{ clusterId: string; error: TokendeckError }> = []
  const store = new SwitchableSecretStore(keychain, {
    onKeychainCleanupFailed: (clusterId, error) => cleanupFailures.push({ clusterId, error }),
  })
  /** What the keychain holds for a cluster, read behind the switchable store's back. */
  const inKeychain = (clusterId: string) => keychain.getCredential(clusterId)
  return { fake, keychain, store, cleanupFailures, inKeychain }
}

/** Makes every keychain call of the given kinds fail with an OS message. */
function failing(fake: RecordingKeytar, message: string, ops = ['getPassword', 'setPassword']) {
  fake.before = (call) => {
    if (ops.includes(call.op)) throw new Error(message)
  }
}

function refusal(run: () => void): unknown {
  try {
    run()
  } catch (e) {
    return e
  }
  return undefined
}

describe('SwitchableSecretStore in keychain mode', () => {
  it('starts on the keychain and forwards to it', async () => {
    const { store, inKeychain } = setup()
    expect(store.mode).toBe('keychain')
    expect(store.keychainCheck).toEqual({ state: 'unchecked' })
    await store.check()
    expect(store.keychainCheck).toEqual({ state: 'ok' })
    await store.setCredential('c1', credential('s1'))
    expect(await inKeychain('c1')).toEqual(credential('s1'))
    expect(await store.getCredential('c1')).toEqual(credential('s1'))
    expect(store.memory.size).toBe(0)
    expect(await store.deleteCredential('c1')).toBe(true)
    expect(await inKeychain('c1')).toBeUndefined()
  })

  it('forwards legacy reads and deletes to the keychain', async () => {
    const { fake, store } = setup()
    fake.entries.set(`${service}\nold:refresh-token`, 'legacy-refresh')
    expect(await store.readLegacy('old')).toEqual({
      kind: 'refresh-token',
      value: 'legacy-refresh',
    })
    expect(await store.deleteLegacy('old')).toBe(1)
    expect(fake.entries.size).toBe(0)
  })

  it('has no legacy entries when the keychain store has none', async () => {
    const store = new SwitchableSecretStore(new MemorySecretStore())
    expect(await store.readLegacy('old')).toBeUndefined()
    expect(await store.deleteLegacy('old')).toBe(0)
  })
})

describe('useSessionOnly', () => {
  it('is refused while the keychain works (check passed)', async () => {
    const { store } = setup()
    await store.check()
    const e = refusal(() => store.useSessionOnly('keychain-unavailable'))
    expect(e).toBeInstanceOf(TokendeckError)
    expect(e).toMatchObject({ code: 'INVALID_INPUT', message: SESSION_ONLY_REFUSED })
    expect(SESSION_ONLY_REFUSED).toBe(
      'The keychain works; "This session only" is only offered when it cannot be used.',
    )
    expect(store.mode).toBe('keychain')
  })

  it("'keychain-unavailable' is refused before the keychain was ever checked", () => {
    const { store } = setup()
    expect(store.canUseSessionOnly('keychain-unavailable')).toBe(false)
    expect(refusal(() => store.useSessionOnly('keychain-unavailable'))).toMatchObject({
      code: 'INVALID_INPUT',
    })
  })

  it("'keychain-unavailable' is allowed once check() failed, and get/set then use memory only", async () => {
    const { fake, store } = setup()
    failing(fake, NO_BUS)
    await expect(store.check()).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
    expect(store.keychainCheck).toMatchObject({
      state: 'failed',
      error: { code: 'KEYCHAIN_UNAVAILABLE' },
    })
    expect(store.canUseSessionOnly('keychain-unavailable')).toBe(true)
    store.useSessionOnly('keychain-unavailable')
    expect(store.mode).toBe('session-only')
    expect(store.sessionOnlyReason).toBe('keychain-unavailable')

    const callsBefore = fake.calls.length
    await store.check() // memory: no keychain call
    await store.setCredential('c1', credential('in-memory'))
    expect(await store.getCredential('c1')).toEqual(credential('in-memory'))
    expect(fake.calls.length).toBe(callsBefore)
    expect(store.memory.size).toBe(1)
    store.useSessionOnly('keychain-unavailable') // again: nothing changes
    expect(store.mode).toBe('session-only')
  })

  it("'keychain-unavailable' is allowed when the check passed but storing failed (a locked keyring)", async () => {
    const { fake, store } = setup()
    await store.check()
    failing(fake, LOCKED, ['setPassword'])
    await expect(store.setCredential('c1', credential('s'))).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
    })
    expect(store.keychainCheck.state).toBe('failed')
    store.useSessionOnly('keychain-unavailable')
    expect(store.mode).toBe('session-only')
  })

  it('a later successful check counts as "the keychain works" again', async () => {
    const { fake, store } = setup()
    failing(fake, LOCKED, ['getPassword'])
    await expect(store.check()).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
    fake.before = undefined
    await store.check()
    expect(store.canUseSessionOnly('keychain-unavailable')).toBe(false)
  })

  it("'chosen-at-start' is allowed before any credential was stored, even with a working keychain", async () => {
    const { fake, store } = setup()
    await store.check()
    await store.getCredential('c1') // reading does not count
    store.useSessionOnly('chosen-at-start')
    expect(store.mode).toBe('session-only')
    expect(store.sessionOnlyReason).toBe('chosen-at-start')
    await store.setCredential('c1', credential('s'))
    expect(fake.calls.filter((c) => c.op === 'setPassword')).toEqual([])
  })

  it("'chosen-at-start' is refused once a credential was stored in the keychain", async () => {
    const { store } = setup()
    await store.check()
    await store.setCredential('c1', credential('s'))
    expect(refusal(() => store.useSessionOnly('chosen-at-start'))).toMatchObject({
      code: 'INVALID_INPUT',
      message: SESSION_ONLY_REFUSED,
    })
    expect(store.mode).toBe('keychain')
  })

  it('refused input does not count as a stored credential', async () => {
    const { store } = setup()
    await expect(store.setCredential('c1', credential(''))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
    store.useSessionOnly('chosen-at-start')
    expect(store.mode).toBe('session-only')
  })
})

describe('deleting in session-only mode', () => {
  it('removes the credential from memory AND from the keychain (sign-out, remove)', async () => {
    const { store, keychain, inKeychain, cleanupFailures } = setup()
    // Written to the keychain before (an earlier run), then session-only chosen at start.
    await keychain.setCredential('c1', credential('from-an-earlier-run'))
    store.useSessionOnly('chosen-at-start')
    await store.setCredential('c1', credential('this-session'))
    expect(await store.getCredential('c1')).toEqual(credential('this-session'))

    expect(await store.deleteCredential('c1')).toBe(true)
    expect(await store.getCredential('c1')).toBeUndefined()
    expect(await inKeychain('c1')).toBeUndefined()
    expect(cleanupFailures).toEqual([])

    // Only in the keychain: still true, still gone.
    await keychain.setCredential('c2', credential('keychain-only'))
    expect(await store.deleteCredential('c2')).toBe(true)
    expect(await inKeychain('c2')).toBeUndefined()
    expect(await store.deleteCredential('c2')).toBe(false)
  })

  it('swallows a keychain failure there and reports it through onKeychainCleanupFailed', async () => {
    const { fake, store, cleanupFailures } = setup()
    failing(fake, NO_BUS, ['getPassword', 'setPassword', 'deletePassword'])
    await expect(store.check()).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
    store.useSessionOnly('keychain-unavailable')
    await store.setCredential('c1', credential('sekrit-session-token'))

    await expect(store.deleteCredential('c1')).resolves.toBe(true)
    expect(await store.getCredential('c1')).toBeUndefined()
    expect(cleanupFailures).toHaveLength(1)
    expect(cleanupFailures[0]?.clusterId).toBe('c1')
    expect(cleanupFailures[0]?.error.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(cleanupFailures[0]?.error.message).not.toContain('sekrit')

    await expect(store.deleteLegacy('c1')).resolves.toBe(0)
    expect(cleanupFailures).toHaveLength(2)
    expect(await store.readLegacy('c1')).toBeUndefined() // memory has no legacy entries
  })

  it('does not wait for a keychain that hangs longer than the cleanup timeout', async () => {
    const fake = recordingKeytar()
    const keychain = new KeytarSecretStore({
      service,
      namespace,
      keytar: fake,
      firstCallTimeoutMs: 1_000,
    })
    const failures: TokendeckError[] = []
    const store = new SwitchableSecretStore(keychain, {
      keychainCleanupTimeoutMs: 50,
      onKeychainCleanupFailed: (_id, error) => failures.push(error),
    })
    failing(fake, NO_BUS)
    await expect(store.check()).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
    store.useSessionOnly('keychain-unavailable')
    await store.setCredential('c1', credential('s'))
    fake.before = () => new Promise<void>(() => undefined) // never answers
    await expect(store.deleteCredential('c1')).resolves.toBe(true)
    expect(failures).toHaveLength(1)
    expect(failures[0]?.message).toContain('did not answer within')
  })

  it('a throwing callback does not turn the sign-out into a failure', async () => {
    const fake = recordingKeytar()
    const keychain = new KeytarSecretStore({ service, namespace, keytar: fake })
    const store = new SwitchableSecretStore(keychain, {
      onKeychainCleanupFailed: () => {
        throw new Error('reporter broke')
      },
    })
    failing(fake, LOCKED, ['getPassword', 'deletePassword'])
    await expect(store.check()).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
    store.useSessionOnly('keychain-unavailable')
    await expect(store.deleteCredential('c1')).resolves.toBe(false)
  })

  it('validates the cluster id before touching either store', async () => {
    const { fake, store } = setup()
    store.useSessionOnly('chosen-at-start')
    await expect(store.deleteCredential('A:B')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(store.deleteLegacy('A:B')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(fake.calls).toEqual([])
  })
})
