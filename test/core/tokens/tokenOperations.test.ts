/**
 * Every token operation of every vendor through the core (sessions, keychain, vendor clients)
 * against the simulators over HTTPS, with the private keychain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../sim/common/clock'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { startQumuloSim, type QumuloSim } from '../../sim/qumulo'
import { startSwarmSim, type SwarmSim } from '../../sim/swarm'
import { startCoreHarness, storedValues, type CoreHarness } from '../harness'
import { tokenHandle } from '../../../src/main/core/vendors/swarm/client'

const DAY = 86_400

describe('token operations', () => {
  let weka: WekaSim
  let qumulo: QumuloSim
  let swarm: SwarmSim
  let h: CoreHarness

  beforeAll(async () => {
    ;[weka, qumulo, swarm] = await Promise.all([startWekaSim(), startQumuloSim(), startSwarmSim()])
    h = await startCoreHarness(systemClock)
  })
  afterAll(async () => {
    await h?.close()
    await Promise.all([weka?.close(), qumulo?.close(), swarm?.close()])
  })

  it('WEKA: generates a long-lived token shown once, then revoke-all kills it and signs this session out', async () => {
    const c = await h.core.registry.add({
      vendor: 'weka',
      name: 'weka',
      url: weka.url,
      username: 'alice',
      trust: { sha256: weka.fingerprint },
    })
    await h.core.sessions.signIn(c.id, 'WekaSim-Alice-2288')
    const created = await h.core.tokens.create({ clusterId: c.id, expiresIn: 7 * DAY })
    expect(created.secrets).toHaveLength(1)
    const longLived = created.secrets[0]!
    expect(longLived.kind).toBe('access-token')
    const record = weka.state.liveTokens('alice').find((r) => r.token === longLived.value)
    expect(record?.kind).toBe('long-lived')
    // JWT exp is whole seconds, issuedAt milliseconds.
    expect(Math.abs((record!.expiresAt - record!.issuedAt) / 1000 - 7 * DAY)).toBeLessThanOrEqual(1)
    // Nothing kept it: not the keychain, not the config file.
    expect([...(await storedValues(h.core)).values()]).not.toContain(longLived.value)

    await h.core.tokens.revoke(c.id, { username: 'alice' })
    expect(weka.state.liveTokens('alice')).toEqual([])
    expect(h.core.sessions.state(c.id).state).toBe('signed-out')
    await expect(h.core.tokens.revoke(c.id, { tokenId: 'x' })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    })
  })

  it('Qumulo: create for a user with expiry, list, change expiry, rotate, delete', async () => {
    const c = await h.core.registry.add({
      vendor: 'qumulo',
      name: 'qumulo',
      url: qumulo.url,
      username: 'admin',
      trust: { sha256: qumulo.fingerprint },
    })
    await h.core.sessions.signIn(c.id, 'Qumulo-Admin-Demo-1')
    const created = await h.core.tokens.create({
      clusterId: c.id,
      owner: 'alice',
      expiresIn: 30 * DAY,
      confirmed: true,
    })
    expect(created.secrets[0]!.value).toMatch(/^access-v1:/)
    expect(created.token.id).toMatch(/^\d{22,23}$/)
    expect(created.token.expiresAt! - Date.now()).toBeGreaterThan(29 * DAY * 1000)

    const listed = await h.core.tokens.list(c.id, 'alice')
    expect(listed.map((t) => t.id)).toContain(created.token.id)

    const newExpiry = Date.now() + 90 * DAY * 1000
    const modified = await h.core.tokens.modify(c.id, created.token.id, { expiresAt: newExpiry })
    expect(Math.abs(modified.expiresAt! - newExpiry)).toBeLessThan(1000)

    const rotated = await h.core.tokens.rotate(c.id, created.token.id, true)
    expect(rotated.steps.map((s) => [s.step, s.status])).toEqual([
      ['create', 'done'],
      ['prove', 'done'],
      ['revoke-old', 'done'],
    ])
    const after = (await h.core.tokens.list(c.id, 'alice')).map((t) => t.id)
    expect(after).not.toContain(created.token.id)
    expect(after).toContain(rotated.token!.id)

    await h.core.tokens.revoke(c.id, { tokenId: rotated.token!.id })
    expect((await h.core.tokens.list(c.id, 'alice')).map((t) => t.id)).not.toContain(
      rotated.token!.id,
    )
  })

  it('Qumulo: rotating when both slots are taken explains what to do and keeps the old token', async () => {
    const c = h.core.registry.list().find((x) => x.vendor === 'qumulo')!
    const a = await h.core.tokens.create({ clusterId: c.id, owner: 'bob', confirmed: true })
    await h.core.tokens.create({ clusterId: c.id, owner: 'bob', confirmed: true })
    const result = await h.core.tokens.rotate(c.id, a.token.id, true)
    expect(result.steps[0]).toMatchObject({ step: 'create', status: 'failed' })
    expect(result.steps[0]!.message).toMatch(/already has 2 tokens.*Delete another token/)
    expect(result.steps.slice(1).map((s) => s.status)).toEqual(['skipped', 'skipped'])
    expect((await h.core.tokens.list(c.id, 'bob')).map((t) => t.id)).toContain(a.token.id)
  })

  it('Swarm: create with an S3 secret shown once, list, rotate a plain token, delete', async () => {
    const c = await h.core.registry.add({
      vendor: 'swarm',
      name: 'swarm',
      url: swarm.url,
      s3Url: swarm.s3Url,
      username: 'admin@',
      trust: { sha256: swarm.fingerprint },
    })
    await h.core.sessions.signIn(c.id, 'swarm-admin-demo')
    const s3 = await h.core.tokens.create({
      clusterId: c.id,
      s3Secret: true,
      description: 'backup job',
      expiresIn: DAY,
      confirmed: true,
    })
    const secret = s3.secrets.find((s) => s.kind === 's3-secret')!
    expect(secret.value).toMatch(/^[A-Za-z0-9]{64}$/)
    // The listing names the token by a handle; the access key id (the token) is shown once only.
    expect(tokenHandle(secret.accessKeyId!)).toBe(s3.token.id)
    expect(JSON.stringify(await h.core.tokens.list(c.id))).not.toContain(secret.accessKeyId!)
    const listed = await h.core.tokens.list(c.id)
    expect(listed.find((t) => t.id === s3.token.id)).toMatchObject({
      description: 'backup job',
      hasS3Secret: true,
    })
    expect(JSON.stringify(listed)).not.toContain(secret.value)

    const plain = await h.core.tokens.create({
      clusterId: c.id,
      description: 'ci',
      expiresIn: DAY,
      confirmed: true,
    })
    const rotated = await h.core.tokens.rotate(c.id, plain.token.id, true)
    expect(rotated.steps.every((s) => s.status === 'done')).toBe(true)
    const ids = (await h.core.tokens.list(c.id)).map((t) => t.id)
    expect(ids).not.toContain(plain.token.id)
    expect(ids).toContain(rotated.token!.id)

    await h.core.tokens.revoke(c.id, { tokenId: s3.token.id })
    expect((await h.core.tokens.list(c.id)).map((t) => t.id)).not.toContain(s3.token.id)
  })

  it('asks capabilities, not vendor names: operations a vendor lacks are UNSUPPORTED', async () => {
    const w = h.core.registry.list().find((x) => x.vendor === 'weka')!
    await h.core.sessions.signIn(w.id, 'WekaSim-Alice-2288')
    await expect(h.core.tokens.list(w.id)).rejects.toMatchObject({ code: 'UNSUPPORTED' })
    await expect(h.core.tokens.rotate(w.id, 'x')).rejects.toMatchObject({ code: 'UNSUPPORTED' })
    const s = h.core.registry.list().find((x) => x.vendor === 'swarm')!
    await expect(h.core.tokens.modify(s.id, 'x', { expiresAt: null })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
    })
  })

  it('removing a cluster removes its secrets from the keychain', async () => {
    const q = h.core.registry.list().find((x) => x.vendor === 'qumulo')!
    expect((await storedValues(h.core)).has(q.id)).toBe(true)
    await h.core.clusters.remove(q.id)
    expect((await storedValues(h.core)).has(q.id)).toBe(false)
  })
})
