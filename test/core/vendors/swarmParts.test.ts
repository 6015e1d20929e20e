// Pure parts of the Swarm client: the S3 secret generator, the login-name rules and the wire
// parsers (docs/protocols/swarm.md §1, docs/protocols/swarm.md §2.1, docs/protocols/swarm.md §2.2, docs/protocols/swarm.md §2.3).
import { describe, expect, it } from 'vitest'
import { swarmLoginName } from '../../../src/main/core/vendors/swarm/client'
import { generateS3Secret, S3_SECRET_ALPHABET } from '../../../src/main/core/vendors/swarm/s3Secret'
import {
  clearsCookie,
  issuedToken,
  isTokenValue,
  lifepointExpiry,
} from '../../../src/main/core/vendors/swarm/schemas'

describe('generateS3Secret', () => {
  it('makes 64 alphanumerics from node:crypto by default, different each time', () => {
    const a = generateS3Secret()
    const b = generateS3Secret()
    expect(a).toMatch(/^[A-Za-z0-9]{64}$/)
    expect(b).toMatch(/^[A-Za-z0-9]{64}$/)
    expect(a).not.toBe(b)
  })

  it('rejects bytes >= 248 so byte % 62 is unbiased', () => {
    // 248..255 would map to the first 8 letters a second time: they must be skipped.
    const feed = [248, 255, 0, 61, 62, 247, 250, 123]
    let i = 0
    const fake = (n: number): Uint8Array =>
      Uint8Array.from({ length: n }, () => feed[i++ % feed.length] ?? 0)
    const s = generateS3Secret(fake, 5)
    const at = (k: number): string => S3_SECRET_ALPHABET[k] ?? '?'
    expect(s).toBe(at(0) + at(61) + at(0) + at(247 % 62) + at(123 % 62))
  })

  it('covers the whole alphabet evenly enough', () => {
    const counts = new Map<string, number>()
    for (let k = 0; k < 200; k++)
      for (const c of generateS3Secret()) counts.set(c, (counts.get(c) ?? 0) + 1)
    expect(counts.size).toBe(62)
    // 12 800 draws, 206 expected per character; a biased generator would skew the low letters.
    for (const n of counts.values()) expect(n).toBeGreaterThan(120)
  })

  it('gives up on a random source that never yields a usable byte', () => {
    expect(() => generateS3Secret((n) => new Uint8Array(n).fill(255))).toThrow()
  })
})

describe('swarmLoginName (docs/protocols/swarm.md §1)', () => {
  it('qualifies by tenant, then domain, else as a root user', () => {
    expect(swarmLoginName('alice', { tenant: 'Acme' })).toBe('alice+acme')
    expect(swarmLoginName('alice', { tenant: 'acme', domain: 'docs.acme.example' })).toBe(
      'alice+acme',
    )
    expect(swarmLoginName('bob', { domain: 'Docs.Acme.Example' })).toBe('bob@docs.acme.example')
    expect(swarmLoginName(' admin ', {})).toBe('admin@')
  })
  it('keeps names that are already qualified', () => {
    expect(swarmLoginName('admin@', { tenant: 'acme' })).toBe('admin@')
    expect(swarmLoginName('Jef Metdepet+or-123abcd', { domain: 'x.example' })).toBe(
      'Jef Metdepet+or-123abcd',
    )
    expect(swarmLoginName('bob@docs.acme.example', { tenant: 'acme' })).toBe(
      'bob@docs.acme.example',
    )
  })
})

describe('wire parsers', () => {
  it('reads the expiry bracket of a lifepoint (docs/protocols/swarm.md §2.3)', () => {
    expect(lifepointExpiry('[Wed, 12 Jun 2024 10:30:00 GMT] reps=2, [] delete')).toBe(
      Date.UTC(2024, 5, 12, 10, 30),
    )
    expect(lifepointExpiry('[] reps=2')).toBeNull()
    expect(lifepointExpiry('reps=2')).toBeUndefined()
    expect(lifepointExpiry('[not a date] delete')).toBeUndefined()
    expect(lifepointExpiry(undefined)).toBeUndefined()
  })

  it('takes the token from Gateway-Token, else the second word of the body (docs/protocols/swarm.md §2.1)', () => {
    const id = '2e2fdbeb1d6df787428964f3574ed4d6'
    expect(issuedToken(id, 'whatever')).toBe(id)
    expect(issuedToken(undefined, `Token ${id} issued for bob in docs`)).toBe(id)
    expect(issuedToken(undefined, '')).toBeUndefined()
    expect(issuedToken('bad value; x=y', '')).toBeUndefined()
  })

  it('accepts only cookie-safe token values', () => {
    expect(isTokenValue('8b89d382891a33f8f05f875c7086f1f3')).toBe(true)
    expect(isTokenValue('short')).toBe(false)
    expect(isTokenValue('abcdefgh; other=1')).toBe(false)
    expect(isTokenValue('abcdefgh\r\nx: y')).toBe(false)
  })

  it('recognises a cookie-deleting Set-Cookie (docs/protocols/swarm.md §2.2)', () => {
    const now = Date.UTC(2026, 0, 1)
    expect(clearsCookie('token=; Path=/; Max-Age=0', 'token', now)).toBe(true)
    expect(
      clearsCookie(['other=1', 'token=abc; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], 'token', now),
    ).toBe(true)
    expect(
      clearsCookie('token=abc; Path=/; Expires=Fri, 01 Jan 2027 00:00:00 GMT', 'token', now),
    ).toBe(false)
    expect(clearsCookie('session=; Max-Age=0', 'token', now)).toBe(false)
    expect(clearsCookie(undefined, 'token', now)).toBe(false)
  })
})
