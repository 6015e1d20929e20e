import { describe, expect, it } from 'vitest'
import { MemorySecretStore } from '../../../src/main/core/secrets/memoryStore'

describe('MemorySecretStore ("this session only")', () => {
  it('says what it is and always probes fine', async () => {
    const store = new MemorySecretStore()
    expect(store.mode).toBe('session-only')
    await expect(store.probe()).resolves.toBeUndefined()
  })

  it('stores, reads, lists and deletes like the keychain store', async () => {
    const store = new MemorySecretStore()
    const big = 'x'.repeat(10_000)
    await store.set({ clusterId: 'a', kind: 'refresh-token' }, 'r')
    await store.set({ clusterId: 'a', kind: 'long-lived-token' }, big)
    await store.set({ clusterId: 'b', kind: 's3-secret', qualifier: 'AK' }, 's')
    expect(await store.get({ clusterId: 'a', kind: 'long-lived-token' })).toBe(big)
    expect(await store.loadAll()).toEqual(
      new Map([
        ['a:refresh-token', 'r'],
        ['a:long-lived-token', big],
        ['b:s3-secret:AK', 's'],
      ]),
    )
    expect(await store.delete({ clusterId: 'a', kind: 'refresh-token' })).toBe(true)
    expect(await store.delete({ clusterId: 'a', kind: 'refresh-token' })).toBe(false)
    expect(await store.get({ clusterId: 'a', kind: 'refresh-token' })).toBeUndefined()
  })

  it('loadAll returns a copy, not its own map', async () => {
    const store = new MemorySecretStore()
    await store.set({ clusterId: 'a', kind: 'session-token' }, 's')
    ;(await store.loadAll()).clear()
    expect(await store.get({ clusterId: 'a', kind: 'session-token' })).toBe('s')
  })

  it('deleteCluster removes only that cluster; clear forgets everything', async () => {
    const store = new MemorySecretStore()
    await store.set({ clusterId: 'a', kind: 'refresh-token' }, '1')
    await store.set({ clusterId: 'a', kind: 'session-token' }, '2')
    await store.set({ clusterId: 'a-2', kind: 'refresh-token' }, '3')
    expect(await store.deleteCluster('a')).toBe(2)
    expect([...(await store.loadAll()).keys()]).toEqual(['a-2:refresh-token'])
    store.clear()
    expect((await store.loadAll()).size).toBe(0)
  })

  it('validates like the keychain store', async () => {
    const store = new MemorySecretStore()
    await expect(store.set({ clusterId: 'a', kind: 'refresh-token' }, '')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
    await expect(store.get({ clusterId: 'A B', kind: 'refresh-token' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
  })
})
