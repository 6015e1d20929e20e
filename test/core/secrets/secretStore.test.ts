import { describe, expect, it } from 'vitest'
import {
  SECRET_KINDS,
  accountsOfCluster,
  assertStorableSecret,
  MAX_SECRET_BYTES,
  parseSecretAccount,
  secretAccount,
} from '../../../src/main/core/secrets/secretStore'

describe('account names', () => {
  it('are `${clusterId}:${kind}` with an optional qualifier, and parse back', () => {
    expect(secretAccount({ clusterId: 'prod-weka', kind: 'refresh-token' })).toBe(
      'prod-weka:refresh-token',
    )
    expect(secretAccount({ clusterId: 'lab', kind: 's3-secret', qualifier: 'AKIA.1' })).toBe(
      'lab:s3-secret:AKIA.1',
    )
    for (const kind of SECRET_KINDS) {
      expect(parseSecretAccount(secretAccount({ clusterId: 'c', kind }))).toEqual({
        clusterId: 'c',
        kind,
      })
    }
    expect(parseSecretAccount('lab:s3-secret:AKIA.1')).toEqual({
      clusterId: 'lab',
      kind: 's3-secret',
      qualifier: 'AKIA.1',
    })
  })

  it('parse parts, probes and foreign entries as not-a-secret', () => {
    for (const a of [
      'c:refresh-token#1',
      '.probe:123',
      'c:unknown-kind',
      'Upper:refresh-token',
      'c',
      'c:s3-secret:a:b',
    ]) {
      expect(parseSecretAccount(a)).toBeUndefined()
    }
  })

  it('refuse ids and qualifiers that would break the scheme', () => {
    expect(() => secretAccount({ clusterId: 'a:b', kind: 'refresh-token' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    )
    expect(() => secretAccount({ clusterId: 'c', kind: 's3-secret', qualifier: 'a#1' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    )
    expect(() => secretAccount({ clusterId: 'c', kind: 'password' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    )
  })

  it('accountsOfCluster takes a cluster’s secrets and parts, not a neighbour sharing its prefix', () => {
    const accounts = [
      'a:refresh-token',
      'a:refresh-token#1',
      'a:s3-secret:K',
      'a-2:refresh-token',
      'b:session-token',
      '.probe:x',
    ]
    expect(accountsOfCluster(accounts, 'a')).toEqual([
      'a:refresh-token',
      'a:refresh-token#1',
      'a:s3-secret:K',
    ])
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
