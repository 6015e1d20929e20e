// What KeytarSecretStore asks the keychain, seen through a recording stand-in: check() writes
// nothing, nothing ever lists the service (findCredentials, node-keytar issue 477), a call that
// lost a race with another process is repeated, and a split value replaced by another process
// while it is being read is read again rather than reported as damaged.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KeytarSecretStore } from '../../../src/main/core/secrets/keytarStore'
import type { StoredCredential } from '../../../src/main/core/secrets/secretStore'
import { recordingKeytar, type KeytarCall } from './fakeKeytar'

const service = 'Tokendeck Test fake'
const namespace = '5f0c2b1e-aaaa-4bbb-8ccc-123456789abc'
const credential = (value: string): StoredCredential => ({
  kind: 'refresh-token',
  value,
  binding: { vendor: 'qumulo', origin: 'https://q1:8000', username: 'admin' },
})
const big = (seed: string) => `${seed}.`.padEnd(5000, 'xyz0123456789')

describe('check()', () => {
  it('is exactly one getPassword of an account no cluster can have, and writes nothing', async () => {
    const fake = recordingKeytar()
    const store = new KeytarSecretStore({ service, namespace, keytar: fake })
    await store.check()
    await store.check()
    expect(fake.calls).toEqual<KeytarCall[]>([
      { op: 'getPassword', service, account: `${namespace}/.check` },
      { op: 'getPassword', service, account: `${namespace}/.check` },
    ])
    expect(fake.entries.size).toBe(0)
  })
})

describe('no listing', () => {
  it('a full lifecycle works with a keytar that has no findCredentials, on known accounts only', async () => {
    const fake = recordingKeytar()
    expect('findCredentials' in fake).toBe(false)
    const store = new KeytarSecretStore({ service, namespace, keytar: fake })
    await store.check()
    await store.setCredential('c1', credential('small'))
    await store.setCredential('c2', credential(big('a')))
    await store.setCredential('c2', credential(big('b')))
    expect((await store.getCredential('c1'))?.value).toBe('small')
    expect((await store.getCredential('c2'))?.value).toBe(big('b'))
    expect(await store.readLegacy('c1')).toBeUndefined()
    expect(await store.deleteLegacy('c1')).toBe(0)
    expect(await store.deleteCredential('c1')).toBe(true)
    expect(await store.deleteCredential('c2')).toBe(true)
    expect(fake.entries.size).toBe(0) // every piece went with its entry
    for (const call of fake.calls) {
      expect(call.service).toBe(service)
      expect(call.account).toMatch(
        new RegExp(
          `^(${namespace}/(\\.check|c[12](#[0-9a-f]{16}\\.\\d+)?)|c1:(refresh|session)-token)$`,
        ),
      )
    }
  })

  it('no source file calls findCredentials', () => {
    const root = resolve(__dirname, '../../../src')
    const offenders: string[] = []
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name)
        if (statSync(path).isDirectory()) walk(path)
        else if (/\.(ts|tsx|js|mjs|cjs)$/.test(name)) {
          if (/findCredentials\s*[(<]|\[\s*['"`]findCredentials/.test(readFileSync(path, 'utf8')))
            offenders.push(path)
        }
      }
    }
    walk(root)
    expect(offenders).toEqual([])
  })
})

describe('races with other processes', () => {
  const vanished = (n: number) =>
    new Error(`Object does not exist at path “/org/freedesktop/secrets/collection/login/${n}”`)
  const noInterface = (n: number) =>
    new Error(
      `No such interface “org.freedesktop.Secret.Item” on object at path /org/freedesktop/secrets/collection/login/${n}`,
    )

  it('repeats a call whose entry vanished under it, instead of calling the keychain locked', async () => {
    const fake = recordingKeytar()
    const store = new KeytarSecretStore({ service, namespace, keytar: fake })
    await store.setCredential('c1', credential('v'))
    let failures = 2
    fake.before = (call) => {
      if (call.op === 'getPassword' && failures > 0) {
        failures--
        throw failures === 1 ? vanished(510) : noInterface(496)
      }
    }
    expect((await store.getCredential('c1'))?.value).toBe('v')
    expect(failures).toBe(0)
  })

  it('gives up after a few attempts, saying what happened', async () => {
    const fake = recordingKeytar()
    const store = new KeytarSecretStore({ service, namespace, keytar: fake })
    fake.before = (call) => {
      if (call.op === 'deletePassword') throw vanished(7)
    }
    const error = await store.deleteCredential('c1').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
    expect((error as Error).message).toContain('Another process changed the same keychain entry')
    expect((error as Error).message).not.toContain('locked')
    expect(fake.calls.filter((c) => c.op === 'deletePassword')).toHaveLength(4)
  })

  it('reads a split value again when another process replaced it mid-read', async () => {
    const fake = recordingKeytar()
    const store = new KeytarSecretStore({ service, namespace, keytar: fake })
    // "Another process": same keychain, its own keytar binding (so its own call queue).
    const other = new KeytarSecretStore({
      service,
      namespace,
      keytar: recordingKeytar(fake.entries),
    })
    await store.setCredential('c1', credential(big('old')))
    let interleaved = false
    fake.before = async (call) => {
      if (!interleaved && call.op === 'getPassword' && call.account.includes('#')) {
        interleaved = true
        await other.setCredential('c1', credential(big('new'))) // removes the old pieces
      }
    }
    expect((await store.getCredential('c1'))?.value).toBe(big('new'))
    expect(interleaved).toBe(true)
  })

  it('still reports a piece that is really missing (the header did not change)', async () => {
    const fake = recordingKeytar()
    const store = new KeytarSecretStore({ service, namespace, keytar: fake })
    await store.setCredential('c1', credential(big('sekrit')))
    const piece = [...fake.entries.keys()].find((k) => k.endsWith('.2'))
    fake.entries.delete(piece ?? '')
    const error = await store.getCredential('c1').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CONFIG_CORRUPT' })
    expect((error as Error).message).toMatch(/piece 2 of \d+ is missing/)
    expect((error as Error).message).not.toContain('sekrit')
  })
})

describe('errors never carry a secret', () => {
  it('scrubs the value, the envelope and the pieces even if the OS quoted them back', async () => {
    const secret = 'tok-9f8e7d6c5b4a'
    for (const value of [secret, big(secret)]) {
      const fake = recordingKeytar()
      const store = new KeytarSecretStore({ service, namespace, keytar: fake })
      const seen: string[] = []
      fake.setPassword = (_s, _a, password) => {
        seen.push(password)
        return Promise.reject(
          new Error(`Cannot create an item in a locked collection (${password})`),
        )
      }
      const error = await store.setCredential('echo', credential(value)).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
      const text = JSON.stringify({
        info: (error as { toInfo(): unknown }).toInfo(),
        cause: String((error as Error).cause),
      })
      expect(text).toContain('locked')
      expect(text).not.toContain(secret)
      for (const s of seen) expect(text).not.toContain(s.slice(0, 40))
    }
  })
})
