/**
 * Keys kept by an earlier version, which named each key by its access key id (s3-keys.json
 * version 1, keychain accounts `…/<cluster>/s3/<access key id>`): on Swarm that id is the token
 * itself (docs/protocols/swarm.md §2.1). The first keychain use moves them to the key's handle:
 * nothing kept is lost, and the access key id is left in no file and no account name.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Cluster } from '../../../src/shared/model'
import { ClusterRegistry } from '../../../src/main/core/clusters'
import { KeptKeyIndex } from '../../../src/main/core/s3keys/keptKeyIndex'
import { KeptS3Keys } from '../../../src/main/core/s3keys/keptS3Keys'
import { KeytarSecretStore } from '../../../src/main/core/secrets'
import { FakeClock } from '../../sim/common/clock'
import { recordingKeytar, type RecordingKeytar } from '../secrets/fakeKeytar'

const PIN = 'AB:'.repeat(31) + 'AB'
const HOUR = 3_600_000
const KEYS = [
  { accessKeyId: '0123456789abcdef0123456789abcdef', tokenId: '012345..aaaaaaaaaa', secret: 'S1' },
  { accessKeyId: 'fedcba9876543210fedcba9876543210', tokenId: 'fedcba..bbbbbbbbbb', secret: 'S2' },
]

describe('kept S3 keys of an earlier version', () => {
  let dir: string
  let registry: ClusterRegistry
  let clock: FakeClock
  let keytar: RecordingKeytar
  let cluster: Cluster
  const opened: KeptS3Keys[] = []

  const open = (k = keytar) => {
    const store = new KeytarSecretStore({ service: 'T', namespace: 'ns-1', keytar: k })
    const keys = new KeptS3Keys(registry, store, new KeptKeyIndex(dir), clock)
    opened.push(keys)
    return keys
  }
  const accounts = () => [...keytar.entries.keys()].map((k) => k.split('\n')[1]!).sort()
  const indexText = () => readFileSync(join(dir, 's3-keys.json'), 'utf8')

  /** What the previous version left: a version-1 list and entries named by access key id. */
  const writeLegacy = (which = KEYS, entries: typeof KEYS = which) => {
    const keys = which.map((k, i) => ({
      clusterId: cluster.id,
      accessKeyId: k.accessKeyId,
      tokenId: k.tokenId,
      owner: 'acmeadmin+acme',
      expiresAt: clock.now() + 24 * HOUR,
      keptAt: clock.now() - i,
    }))
    writeFileSync(join(dir, 's3-keys.json'), JSON.stringify({ version: 1, keys }, null, 2))
    for (const k of entries)
      keytar.entries.set(
        `T\nns-1/${cluster.id}/s3/${k.accessKeyId}`,
        JSON.stringify({
          v: 1,
          kind: 's3-secret-key',
          for: {
            vendor: 'swarm',
            origin: 'https://gw.archive.example',
            username: 'acmeadmin',
            tenant: 'acme',
            accessKeyId: k.accessKeyId,
            tokenId: k.tokenId,
          },
          secret: k.secret,
        }),
      )
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokendeck-s3legacy-'))
    registry = await ClusterRegistry.open({ dir })
    clock = new FakeClock(Date.parse('2026-11-30T12:00:00Z'))
    keytar = recordingKeytar()
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
    for (const k of opened.splice(0)) k.close()
    await registry.flush()
    rmSync(dir, { recursive: true, force: true })
  })

  it('are listed by handle at once, and moved to their handles at the first keychain use', async () => {
    writeLegacy()
    const keys = open()
    // Listing reads the list only (no keychain), and never hands out an access key id.
    const listed = await keys.list()
    expect(listed.map((k) => k.tokenId).sort()).toEqual(KEYS.map((k) => k.tokenId).sort())
    expect(JSON.stringify(listed)).not.toContain(KEYS[0]!.accessKeyId)
    expect(keytar.calls).toEqual([])

    expect(await keys.credential(cluster.id, KEYS[0]!.tokenId)).toEqual({
      accessKeyId: KEYS[0]!.accessKeyId,
      secretAccessKey: 'S1',
      expiresAt: clock.now() + 24 * HOUR,
    })
    expect(JSON.parse(indexText())).toMatchObject({ version: 2 })
    for (const k of KEYS) {
      expect(indexText()).not.toContain(k.accessKeyId)
      for (const a of accounts()) expect(a).not.toContain(k.accessKeyId)
    }
    expect(accounts()).toEqual(KEYS.map((k) => `ns-1/${cluster.id}/s3key/${k.tokenId}`).sort())
    // Both keys were moved, not just the one asked for; nothing else changed.
    expect(await keys.credential(cluster.id, KEYS[1]!.tokenId)).toMatchObject({
      accessKeyId: KEYS[1]!.accessKeyId,
      secretAccessKey: 'S2',
    })
    expect(await keys.list()).toEqual(listed)
  })

  it('a key whose old entry is gone stays listed, and says so when used', async () => {
    writeLegacy(KEYS, [KEYS[0]!])
    const keys = open()
    await expect(keys.credential(cluster.id, KEYS[1]!.tokenId)).rejects.toMatchObject({
      code: 'CONFIG_CORRUPT',
      message: expect.stringContaining(KEYS[1]!.tokenId),
    })
    expect((await keys.list()).map((k) => k.tokenId).sort()).toEqual(
      KEYS.map((k) => k.tokenId).sort(),
    )
    expect(indexText()).not.toContain(KEYS[1]!.accessKeyId)
    expect(await keys.forget(cluster.id, KEYS[1]!.tokenId)).toBe(true)
    expect(await keys.credential(cluster.id, KEYS[0]!.tokenId)).toMatchObject({
      secretAccessKey: 'S1',
    })
  })

  it('a locked keychain stops the move and loses nothing; the next call finishes it', async () => {
    writeLegacy()
    const before = indexText()
    keytar.before = () => {
      throw new Error('The keychain is locked')
    }
    const keys = open()
    await expect(keys.credential(cluster.id, KEYS[0]!.tokenId)).rejects.toBeTruthy()
    expect(indexText()).toBe(before)
    keytar.before = undefined
    expect(await keys.credential(cluster.id, KEYS[0]!.tokenId)).toMatchObject({
      secretAccessKey: 'S1',
    })
    expect(indexText()).not.toContain(KEYS[0]!.accessKeyId)
  })

  it('two processes moving at once both end with every key, once', async () => {
    writeLegacy()
    const [a, b] = [open(), open()]
    const [ra, rb] = await Promise.all([
      a.credential(cluster.id, KEYS[0]!.tokenId),
      b.credential(cluster.id, KEYS[1]!.tokenId),
    ])
    expect(ra.secretAccessKey).toBe('S1')
    expect(rb.secretAccessKey).toBe('S2')
    expect(accounts()).toEqual(KEYS.map((k) => `ns-1/${cluster.id}/s3key/${k.tokenId}`).sort())
    const index = JSON.parse(indexText()) as { version: number; keys: unknown[] }
    expect(index.version).toBe(2)
    expect(index.keys).toHaveLength(2)
  })

  it('a key kept after the move joins the moved ones', async () => {
    writeLegacy([KEYS[0]!])
    const keys = open()
    const handle = keys
      .offer(cluster, { id: KEYS[1]!.tokenId, owner: 'acmeadmin+acme' }, [
        { kind: 's3-secret', value: 'S2', accessKeyId: KEYS[1]!.accessKeyId },
      ])
      .find((s) => s.keepHandle)!.keepHandle!
    await keys.keep(handle)
    expect((await keys.list()).map((k) => k.tokenId).sort()).toEqual(
      KEYS.map((k) => k.tokenId).sort(),
    )
    for (const k of KEYS) expect(indexText()).not.toContain(k.accessKeyId)
    expect(accounts()).toEqual(KEYS.map((k) => `ns-1/${cluster.id}/s3key/${k.tokenId}`).sort())
  })
})
