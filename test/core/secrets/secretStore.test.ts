import { describe, expect, it } from 'vitest'
import { decodeEnvelope, encodeEnvelope } from '../../../src/main/core/secrets/envelope'
import {
  MAX_SECRET_BYTES,
  assertStorableSecret,
  bindingFor,
  bindingMismatch,
  checkAccount,
  credentialAccount,
  legacyAccount,
  normalizeOrigin,
  storableCredential,
  type CredentialBinding,
  type StoredCredential,
} from '../../../src/main/core/secrets/secretStore'
import type { Cluster } from '../../../src/shared/model'

const SHA = Array.from({ length: 32 }, () => 'AB').join(':')

function cluster(over: Partial<Cluster> = {}): Cluster {
  return {
    id: 'prod-weka',
    vendor: 'weka',
    name: 'prod',
    url: 'https://weka01:14000',
    username: 'admin',
    trust: { sha256: SHA },
    ...over,
  }
}

const weka: CredentialBinding = {
  vendor: 'weka',
  origin: 'https://weka01:14000',
  username: 'admin',
}

describe('accounts', () => {
  it('are `${namespace}/${clusterId}`, one per cluster', () => {
    const ns = '0b7c6a4e-6f1d-4f7e-9d53-2d7f4f0e9a11'
    expect(credentialAccount(ns, 'prod-weka')).toBe(`${ns}/prod-weka`)
    expect(credentialAccount('Demo-1', 'a')).toBe('Demo-1/a')
  })

  it('refuse namespaces and cluster ids that would break the scheme', () => {
    for (const ns of ['', 'a/b', 'a:b', 'a b', 'x'.repeat(65), 'ü'])
      expect(() => credentialAccount(ns, 'c')).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      )
    for (const id of ['', 'A', 'a/b', 'a:b', '.check', '-a', 'x'.repeat(65)])
      expect(() => credentialAccount('ns', id)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      )
  })

  it('check() reads an account no cluster can have', () => {
    expect(checkAccount('ns')).toBe('ns/.check')
    expect(() => credentialAccount('ns', '.check')).toThrow()
  })

  it('legacy accounts are the pre-profile `${clusterId}:${kind}`', () => {
    expect(legacyAccount('prod-weka', 'refresh-token')).toBe('prod-weka:refresh-token')
    expect(legacyAccount('lab', 'session-token')).toBe('lab:session-token')
    expect(() => legacyAccount('a:b', 'refresh-token')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    )
  })
})

describe('origins', () => {
  it.each([
    ['https://WEKA01:14000/api/v2', 'https://weka01:14000'],
    ['https://weka01:14000', 'https://weka01:14000'],
    ['https://weka01:443/', 'https://weka01'],
    ['https://weka01', 'https://weka01'],
    ['https://Qumulo.Example.COM:8000/v1/session/login?x=1#f', 'https://qumulo.example.com:8000'],
    ['https://[::1]:8443/', 'https://[::1]:8443'],
    ['http://lab:80/', 'http://lab'],
  ])('%s → %s', (url, origin) => {
    expect(normalizeOrigin(url)).toBe(origin)
  })

  it('refuses what has no http(s) origin', () => {
    for (const u of ['weka01:14000', 'file:///etc/passwd', 'not a url', ''])
      expect(() => normalizeOrigin(u)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
  })
})

describe('bindingFor', () => {
  it('takes vendor, origin, user and only the scoping fields that are set', () => {
    expect(bindingFor(cluster({ url: 'https://WEKA01:14000/api' }))).toEqual(weka)
    expect(bindingFor(cluster({ org: '' }))).toEqual(weka) // empty org = Root = absent
    expect(bindingFor(cluster({ org: 'eng' }))).toEqual({ ...weka, org: 'eng' })
    expect(
      bindingFor(
        cluster({
          vendor: 'swarm',
          url: 'https://gw.example:443/',
          username: 'alice',
          tenant: 't1',
          domain: 'd1.example',
        }),
      ),
    ).toEqual({
      vendor: 'swarm',
      origin: 'https://gw.example',
      username: 'alice',
      tenant: 't1',
      domain: 'd1.example',
    })
  })
})

describe('bindingMismatch', () => {
  it('is undefined for the same binding, whatever the case, path or default port', () => {
    expect(bindingMismatch(weka, weka)).toBeUndefined()
    expect(bindingMismatch(weka, { ...weka, origin: 'https://WEKA01:14000/api' })).toBeUndefined()
    expect(
      bindingMismatch(
        { ...weka, origin: 'https://weka01' },
        { ...weka, origin: 'https://weka01:443' },
      ),
    ).toBeUndefined()
    expect(bindingMismatch(bindingFor(cluster({ org: '' })), weka)).toBeUndefined()
    expect(bindingMismatch(weka, bindingFor(cluster({ url: 'https://weka01:14000/' })))).toBe(
      undefined,
    )
  })

  it('names the address when the origin differs (another port is another cluster)', () => {
    const m = bindingMismatch(weka, { ...weka, origin: 'https://weka01:14001' })
    expect(m).toContain('https://weka01:14000')
    expect(m).toContain('https://weka01:14001')
    expect(m).toContain('Sign in again')
    expect(bindingMismatch(weka, { ...weka, origin: 'https://weka02:14000' })).toContain('address')
  })

  it('names the user, the organization, tenant, domain and vendor when they differ', () => {
    expect(bindingMismatch(weka, { ...weka, username: 'bob' })).toMatch(/user "admin".*"bob"/)
    expect(bindingMismatch(weka, { ...weka, org: 'eng' })).toMatch(/organization Root.*"eng"/)
    expect(bindingMismatch({ ...weka, org: 'eng' }, { ...weka, org: 'ops' })).toMatch(
      /organization "eng".*"ops"/,
    )
    const swarm: CredentialBinding = { ...weka, vendor: 'swarm', tenant: 't1', domain: 'd1' }
    expect(bindingMismatch(swarm, { ...swarm, tenant: 't2' })).toMatch(/tenant "t1".*"t2"/)
    expect(bindingMismatch(swarm, { ...swarm, domain: 'd2' })).toMatch(/domain "d1".*"d2"/)
    expect(bindingMismatch(weka, { ...weka, vendor: 'qumulo' })).toMatch(/vendor weka.*qumulo/)
    // Several differences are all named, in one sentence.
    const both = bindingMismatch(weka, { ...weka, username: 'bob', origin: 'https://x:1' })
    expect(both).toContain('address')
    expect(both).toContain('user')
  })

  it('is case-sensitive for users (servers are)', () => {
    expect(bindingMismatch(weka, { ...weka, username: 'Admin' })).toBeDefined()
  })
})

describe('storableCredential', () => {
  const ok: StoredCredential = { kind: 'refresh-token', value: 'r-1', binding: weka }

  it('normalises the binding', () => {
    expect(
      storableCredential({
        ...ok,
        binding: { ...weka, origin: 'https://WEKA01:14000/api', org: ' ' },
      }),
    ).toEqual(ok)
  })

  it.each<[string, unknown]>([
    ['an unknown kind', { ...ok, kind: 'password' }],
    ['an empty value', { ...ok, value: '' }],
    ['a value over the cap', { ...ok, value: 'x'.repeat(MAX_SECRET_BYTES + 1) }],
    ['no binding', { kind: 'refresh-token', value: 'v' }],
    ['a binding with an unknown field', { ...ok, binding: { ...weka, password: 'p' } }],
    ['a binding without a user', { ...ok, binding: { vendor: 'weka', origin: weka.origin } }],
    ['a binding with a bad origin', { ...ok, binding: { ...weka, origin: 'weka01' } }],
    ['an unknown vendor', { ...ok, binding: { ...weka, vendor: 'ceph' } }],
  ])('refuses %s with INVALID_INPUT and no value in the message', (_what, credential) => {
    let error: unknown
    try {
      storableCredential(credential as StoredCredential)
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ code: 'INVALID_INPUT' })
    expect((error as Error).message).not.toContain('r-1')
  })
})

describe('assertStorableSecret', () => {
  it('refuses empty and oversized values', () => {
    expect(() => assertStorableSecret('')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    )
    expect(() => assertStorableSecret('x'.repeat(MAX_SECRET_BYTES + 1))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    )
    expect(() => assertStorableSecret('x'.repeat(MAX_SECRET_BYTES))).not.toThrow()
  })
})

describe('envelopes', () => {
  const secret = 'eyJhbGciOiJIUzI1NiJ9.c2VrcmV0LXBheWxvYWQ.sig-tail'
  const credential: StoredCredential = {
    kind: 'refresh-token',
    value: secret,
    binding: { ...weka, org: 'eng' },
  }
  const what = 'the stored sign-in of cluster "prod-weka"'

  it('are one JSON object: version, kind, binding, secret', () => {
    const text = encodeEnvelope(credential)
    expect(JSON.parse(text)).toEqual({
      v: 1,
      kind: 'refresh-token',
      for: { vendor: 'weka', origin: 'https://weka01:14000', username: 'admin', org: 'eng' },
      secret,
    })
    expect(text.startsWith('{"v":1,"kind":"refresh-token","for":{')).toBe(true)
    expect(decodeEnvelope(text, what)).toEqual(credential)
  })

  function corrupt(stored: string): Error & { code?: string } {
    try {
      decodeEnvelope(stored, what)
    } catch (e) {
      return e as Error & { code?: string }
    }
    throw new Error('expected CONFIG_CORRUPT')
  }

  const good = JSON.parse(encodeEnvelope(credential)) as Record<string, unknown>
  it.each<[string, string, RegExp]>([
    ['not JSON', `${secret}`, /not JSON/],
    ['truncated JSON', encodeEnvelope(credential).slice(0, -3), /not JSON/],
    ['a JSON string', JSON.stringify(secret), /not a JSON object/],
    ['no version', JSON.stringify({ ...good, v: undefined }), /no format version/],
    ['a newer version', JSON.stringify({ ...good, v: 2 }), /format version 2.*Update Tokendeck/],
    ['an unknown field', JSON.stringify({ ...good, [secret]: 1 }), /damaged \(unexpected field\)/],
    ['no secret', JSON.stringify({ ...good, secret: undefined }), /damaged \(secret\)/],
    ['an empty secret', JSON.stringify({ ...good, secret: '' }), /damaged \(secret\)/],
    ['an unknown kind', JSON.stringify({ ...good, kind: 'access-token' }), /damaged \(kind\)/],
    [
      'a binding field of the wrong type',
      JSON.stringify({ ...good, for: { ...weka, username: 7 } }),
      /damaged \(for\.username\)/,
    ],
    [
      'an origin that is not normalised',
      JSON.stringify({ ...good, for: { ...weka, origin: 'https://WEKA01:14000/api' } }),
      /damaged \(for\.origin\)/,
    ],
    [
      'an unknown binding field',
      JSON.stringify({ ...good, for: { ...weka, [secret]: 'x' } }),
      /damaged \(unexpected field in for\)/,
    ],
  ])('%s is CONFIG_CORRUPT naming the cluster, never the secret', (_what, stored, words) => {
    const e = corrupt(stored)
    expect(e.code).toBe('CONFIG_CORRUPT')
    expect(e.message).toMatch(words)
    expect(e.message).toContain('"prod-weka"')
    expect(e.message).not.toContain(secret)
    expect(e.message).not.toContain('c2VrcmV0')
    expect(e.message).toMatch(/sign in to the cluster again/i)
  })
})
