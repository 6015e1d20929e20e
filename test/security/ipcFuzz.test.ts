/**
 * Every channel of the contract gets thousands of malformed inputs: wrong types, huge strings,
 * prototype-pollution keys, unknown fields, and near-valid objects built from the contract's own
 * field names. No handler may throw, crash the process, answer with a stack trace, fail with an
 * unexpected (INTERNAL) error, or hand back a secret.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNEL_NAMES } from '../../src/shared/contract'
import { ErrorCode } from '../../src/shared/model'
import { systemClock } from '../sim/common/clock'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { startCoreHarness, type CoreHarness } from '../core/harness'

const RUNS_PER_CHANNEL = 250

const fieldNames = [
  'clusterId',
  'url',
  'password',
  'currentPassword',
  'newPassword',
  'tokenId',
  'owner',
  'expiresIn',
  'expiresAt',
  'enabled',
  'description',
  's3Secret',
  'confirmed',
  'vendor',
  'name',
  'username',
  'trust',
  'sha256',
  'caPath',
  'patch',
  'target',
  'value',
  'org',
  'tenant',
  'domain',
  'clipboardClearSeconds',
  'theme',
  '__proto__',
  'constructor',
  'prototype',
  'extra',
]

const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'fuzz-weka',
    'weka',
    'qumulo',
    'swarm',
    'https://127.0.0.1:1',
    'https://127.0.0.1:9/x',
    'http://127.0.0.1',
    'https://[::1]:1',
    'javascript:alert(1)',
    '../../etc/passwd',
    '%00',
    'AB:'.repeat(31) + 'AB',
    'never',
    '\u0000',
    '__proto__',
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.string({ minLength: 5000, maxLength: 9000 }).map((s) => s.padEnd(5000, 'x')),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 5 }),
)

const nearValid = fc.dictionary(
  fc.constantFrom(...fieldNames),
  fc.oneof(hostile, fc.dictionary(fc.constantFrom(...fieldNames), hostile, { maxKeys: 4 })),
  { maxKeys: 8 },
)
const anyInput = fc.oneof(
  fc.anything({ maxDepth: 4 }),
  nearValid,
  hostile,
  fc.constant(JSON.parse('{"__proto__":{"polluted":1}}')),
)

describe('IPC fuzz', () => {
  let sim: WekaSim
  let h: CoreHarness
  const unexpected: string[] = []

  beforeAll(async () => {
    sim = await startWekaSim()
    h = await startCoreHarness(systemClock, {
      onUnexpected: (where, e) => unexpected.push(`${where}: ${String(e)}`),
    })
    const c = await h.core.registry.add({
      vendor: 'weka',
      name: 'fuzz-weka',
      url: sim.url,
      username: 'admin',
      trust: { sha256: sim.fingerprint },
    })
    await h.core.sessions.signIn(c.id, 'WekaSim-Admin-7341')
  })
  afterAll(async () => {
    await h?.close()
    await sim?.close()
  })

  it.each(CHANNEL_NAMES)(
    '%s survives malformed input',
    async (channel) => {
      await fc.assert(
        fc.asyncProperty(anyInput, async (input) => {
          const result = await h.core.dispatcher.invoke(channel, input)
          expect(typeof result.ok).toBe('boolean')
          const text = JSON.stringify(result) ?? ''
          if (!result.ok) {
            expect(ErrorCode.options).toContain(result.error.code)
            expect(result.error.message).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/)
            expect(result.error.message.length).toBeLessThan(2000)
          }
          for (const secret of sim.state.issuedSecrets()) {
            if (secret.length >= 8) expect(text).not.toContain(secret)
          }
        }),
        { numRuns: RUNS_PER_CHANNEL, seed: 20261123 },
      )
      expect(unexpected).toEqual([])
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    },
    60_000,
  )
})
