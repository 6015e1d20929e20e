// Unit-level parsing for the WEKA client: Go durations in the lockout text, lockout detection,
// the login/refresh `data` shapes, and the best-effort JWT expiry.
import { describe, expect, it } from 'vitest'
import {
  jwtExpiry,
  lockoutRemaining,
  LoginReply,
  parseGoDuration,
} from '../../../src/main/core/vendors/weka'

describe('parseGoDuration', () => {
  it.each([
    ['1m55s', 115_000],
    ['45s', 45_000],
    ['2m', 120_000],
    ['2m0s', 120_000],
    ['1h0m0s', 3_600_000],
    ['1.5s', 1500],
    ['300ms', 300],
    ['0s', 0],
    ['0', 0],
  ])('%s → %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms)
  })

  it.each(['', 'm', '5', '1m55', 'abc', '1d', '-1s', '1m 55s'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined()
  })
})

describe('lockoutRemaining', () => {
  it('reads the REST text (docs/protocols/weka.md §2.4, Manila fixture)', () => {
    expect(
      lockoutRemaining(
        'Authentication Failed. User has been locked out for another 1m55s due to too many login attempts',
      ),
    ).toBe(115_000)
    expect(
      lockoutRemaining(
        'Authentication Failed. User has been locked out for another 45s due to too many login attempts',
      ),
    ).toBe(45_000)
  })
  it('reads the CLI wording', () => {
    expect(lockoutRemaining('User is locked out for 2 minutes')).toBe(120_000)
    expect(lockoutRemaining('locked out for 30 seconds.')).toBe(30_000)
  })
  it('null for a lockout without a readable time, undefined for anything else', () => {
    expect(lockoutRemaining('User has been locked out')).toBeNull()
    expect(lockoutRemaining('Forbidden')).toBeUndefined()
  })
})

describe('LoginReply', () => {
  const t = {
    access_token: 'a',
    token_type: 'Bearer',
    expires_in: 300,
    refresh_token: 'r',
    password_change_required: false,
  }
  it('accepts the object (real clusters) and the one-element array (docs), extra keys stripped', () => {
    expect(LoginReply.parse({ data: { ...t, extra: 1 } }).data).toEqual(t)
    expect(LoginReply.parse({ data: [t] }).data).toEqual(t)
    expect(LoginReply.parse({ data: [{ ...t, token_type: 'bearer' }] }).data.token_type).toBe(
      'bearer',
    )
  })
  it('3.14 has no password_change_required', () => {
    const { password_change_required: _, ...old } = t
    expect(LoginReply.parse({ data: old }).data.password_change_required).toBeUndefined()
  })
  it('rejects wrong shapes', () => {
    for (const bad of [
      {},
      { data: [] },
      { data: null },
      { data: { ...t, expires_in: -1 } },
      { data: { ...t, refresh_token: '' } },
    ]) {
      expect(LoginReply.safeParse(bad).success).toBe(false)
    }
  })
})

describe('jwtExpiry', () => {
  const jwt = (claims: unknown) =>
    `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`
  it('reads exp in ms', () => {
    expect(jwtExpiry(jwt({ exp: 1687432330, iat: 1655896330 }))).toBe(1687432330_000)
  })
  it('undefined for anything else', () => {
    for (const t of ['opaque', 'a.b.c', jwt({ exp: '1' }), jwt(null), jwt({})])
      expect(jwtExpiry(t)).toBeUndefined()
  })
})
