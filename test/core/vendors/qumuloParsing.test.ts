/**
 * The Qumulo client's pure helpers: lossless JSON for 23-digit ids (docs/protocols/qumulo.md §3.2), RFC 3339
 * with nine fractional digits, and qq's identity-string grammar (docs/protocols/qumulo.md §5). No network.
 */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { HttpResponse } from '../../../src/main/core/http'
import {
  TokenList,
  formatRequestTime,
  parseIdentityString,
  parseQumuloJson,
  parseRfc3339,
  quoteUnsafeIntegers,
} from '../../../src/main/core/vendors/qumulo/schemas'

const reply = (text: string): HttpResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(text),
  endpoint: 'GET /v1/auth/access-tokens/',
  host: 'q1:8000',
  receivedAt: 0,
})

describe('lossless ids', () => {
  it('a bare 23-digit id in the JSON reaches us digit for digit', () => {
    const id = '19021525077776428364118'
    const text = `{"entries":[{"id":${id},"user":{"auth_id":1002,"name":"svc"},"creation_time":"2022-12-06T01:14:39.56621474Z","expiration_time":null,"enabled":true}],"paging":{"next":""}}`
    expect(String(JSON.parse(text).entries[0].id)).not.toBe(id)
    const list = parseQumuloJson(reply(text), TokenList)
    expect(list.entries[0]!.id).toBe(id)
    expect(list.entries[0]!.user.auth_id).toBe('1002')
  })

  it('leaves strings, decimals, small numbers and look-alikes inside strings alone', () => {
    const text =
      '{"a":"12345678901234567890","b":1.5e300,"c":-123,"d":"x\\"99999999999999999999","e":[99999999999999999999,-99999999999999999999]}'
    expect(quoteUnsafeIntegers(text)).toBe(
      '{"a":"12345678901234567890","b":1.5e300,"c":-123,"d":"x\\"99999999999999999999","e":["99999999999999999999","-99999999999999999999"]}',
    )
    expect(quoteUnsafeIntegers('{"x": 123456789012345}')).toBe('{"x": 123456789012345}')
  })

  it('a malformed body is BAD_RESPONSE naming the endpoint, without quoting the body', () => {
    expect(() =>
      parseQumuloJson(
        reply('{"entries": [{"id": "1", "user": {}, "creation_time": "yesterday"}]}'),
        TokenList,
      ),
    ).toThrow(/GET \/v1\/auth\/access-tokens\/.*shape/)
    expect(() =>
      parseQumuloJson(reply('{"bearer_token": "access-v1:SECRET'), z.object({})),
    ).toThrow(/malformed/)
    try {
      parseQumuloJson(reply('{"bearer_token": "access-v1:SECRET'), z.object({}))
    } catch (e) {
      expect((e as Error).message).not.toContain('SECRET')
    }
  })
})

describe('time', () => {
  it('reads nine fractional digits and offsets; writes isoformat() with +00:00', () => {
    expect(parseRfc3339('2022-12-06T01:14:39.56621474Z')).toBe(
      Date.UTC(2022, 11, 6, 1, 14, 39, 566),
    )
    expect(parseRfc3339('2023-01-01T00:00:00Z')).toBe(Date.UTC(2023, 0, 1))
    expect(parseRfc3339('2024-01-20T12:00:00+02:00')).toBe(Date.UTC(2024, 0, 20, 10))
    expect(parseRfc3339('2024-02-30T00:00:00Z')).toBeUndefined()
    expect(parseRfc3339('2024-01-20 12:00')).toBeUndefined()
    expect(formatRequestTime(Date.UTC(2024, 0, 20, 12))).toBe('2024-01-20T12:00:00+00:00')
    expect(formatRequestTime(Date.UTC(2024, 0, 20, 12, 0, 0, 250))).toBe(
      '2024-01-20T12:00:00.250+00:00',
    )
  })
})

describe('identity strings (docs/protocols/qumulo.md §5)', () => {
  it('parses every documented form', () => {
    const ok = (s: string) => {
      const p = parseIdentityString(s)
      if (!p.ok) throw new Error(p.why)
      return { ...p.identity, ...(p.group ? { group: true } : {}) }
    }
    expect(ok(' jane ')).toEqual({ name: 'jane' })
    expect(ok('AD\\jane')).toEqual({ name: 'AD\\jane' })
    expect(ok('jane@corp.example.com')).toEqual({ name: 'jane@corp.example.com' })
    expect(ok('ad:jane')).toEqual({ domain: 'ACTIVE_DIRECTORY', name: 'jane' })
    expect(ok('LOCAL: jane')).toEqual({ domain: 'LOCAL', name: 'jane' })
    expect(ok('ldap_user:bob')).toEqual({ domain: 'POSIX_USER', name: 'bob' })
    expect(ok('ldap_group:g')).toEqual({ domain: 'POSIX_GROUP', name: 'g', group: true })
    expect(ok('world:Everyone')).toEqual({ domain: 'WORLD', name: 'Everyone', group: true })
    expect(ok('auth_id:0x10')).toEqual({ auth_id: '16' })
    expect(ok('auth_id:12345678901234567890123')).toEqual({ auth_id: '12345678901234567890123' })
    expect(ok('SID:S-1-1-0')).toEqual({ sid: 'S-1-1-0' })
    expect(ok('S-1-5-21-1-2-3-1001')).toEqual({ sid: 'S-1-5-21-1-2-3-1001' })
    expect(ok('uid:1001')).toEqual({ uid: 1001 })
    expect(ok('gid:2001')).toEqual({ gid: 2001, group: true })
    expect(ok('name:x')).toEqual({ name: 'x' })
    for (const bad of ['', 'a:b:c', 'foo:bar', 'uid:x', 'auth_id:12z', 'local:'])
      expect(parseIdentityString(bad).ok).toBe(false)
  })
})
