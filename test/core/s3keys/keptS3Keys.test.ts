/**
 * Kept S3 keys in the core, without a cluster: keeping only by a live one-time handle, what
 * credential_process gets and when it is refused, forgetting after a revoke, the list file
 * (never a secret, no change lost between writers), and the keychain entry's account and binding.
 * On Swarm the access key id is the token itself (docs/protocols/swarm.md §2.1): it is in no
 * list, no keychain account name and no answer but the credential's.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Cluster, OneTimeSecret, TokenSummary } from '../../../src/shared/model'
import { ClusterRegistry } from '../../../src/main/core/clusters'
import { KeptKeyIndex } from '../../../src/main/core/s3keys/keptKeyIndex'
import { KeptS3Keys } from '../../../src/main/core/s3keys/keptS3Keys'
import { KeytarSecretStore, MemorySecretStore } from '../../../src/main/core/secrets'
import { FakeClock } from '../../sim/common/clock'
import { recordingKeytar, type RecordingKeytar } from '../secrets/fakeKeytar'

const PIN = 'AB:'.repeat(31) + 'AB'
const KEY_ID = '0123456789abcdef0123456789abcdef'
const SECRET = 'S3cretOnlyLettersAndDigits0123456789abcdefghijklmnopqrstuvwxyzAB'
const HOUR = 3_600_000

describe('kept S3 keys', () => {
  let dir: string
  let registry: ClusterRegistry
  let clock: FakeClock
  let keys: KeptS3Keys
  let cluster: Cluster
  let keytar: RecordingKeytar
  const changed: string[] = []
  const HANDLE = `${KEY_ID.slice(0, 6)}..aaaaaaaaaa`

  const token = (expiresAt?: number): TokenSummary => ({
    id: HANDLE,
    owner: 'acmeadmin+acme',
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  })
  const secrets: OneTimeSecret[] = [
    { kind: 'access-token', value: KEY_ID },
    { kind: 's3-secret', value: SECRET, accessKeyId: KEY_ID },
  ]
  const handleOf = (offered: OneTimeSecret[]) => offered.find((s) => s.keepHandle)!.keepHandle!

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokendeck-s3keys-'))
    registry = await ClusterRegistry.open({ dir })
    clock = new FakeClock(Date.parse('2026-11-30T12:00:00Z'))
    changed.length = 0
    keytar = recordingKeytar()
    const keychain = new KeytarSecretStore({ service: 'T', namespace: 'ns-1', keytar })
    keys = new KeptS3Keys(registry, keychain, new KeptKeyIndex(dir), clock, (id) =>
      changed.push(id),
    )
    cluster = await registry.add({
      vendor: 'swarm',
      name: 'Archive',
      url: 'https://gw.archive.example',
      username: 'acmeadmin',
      tenant: 'acme',
      trust: { sha256: PIN },
    })
  })
  afterEach(async () => {
    keys.close()
    await registry.flush()
    rmSync(dir, { recursive: true, force: true })
  })

  it('offers a handle for the S3 secret only, keeps by it, and hands the key to a tool', async () => {
    const offered = keys.offer(cluster, token(clock.now() + 24 * HOUR), secrets)
    expect(offered[0]).toEqual(secrets[0]) // the access token gets no handle
    const kept = await keys.keep(handleOf(offered))
    expect(kept).toEqual({
      clusterId: cluster.id,
      tokenId: HANDLE,
      owner: 'acmeadmin+acme',
      expiresAt: clock.now() + 24 * HOUR,
      keptAt: clock.now(),
    })
    // Named by its handle; the answer for the tool is the one place the access key id is in.
    expect(await keys.credential(cluster.id, HANDLE)).toEqual({
      accessKeyId: KEY_ID,
      secretAccessKey: SECRET,
      expiresAt: clock.now() + 24 * HOUR,
    })
    await expect(keys.credential(cluster.id, KEY_ID)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(changed).toEqual([cluster.id])
    // The list file says which key is kept, by its handle; the secret and the access key id are
    // only in the keychain entry, whose account is named by the handle too.
    const file = readFileSync(join(dir, 's3-keys.json'), 'utf8')
    expect(file).toContain(HANDLE)
    expect(file).not.toContain(KEY_ID)
    expect(file).not.toContain(SECRET)
    expect(JSON.stringify(await keys.list())).not.toContain(KEY_ID)
    expect(readFileSync(join(dir, 'clusters.json'), 'utf8')).not.toContain(KEY_ID)
    const accounts = [...keytar.entries.keys()].map((k) => k.split('\n')[1]!)
    expect(accounts).toEqual([`ns-1/${cluster.id}/s3key/${HANDLE}`])
    expect(keytar.calls.filter((c) => c.account.includes(KEY_ID))).toEqual([])
    // Forgotten by its handle, from the keychain and the list.
    expect(await keys.forget(cluster.id, HANDLE)).toBe(true)
    expect(keytar.entries.size).toBe(0)
    expect(await keys.list()).toEqual([])
  })

  it('a handle that was discarded, timed out or never issued keeps nothing', async () => {
    const first = handleOf(keys.offer(cluster, token(), secrets))
    expect(keys.discard(first)).toBe(true)
    await expect(keys.keep(first)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const second = handleOf(keys.offer(cluster, token(), secrets))
    clock.advance(10 * 60_000)
    await expect(keys.keep(second)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(keys.keep('made-up')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await keys.list()).toEqual([])
  })

  it('refuses an expired key, and a key of a cluster that now points elsewhere', async () => {
    await keys.keep(handleOf(keys.offer(cluster, token(clock.now() + HOUR), secrets)))
    clock.advance(HOUR)
    const expired = await keys.credential(cluster.id, HANDLE).catch((e: unknown) => e)
    expect(expired).toMatchObject({ code: 'REFRESH_EXPIRED' })
    expect(String((expired as Error).message)).not.toContain(KEY_ID)
    await keys.forget(cluster.id, HANDLE)
    await keys.keep(handleOf(keys.offer(cluster, token(), secrets)))
    await registry.update(cluster.id, { url: 'https://elsewhere.example' })
    const refused = await keys.credential(cluster.id, HANDLE).catch((e: unknown) => e)
    expect(refused).toMatchObject({ code: 'FORBIDDEN' })
    expect(String((refused as Error).message)).not.toContain(SECRET)
    expect(String((refused as Error).message)).not.toContain(KEY_ID)
  })

  it('a revoked token’s key is forgotten, named by its listed id or by the access key id', async () => {
    await keys.keep(handleOf(keys.offer(cluster, token(), secrets)))
    await keys.forgetRevoked(cluster.id, { tokenId: token().id })
    expect(await keys.list()).toEqual([])
    await expect(keys.credential(cluster.id, HANDLE)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(keytar.entries.size).toBe(0)
    // `tokens revoke --id <the token>`: only the keychain entry knows which kept key that is.
    await keys.keep(handleOf(keys.offer(cluster, token(), secrets)))
    await keys.forgetRevoked(cluster.id, { tokenId: 'someOtherToken' })
    expect(await keys.list()).toHaveLength(1)
    await keys.forgetRevoked(cluster.id, { tokenId: KEY_ID })
    expect(await keys.list()).toEqual([])
    expect(keytar.entries.size).toBe(0)
  })

  it('"This session only" keeps nothing in the keychain, and says why', async () => {
    const memoryOnly = new KeptS3Keys(
      registry,
      new MemorySecretStore(),
      new KeptKeyIndex(dir),
      clock,
    )
    const handle = handleOf(memoryOnly.offer(cluster, token(), secrets))
    await expect(memoryOnly.keep(handle)).rejects.toMatchObject({ code: 'UNSUPPORTED' })
    expect(await memoryOnly.list()).toEqual([])
    memoryOnly.close()
  })

  it('writers of the list file never lose each other’s keys (locked read-modify-write)', async () => {
    // Two indexes on one directory stand for two processes; 2 × 10 concurrent additions.
    const a = new KeptKeyIndex(dir)
    const b = new KeptKeyIndex(dir)
    const add = (index: KeptKeyIndex, n: number) =>
      index.update((list) => [...list, { clusterId: cluster.id, tokenId: `t-${n}`, keptAt: n }])
    await Promise.all(Array.from({ length: 20 }, (_, n) => add(n % 2 ? a : b, n)))
    expect((await a.list()).map((k) => k.tokenId).sort()).toEqual(
      Array.from({ length: 20 }, (_, n) => `t-${n}`).sort(),
    )
  })

  it('a damaged list file is reported and left as it is', async () => {
    const index = new KeptKeyIndex(dir)
    const { writeFileSync } = await import('node:fs')
    writeFileSync(index.file, '{"version":1,"keys":[{"secret":"x"}]}')
    await expect(index.list()).rejects.toMatchObject({ code: 'CONFIG_CORRUPT' })
    await expect(index.update((k) => [...k])).rejects.toMatchObject({ code: 'CONFIG_CORRUPT' })
    expect(readFileSync(index.file, 'utf8')).toBe('{"version":1,"keys":[{"secret":"x"}]}')
  })
})

describe('kept S3 keys in the keychain', () => {
  const binding = { vendor: 'swarm' as const, origin: 'https://gw.archive.example', username: 'u' }

  it('one entry per key, named by its handle, beside the sign-in, bound to the key it is', async () => {
    const keytar = recordingKeytar()
    const store = new KeytarSecretStore({ service: 'T', namespace: 'ns-1', keytar })
    await store.setS3Key('c1', {
      accessKeyId: KEY_ID,
      tokenId: 'tok',
      secretAccessKey: SECRET,
      binding,
    })
    // The account (which keychain browsers list) names the handle; the access key id is inside.
    expect([...keytar.entries.keys()]).toEqual([`T\nns-1/c1/s3key/tok`])
    const stored = keytar.peek('T', `ns-1/c1/s3key/tok`)!
    expect(JSON.parse(stored)).toEqual({
      v: 1,
      kind: 's3-secret-key',
      for: { ...binding, accessKeyId: KEY_ID, tokenId: 'tok' },
      secret: SECRET,
    })
    expect(await store.getS3Key('c1', 'tok')).toMatchObject({
      accessKeyId: KEY_ID,
      secretAccessKey: SECRET,
    })
    // The sign-in's entry is untouched, and an entry moved under another key's name is refused.
    expect(await store.getCredential('c1')).toBeUndefined()
    keytar.entries.set(`T\nns-1/c1/s3key/other-key`, stored)
    await expect(store.getS3Key('c1', 'other-key')).rejects.toMatchObject({
      code: 'CONFIG_CORRUPT',
    })
    expect(await store.deleteS3Key('c1', 'tok')).toBe(true)
    expect(await store.getS3Key('c1', 'tok')).toBeUndefined()
    await expect(
      store.setS3Key('c1', { accessKeyId: 'a/b', tokenId: 't', secretAccessKey: SECRET, binding }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})
