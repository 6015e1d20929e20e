// The bench measures one core with its secrets in the keychain and then in memory, through the
// core's own SwitchableSecretStore made `forMeasurement`: it switches either way at any time.
// A store made for the app never goes back to the keychain once in memory.
import { describe, expect, it } from 'vitest'
import { MemorySecretStore } from '../../../src/main/core/secrets/memoryStore'
import type { StoredCredential } from '../../../src/main/core/secrets/secretStore'
import { SwitchableSecretStore } from '../../../src/main/core/secrets/switchableStore'

const credential = (value: string): StoredCredential => ({
  kind: 'refresh-token',
  value,
  binding: { vendor: 'weka', origin: 'https://weka:14000', username: 'alice' },
})

describe('SwitchableSecretStore made for measurement', () => {
  it('switches memory → keychain → memory; each write lands in the store in force', async () => {
    const keychain = new MemorySecretStore()
    const store = new SwitchableSecretStore(keychain, { forMeasurement: true })
    store.useSessionOnly('chosen-at-start')
    await store.setCredential('c1', credential('in-memory'))
    expect(await keychain.getCredential('c1')).toBeUndefined()

    store.useKeychain()
    expect(store.mode).toBe('keychain')
    await store.setCredential('c1', credential('in-keychain'))
    expect((await keychain.getCredential('c1'))?.value).toBe('in-keychain')

    // Allowed although the keychain works and was written: the app's rule does not apply.
    store.useSessionOnly('chosen-at-start')
    expect(store.mode).toBe('session-only')
    expect((await store.getCredential('c1'))?.value).toBe('in-memory')
  })

  it("the app's store has no way back to the keychain", async () => {
    const store = new SwitchableSecretStore(new MemorySecretStore())
    store.useSessionOnly('chosen-at-start')
    expect(() => store.useKeychain()).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    expect(store.mode).toBe('session-only')
    await store.setCredential('c1', credential('x'))
    expect(() => store.useSessionOnly('chosen-at-start')).not.toThrow()
  })
})
