import { describe, expect, it } from 'vitest'
import { MemorySecretStore } from '../../../src/main/core/secrets/memoryStore'
import type { StoredCredential } from '../../../src/main/core/secrets/secretStore'

const credential = (value: string, over: Partial<StoredCredential> = {}): StoredCredential => ({
  kind: 'refresh-token',
  value,
  binding: { vendor: 'weka', origin: 'https://weka01:14000', username: 'admin' },
  ...over,
})

describe('MemorySecretStore ("This session only")', () => {
  it('says what it is and always answers the check', async () => {
    const store = new MemorySecretStore()
    expect(store.mode).toBe('session-only')
    await expect(store.check()).resolves.toBeUndefined()
  })

  it('stores, reads, overwrites and deletes one credential per cluster, with its binding', async () => {
    const store = new MemorySecretStore()
    const big = 'x'.repeat(10_000)
    expect(await store.getCredential('a')).toBeUndefined()
    await store.setCredential('a', credential('r'))
    await store.setCredential('b', credential(big, { kind: 'session-token' }))
    expect(await store.getCredential('a')).toEqual(credential('r'))
    expect(await store.getCredential('b')).toEqual(credential(big, { kind: 'session-token' }))
    await store.setCredential('a', credential('r2'))
    expect((await store.getCredential('a'))?.value).toBe('r2')
    expect(store.size).toBe(2)
    expect(await store.deleteCredential('a')).toBe(true)
    expect(await store.deleteCredential('a')).toBe(false)
    expect(await store.getCredential('a')).toBeUndefined()
  })

  it('normalises the binding like the keychain store', async () => {
    const store = new MemorySecretStore()
    await store.setCredential(
      'a',
      credential('r', {
        binding: { vendor: 'weka', origin: 'https://WEKA01:14000/api', username: 'admin', org: '' },
      }),
    )
    expect(await store.getCredential('a')).toEqual(credential('r'))
  })

  it('hands out copies, never its own objects', async () => {
    const store = new MemorySecretStore()
    const mine = credential('r')
    await store.setCredential('a', mine)
    mine.binding.username = 'mallory'
    const got = await store.getCredential('a')
    if (got === undefined) throw new Error('stored credential missing')
    got.value = 'changed'
    got.binding.origin = 'https://elsewhere'
    expect(await store.getCredential('a')).toEqual(credential('r'))
  })

  it('clear forgets everything', async () => {
    const store = new MemorySecretStore()
    await store.setCredential('a', credential('1'))
    await store.setCredential('a-2', credential('2'))
    store.clear()
    expect(store.size).toBe(0)
    expect(await store.getCredential('a-2')).toBeUndefined()
  })

  it('validates like the keychain store', async () => {
    const store = new MemorySecretStore()
    await expect(store.setCredential('a', credential(''))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
    await expect(store.getCredential('A B')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(store.deleteCredential('a:b')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(
      store.setCredential('a', credential('v', { kind: 'access-token' as never })),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})
