// KeytarSecretStore against a real keychain through the real keytar. On Linux this must run
// inside scripts/with-private-keyring.sh (a private D-Bus session with its own unlocked
// gnome-keyring) so a person's own keychain is never touched; every run uses its own service.
import { randomUUID } from 'node:crypto'
import keytar from 'keytar'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { KeytarSecretStore } from '../../../src/main/core/secrets/keytarStore'
import { MAX_ENTRY_BYTES, MAX_PART_BYTES } from '../../../src/main/core/secrets/chunking'
import { secretAccount, type SecretRef } from '../../../src/main/core/secrets/secretStore'

const privateKeyring = process.platform !== 'linux' || process.env.TOKENDECK_PRIVATE_KEYRING === '1'
const service = `Tokendeck Test ${randomUUID()}`

const refresh = (clusterId: string): SecretRef => ({ clusterId, kind: 'refresh-token' })
/** A token-shaped ASCII string of exactly `bytes` bytes. */
const token = (bytes: number, seed = 'a'): string => `${seed}.`.padEnd(bytes, 'xYz0123456789-_')

async function entries(): Promise<Map<string, string>> {
  return new Map((await keytar.findCredentials(service)).map((c) => [c.account, c.password]))
}

describe.skipIf(!privateKeyring)(
  'KeytarSecretStore on the real keychain (Linux: run via scripts/with-private-keyring.sh)',
  () => {
    const store = new KeytarSecretStore({ service })

    afterEach(() => vi.restoreAllMocks())
    afterAll(async () => {
      for (const { account } of await keytar.findCredentials(service))
        await keytar.deletePassword(service, account)
    })

    it('probes with a canary and leaves nothing behind', async () => {
      await expect(store.probe()).resolves.toBeUndefined()
      expect([...(await entries()).keys()].filter((a) => a.startsWith('.probe:'))).toEqual([])
    })

    it('stores, reads, overwrites and deletes one account per cluster and kind', async () => {
      const ref: SecretRef = { clusterId: 'rw-1', kind: 'session-token' }
      expect(await store.get(ref)).toBeUndefined()
      await store.set(ref, 'first')
      await store.set(ref, 'second')
      expect(await store.get(ref)).toBe('second')
      expect((await entries()).get('rw-1:session-token')).toBe('second')
      expect(await store.delete(ref)).toBe(true)
      expect(await store.delete(ref)).toBe(false)
      expect(await store.get(ref)).toBeUndefined()
    })

    it('keeps qualified secrets (one S3 secret per access key) apart', async () => {
      const a: SecretRef = { clusterId: 'q-1', kind: 's3-secret', qualifier: 'AKIA1' }
      const b: SecretRef = { clusterId: 'q-1', kind: 's3-secret', qualifier: 'AKIA2' }
      await store.set(a, 'secret-a')
      await store.set(b, 'secret-b')
      expect(await store.get(a)).toBe('secret-a')
      expect(await store.get(b)).toBe('secret-b')
      expect((await entries()).has('q-1:s3-secret:AKIA2')).toBe(true)
      await store.deleteCluster('q-1')
    })

    it('loadAll reads every secret with a single findCredentials call and reassembles split ones', async () => {
      const big = token(4096, 'big')
      await store.set(refresh('load-1'), 'r1')
      await store.set({ clusterId: 'load-1', kind: 'long-lived-token' }, big)
      await store.set(refresh('load-2'), 'r2')
      const find = vi.spyOn(keytar, 'findCredentials')
      const get = vi.spyOn(keytar, 'getPassword')
      const all = await store.loadAll()
      expect(find).toHaveBeenCalledTimes(1)
      expect(find).toHaveBeenCalledWith(service)
      expect(get).not.toHaveBeenCalled()
      expect(all.get('load-1:refresh-token')).toBe('r1')
      expect(all.get('load-1:long-lived-token')).toBe(big)
      expect(all.get('load-2:refresh-token')).toBe('r2')
      // Parts are not secrets of their own.
      expect([...all.keys()].some((a) => a.includes('#'))).toBe(false)
      await store.deleteCluster('load-1')
      await store.deleteCluster('load-2')
    })

    it('splits a 4 KB token across entries that each fit Windows Credential Manager', async () => {
      const ref = refresh('big-1')
      const value = token(4096)
      await store.set(ref, value)
      expect(await store.get(ref)).toBe(value)

      const stored = await entries()
      const account = secretAccount(ref)
      const header = stored.get(account) ?? ''
      const match = /^tokendeck-chunked:v1:(\d+):[0-9a-f]{16}$/.exec(header)
      expect(match).not.toBeNull()
      const parts = Number(match?.[1])
      expect(parts).toBeGreaterThanOrEqual(Math.ceil(4096 / MAX_PART_BYTES))
      const mine = [...stored].filter(([a]) => a === account || a.startsWith(`${account}#`))
      expect(mine).toHaveLength(parts + 1)
      for (const [, v] of mine) {
        expect(Buffer.byteLength(v, 'utf8')).toBeLessThanOrEqual(MAX_ENTRY_BYTES)
        expect(Buffer.byteLength(v, 'utf16le')).toBeLessThanOrEqual(MAX_ENTRY_BYTES)
      }
      expect(
        Array.from({ length: parts }, (_, i) => stored.get(`${account}#${i + 1}`)).join(''),
      ).toBe(value)
      await store.delete(ref)
      expect([...(await entries()).keys()].filter((a) => a.startsWith(account))).toEqual([])
    })

    it('round-trips multi-byte text split on character boundaries', async () => {
      const ref = { clusterId: 'utf8-1', kind: 'long-lived-token' } as const
      const value = 'é€😀漢'.repeat(600) // 13 bytes a round, none of them ASCII
      await store.set(ref, value)
      expect(await store.get(ref)).toBe(value)
      for (const [a, v] of await entries()) {
        if (a.startsWith('utf8-1:')) expect(v).not.toContain('\uFFFD')
      }
      await store.deleteCluster('utf8-1')
    })

    it('stores a short value that looks like a chunk header without confusing the two', async () => {
      const ref = refresh('lookalike')
      const value = 'tokendeck-chunked:v1:1:0000000000000000'
      await store.set(ref, value)
      expect(await store.get(ref)).toBe(value)
      expect((await store.loadAll()).get('lookalike:refresh-token')).toBe(value)
      await store.deleteCluster('lookalike')
    })

    it('removes stale parts when a split secret is overwritten by a shorter one', async () => {
      const ref = refresh('shrink-1')
      await store.set(ref, token(6000))
      const before = [...(await entries()).keys()].filter((a) => a.startsWith('shrink-1:'))
      await store.set(ref, token(3000))
      const middle = [...(await entries()).keys()].filter((a) => a.startsWith('shrink-1:'))
      expect(middle.length).toBeLessThan(before.length)
      await store.set(ref, 'short')
      expect([...(await entries()).keys()].filter((a) => a.startsWith('shrink-1:'))).toEqual([
        'shrink-1:refresh-token',
      ])
      expect(await store.get(ref)).toBe('short')
      await store.delete(ref)
    })

    it('reports a missing part clearly, without the value, and loadAll skips only that secret', async () => {
      const ref = refresh('broken-1')
      const value = token(4096, 'sekrit')
      await store.set(ref, value)
      await store.set(refresh('broken-2'), 'fine')
      await keytar.deletePassword(service, 'broken-1:refresh-token#2')

      const error = await store.get(ref).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'CONFIG_CORRUPT' })
      expect((error as Error).message).toMatch(/piece 2 of \d+ is missing/)
      expect((error as Error).message).toContain('broken-1')
      expect((error as Error).message).not.toContain('sekrit')

      const all = await store.loadAll()
      expect(all.has('broken-1:refresh-token')).toBe(false)
      expect(all.get('broken-2:refresh-token')).toBe('fine')

      // Signing in again overwrites the damaged secret.
      await store.set(ref, 'renewed')
      expect(await store.get(ref)).toBe('renewed')
      await store.deleteCluster('broken-1')
      await store.deleteCluster('broken-2')
    })

    it('deleteCluster removes every secret and part of one cluster and nothing else', async () => {
      await store.set(refresh('gone'), token(5000))
      await store.set({ clusterId: 'gone', kind: 'session-token' }, 'session')
      await store.set({ clusterId: 'gone', kind: 's3-secret', qualifier: 'AK1' }, 's3')
      await store.set(refresh('gone-2'), 'neighbour with a shared prefix')
      await store.set(refresh('kept'), token(3000))

      expect(await store.deleteCluster('gone')).toBe(3)
      const left = [...(await entries()).keys()]
      expect(left.filter((a) => a.startsWith('gone:'))).toEqual([])
      expect(await store.get(refresh('gone-2'))).toBe('neighbour with a shared prefix')
      expect(await store.get(refresh('kept'))).toBe(token(3000))
      expect(await store.deleteCluster('gone')).toBe(0)
      await store.deleteCluster('gone-2')
      await store.deleteCluster('kept')
    })

    it('serialises concurrent writers so a reader never sees a half-written split secret', async () => {
      const ref = refresh('race-1')
      const values = [token(4000, 'one'), token(2000, 'two'), 'three', token(5000, 'four')]
      const reads = values.map(async (v) => {
        await store.set(ref, v)
        return store.get(ref)
      })
      const seen = await Promise.all(reads)
      for (const s of seen) expect(values).toContain(s)
      expect(await store.get(ref)).toBe(values[3])
      await store.deleteCluster('race-1')
    })

    it('rejects malformed refs and empty values with INVALID_INPUT before touching the keychain', async () => {
      const set = vi.spyOn(keytar, 'setPassword')
      await expect(
        store.set({ clusterId: 'Bad:Id', kind: 'refresh-token' }, 'v'),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      await expect(store.set(refresh('ok'), '')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      await expect(
        store.get({ clusterId: 'ok', kind: 's3-secret', qualifier: 'a:b' }),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      await expect(store.deleteCluster('')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      expect(set).not.toHaveBeenCalled()
    })
  },
)
