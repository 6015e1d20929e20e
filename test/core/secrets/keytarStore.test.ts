// KeytarSecretStore against a real keychain through the real keytar. On Linux this must run
// inside scripts/with-private-keyring.sh (a private D-Bus session with its own unlocked
// gnome-keyring) so a person's own keychain is never touched; every run uses its own service.
// Entries are inspected with getPassword on the accounts we know, never by listing the service
// (findCredentials is what crashes, node-keytar issue 477).
import { randomUUID } from 'node:crypto'
import keytar from 'keytar'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import {
  MAX_ENTRY_BYTES,
  MAX_PART_BYTES,
  chunkHeader,
  splitUtf8,
} from '../../../src/main/core/secrets/chunking'
import { encodeEnvelope } from '../../../src/main/core/secrets/envelope'
import { KeytarSecretStore } from '../../../src/main/core/secrets/keytarStore'
import type {
  CredentialBinding,
  StoredCredential,
} from '../../../src/main/core/secrets/secretStore'

const privateKeyring = process.platform !== 'linux' || process.env.TOKENDECK_PRIVATE_KEYRING === '1'
const service = `Tokendeck Test ${randomUUID()}`
const namespace = randomUUID()

const weka: CredentialBinding = {
  vendor: 'weka',
  origin: 'https://weka01:14000',
  username: 'admin',
}
const credential = (value: string, over: Partial<StoredCredential> = {}): StoredCredential => ({
  kind: 'refresh-token',
  value,
  binding: weka,
  ...over,
})
/** A token-shaped ASCII string of exactly `bytes` bytes. */
const token = (bytes: number, seed = 'a'): string => `${seed}.`.padEnd(bytes, 'xYz0123456789-_')

const raw = (account: string) => keytar.getPassword(service, account)

/** The accounts a stored value occupies: the entry and, when split, its pieces. */
async function occupied(account: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const head = await raw(account)
  if (head === null) return out
  out.set(account, head)
  const m = /^tokendeck-chunked:v1:(\d+):([0-9a-f]{16})$/.exec(head)
  for (let i = 1; m !== null && i <= Number(m[1]); i++) {
    const part = await raw(`${account}#${m[2]}.${i}`)
    if (part !== null) out.set(`${account}#${m[2]}.${i}`, part)
  }
  return out
}

describe.skipIf(!privateKeyring)(
  'KeytarSecretStore on the real keychain (Linux: run via scripts/with-private-keyring.sh)',
  () => {
    const store = new KeytarSecretStore({ service, namespace })
    const used = new Set<string>()
    const id = (clusterId: string) => (used.add(clusterId), clusterId)
    const account = (clusterId: string) => `${namespace}/${clusterId}`

    afterEach(() => vi.restoreAllMocks())
    afterAll(async () => {
      for (const c of used) await store.deleteCredential(c)
    })

    it('check() answers and leaves nothing behind', async () => {
      await expect(store.check()).resolves.toBeUndefined()
      expect(await raw(`${namespace}/.check`)).toBeNull()
    })

    it('round-trips a credential with its binding, overwrites and deletes it', async () => {
      const c = id('rw-1')
      expect(await store.getCredential(c)).toBeUndefined()
      await store.setCredential(c, credential('first'))
      const swarm = credential('second', {
        kind: 'session-token',
        binding: {
          vendor: 'swarm',
          origin: 'https://gw:443',
          username: 'alice',
          tenant: 't',
          domain: 'd',
        },
      })
      await store.setCredential(c, swarm)
      expect(await store.getCredential(c)).toEqual({
        ...swarm,
        binding: { ...swarm.binding, origin: 'https://gw' },
      })
      // One entry, under the namespaced account, holding the envelope.
      expect(JSON.parse((await raw(account(c))) ?? '')).toEqual({
        v: 1,
        kind: 'session-token',
        for: { vendor: 'swarm', origin: 'https://gw', username: 'alice', tenant: 't', domain: 'd' },
        secret: 'second',
      })
      expect(await raw(`${c}:session-token`)).toBeNull() // not the legacy layout
      expect(await store.deleteCredential(c)).toBe(true)
      expect(await store.deleteCredential(c)).toBe(false)
      expect(await store.getCredential(c)).toBeUndefined()
      expect(await raw(account(c))).toBeNull()
    })

    it('splits a 4 KB token across entries that each fit Windows Credential Manager', async () => {
      const c = id('big-1')
      const value = token(4096)
      await store.setCredential(c, credential(value))
      expect(await store.getCredential(c)).toEqual(credential(value))

      const stored = await occupied(account(c))
      const header = stored.get(account(c)) ?? ''
      const parts = Number(/^tokendeck-chunked:v1:(\d+):/.exec(header)?.[1])
      expect(parts).toBeGreaterThanOrEqual(Math.ceil(4096 / MAX_PART_BYTES))
      expect(stored.size).toBe(parts + 1)
      for (const [, v] of stored) {
        expect(Buffer.byteLength(v, 'utf8')).toBeLessThanOrEqual(MAX_ENTRY_BYTES)
        expect(Buffer.byteLength(v, 'utf16le')).toBeLessThanOrEqual(MAX_ENTRY_BYTES)
      }
      const pieces = [...stored].filter(([a]) => a !== account(c)).map(([, v]) => v)
      expect(pieces.join('')).toBe(encodeEnvelope(credential(value)))

      expect(await store.deleteCredential(c)).toBe(true)
      for (const a of stored.keys()) expect(await raw(a)).toBeNull()
    })

    it('round-trips multi-byte text split on character boundaries', async () => {
      const c = id('utf8-1')
      const value = 'é€😀漢'.repeat(600) // 13 bytes a round, none of them ASCII
      await store.setCredential(c, credential(value))
      expect((await store.getCredential(c))?.value).toBe(value)
      for (const [, v] of await occupied(account(c))) expect(v).not.toContain('\uFFFD')
    })

    it('stores a short value that looks like a chunk header without confusing the two', async () => {
      const c = id('lookalike')
      const value = 'tokendeck-chunked:v1:1:0000000000000000'
      await store.setCredential(c, credential(value))
      expect((await store.getCredential(c))?.value).toBe(value)
    })

    it('removes the previous pieces when a split value is overwritten', async () => {
      const c = id('shrink-1')
      await store.setCredential(c, credential(token(6000)))
      const first = await occupied(account(c))
      await store.setCredential(c, credential(token(3000, 'b')))
      const second = await occupied(account(c))
      for (const a of first.keys()) if (a !== account(c)) expect(await raw(a)).toBeNull()
      expect(second.size).toBeLessThan(first.size)
      await store.setCredential(c, credential('short'))
      for (const a of second.keys()) if (a !== account(c)) expect(await raw(a)).toBeNull()
      expect(await store.getCredential(c)).toEqual(credential('short'))
      // Storing the same split value again keeps its pieces (same names) and stays readable.
      await store.setCredential(c, credential(token(3000, 'c')))
      await store.setCredential(c, credential(token(3000, 'c')))
      expect((await store.getCredential(c))?.value).toBe(token(3000, 'c'))
    })

    it('keeps namespaces apart: two data directories never see each other’s credential', async () => {
      const other = new KeytarSecretStore({ service, namespace: randomUUID() })
      const c = id('ns-1')
      await store.setCredential(c, credential('mine'))
      expect(await other.getCredential(c)).toBeUndefined()
      await other.setCredential(c, credential('theirs', { binding: { ...weka, username: 'bob' } }))
      expect((await store.getCredential(c))?.value).toBe('mine')
      expect((await other.getCredential(c))?.value).toBe('theirs')
      expect(await other.deleteCredential(c)).toBe(true)
      expect((await store.getCredential(c))?.value).toBe('mine')
      expect(await other.deleteCredential(c)).toBe(false)
    })

    it('reports an entry that is not a valid envelope as CONFIG_CORRUPT, without the secret', async () => {
      const c = id('bad-1')
      const cases = [
        'sekrit-not-json',
        JSON.stringify({ v: 2, kind: 'refresh-token', for: weka, secret: 'sekrit-v2' }),
        JSON.stringify({ v: 1, kind: 'refresh-token', secret: 'sekrit-nobinding' }),
      ]
      for (const stored of cases) {
        await keytar.setPassword(service, account(c), stored)
        const error = await store.getCredential(c).catch((e: unknown) => e)
        expect(error).toMatchObject({ code: 'CONFIG_CORRUPT' })
        expect((error as Error).message).toContain('"bad-1"')
        expect((error as Error).message).not.toContain('sekrit')
      }
      expect(((await store.getCredential(c).catch((e: unknown) => e)) as Error).message).toMatch(
        /damaged \(for\)/,
      )
      // Signing in again overwrites it.
      await store.setCredential(c, credential('renewed'))
      expect((await store.getCredential(c))?.value).toBe('renewed')
    })

    it('reports a missing piece clearly, without the value', async () => {
      const c = id('broken-1')
      await store.setCredential(c, credential(token(4096, 'sekrit')))
      const pieces = [...(await occupied(account(c))).keys()].filter((a) => a !== account(c))
      await keytar.deletePassword(service, pieces[1] ?? '')

      const error = await store.getCredential(c).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'CONFIG_CORRUPT' })
      expect((error as Error).message).toMatch(/piece 2 of \d+ is missing/)
      expect((error as Error).message).toContain('broken-1')
      expect((error as Error).message).not.toContain('sekrit')

      await store.setCredential(c, credential('renewed'))
      expect((await store.getCredential(c))?.value).toBe('renewed')
    })

    it('reads and deletes legacy entries written before profiles', async () => {
      const c = id('leg-1')
      await keytar.setPassword(service, `${c}:refresh-token`, 'old-refresh')
      // The legacy store split large values into `#n` pieces.
      const big = token(4000, 'legacy')
      const pieces = splitUtf8(big)
      for (const [i, p] of pieces.entries())
        await keytar.setPassword(service, `${c}:session-token#${i + 1}`, p)
      await keytar.setPassword(service, `${c}:session-token`, chunkHeader(pieces.length, big))

      // Legacy entries are not credentials of any namespace.
      expect(await store.getCredential(c)).toBeUndefined()
      expect(await store.readLegacy(c)).toEqual({ kind: 'refresh-token', value: 'old-refresh' })
      await keytar.deletePassword(service, `${c}:refresh-token`)
      expect(await store.readLegacy(c)).toEqual({ kind: 'session-token', value: big })

      await keytar.setPassword(service, `${c}:refresh-token`, 'old-refresh')
      expect(await store.deleteLegacy(c)).toBe(2)
      expect(await raw(`${c}:refresh-token`)).toBeNull()
      expect(await raw(`${c}:session-token`)).toBeNull()
      for (let i = 1; i <= pieces.length; i++)
        expect(await raw(`${c}:session-token#${i}`)).toBeNull()
      expect(await store.readLegacy(c)).toBeUndefined()
      expect(await store.deleteLegacy(c)).toBe(0)
    })

    it('reports a damaged legacy entry as CONFIG_CORRUPT', async () => {
      const c = id('leg-2')
      await keytar.setPassword(
        service,
        `${c}:refresh-token`,
        'tokendeck-chunked:v1:2:0123456789abcdef',
      )
      await keytar.setPassword(service, `${c}:refresh-token#1`, 'sekrit-piece')
      const error = await store.readLegacy(c).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'CONFIG_CORRUPT' })
      expect((error as Error).message).toContain('leg-2')
      expect((error as Error).message).not.toContain('sekrit')
      expect(await store.deleteLegacy(c)).toBe(1)
      expect(await raw(`${c}:refresh-token#1`)).toBeNull()
    })

    it('serialises concurrent writers so a reader never sees a half-written split value', async () => {
      const c = id('race-1')
      const values = [token(4000, 'one'), token(2000, 'two'), 'three', token(5000, 'four')]
      const seen = await Promise.all(
        values.map(async (v) => {
          await store.setCredential(c, credential(v))
          return (await store.getCredential(c))?.value
        }),
      )
      for (const s of seen) expect(values).toContain(s)
      expect((await store.getCredential(c))?.value).toBe(values[3])
    })

    it('rejects malformed input with INVALID_INPUT before touching the keychain', async () => {
      const set = vi.spyOn(keytar, 'setPassword')
      const get = vi.spyOn(keytar, 'getPassword')
      await expect(store.setCredential('Bad:Id', credential('v'))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      })
      await expect(store.setCredential('ok', credential(''))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      })
      await expect(
        store.setCredential('ok', credential('v', { binding: { ...weka, origin: 'nope' } })),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      await expect(store.getCredential('')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      await expect(store.readLegacy('a/b')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      await expect(store.deleteLegacy('A')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
      expect(set).not.toHaveBeenCalled()
      expect(get).not.toHaveBeenCalled()
      expect(() => new KeytarSecretStore({ service, namespace: 'a/b' })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      )
    })
  },
)
