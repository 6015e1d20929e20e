/**
 * The audit log after a full session of work on all three simulators through the dispatcher (the
 * path the app's window takes): every action recorded once, with its outcome; token ids only as
 * hashes that agree with each other; and not one secret, password or plain token id in the file.
 */
import { readFileSync, statSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditRecord } from '../../../src/shared/audit'
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../src/shared/contract'
import { auditFilePath } from '../../../src/main/core/audit'
import { asCaller } from '../../../src/main/core/audit/caller'
import { systemClock } from '../../sim/common/clock'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { startQumuloSim, type QumuloSim } from '../../sim/qumulo'
import { startSwarmSim, type SwarmSim } from '../../sim/swarm'
import { startCoreHarness, type CoreHarness } from '../harness'

const DAY = 86_400

describe('audit log', () => {
  let weka: WekaSim
  let qumulo: QumuloSim
  let swarm: SwarmSim
  let h: CoreHarness
  const used: string[] = [] // every secret and plain id the session handled

  async function call<C extends ChannelName>(
    channel: C,
    input: ChannelInput<C>,
  ): Promise<ChannelOutput<C>> {
    const r = await h.core.dispatcher.invoke(channel, input)
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code })
    return r.value as ChannelOutput<C>
  }
  const records = (): AuditRecord[] =>
    readFileSync(auditFilePath(h.dataDir), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord)

  beforeAll(async () => {
    ;[weka, qumulo, swarm] = await Promise.all([startWekaSim(), startQumuloSim(), startSwarmSim()])
    h = await startCoreHarness(systemClock)
  })
  afterAll(async () => {
    await h?.close()
    await Promise.all([weka?.close(), qumulo?.close(), swarm?.close()])
  })

  it('records each action once with who asked and how it ended, and never a secret', async () => {
    const w = await h.core.registry.add({
      vendor: 'weka',
      name: 'Audit WEKA',
      url: weka.url,
      username: 'admin',
      trust: { sha256: weka.fingerprint },
    })
    await expect(
      call('session:signIn', { clusterId: w.id, password: 'wrong-Password-1' }),
    ).rejects.toMatchObject({
      code: 'BAD_CREDENTIALS',
    })
    await call('session:signIn', { clusterId: w.id, password: 'WekaSim-Admin-7341' })
    await call('session:copyAccessToken', { clusterId: w.id })
    used.push(h.clipboard.text)
    // The tray's copy: the same service, another caller.
    await asCaller({ actor: 'tray' }, () => call('session:copyAccessToken', { clusterId: w.id }))
    const wekaToken = await call('tokens:create', {
      clusterId: w.id,
      expiresIn: DAY,
      confirmed: true,
    })
    used.push(...wekaToken.secrets.map((s) => s.value))

    const q = await h.core.registry.add({
      vendor: 'qumulo',
      name: 'Audit Qumulo',
      url: qumulo.url,
      username: 'admin',
      trust: { sha256: qumulo.fingerprint },
    })
    await call('session:signIn', { clusterId: q.id, password: 'Qumulo-Admin-Demo-1' })
    const created = await call('tokens:create', {
      clusterId: q.id,
      owner: 'alice',
      expiresIn: 30 * DAY,
      confirmed: true,
    })
    const qid = created.token.id
    used.push(qid, ...created.secrets.map((s) => s.value))
    await call('tokens:modify', {
      clusterId: q.id,
      tokenId: qid,
      expiresAt: Date.now() + 60 * DAY * 1000,
    })
    await call('tokens:modify', { clusterId: q.id, tokenId: qid, enabled: false })
    await call('tokens:modify', { clusterId: q.id, tokenId: qid, enabled: true })
    const rotated = await call('tokens:rotate', { clusterId: q.id, tokenId: qid, confirmed: true })
    used.push(rotated.token!.id, ...rotated.secrets.map((s) => s.value))
    await call('tokens:revoke', { clusterId: q.id, target: { tokenId: rotated.token!.id } })
    await call('session:signOut', { clusterId: q.id })

    const s = await h.core.registry.add({
      vendor: 'swarm',
      name: 'Audit Swarm',
      url: swarm.url,
      s3Url: swarm.s3Url,
      username: 'admin@',
      trust: { sha256: swarm.fingerprint },
    })
    await call('session:signIn', { clusterId: s.id, password: 'swarm-admin-demo' })
    const s3 = await call('tokens:create', {
      clusterId: s.id,
      s3Secret: true,
      expiresIn: DAY,
      confirmed: true,
    })
    for (const secret of s3.secrets) {
      used.push(secret.value)
      if (secret.accessKeyId) used.push(secret.accessKeyId)
      await call('clipboard:copyShownSecret', { value: secret.value })
    }
    used.push(s3.token.id)
    // WEKA last: revoking every token of our own user ends our session (sign-out recorded too).
    await call('tokens:revoke', { clusterId: w.id, target: { username: 'admin' } })
    await h.core.audit.flush()

    const all = records()
    const summary = all.map((r) => `${r.clusterName ?? '-'} ${r.event} ${r.outcome} ${r.actor}`)
    expect(summary).toEqual([
      'Audit WEKA session:sign-in BAD_CREDENTIALS app',
      'Audit WEKA session:sign-in ok app',
      'Audit WEKA copy ok app',
      'Audit WEKA copy ok tray',
      'Audit WEKA token:create ok app',
      'Audit Qumulo session:sign-in ok app',
      'Audit Qumulo token:create ok app',
      'Audit Qumulo token:expiry ok app',
      'Audit Qumulo token:disable ok app',
      'Audit Qumulo token:enable ok app',
      'Audit Qumulo token:rotate ok app',
      'Audit Qumulo token:revoke ok app',
      'Audit Qumulo session:sign-out ok app',
      'Audit Swarm session:sign-in ok app',
      'Audit Swarm token:create ok app',
      ...s3.secrets.map(() => '- copy ok app'),
      'Audit WEKA session:sign-out ok app',
      'Audit WEKA token:revoke ok app',
    ])
    expect(all.every((r) => r.pid === process.pid && r.v === 1)).toBe(true)
    expect(all.filter((r) => r.event === 'copy').map((r) => `${r.what} ${r.to}`)).toEqual([
      'access-token clipboard',
      'access-token clipboard',
      ...s3.secrets.map(() => 'shown-secret clipboard'),
    ])

    // One id, one hash, in every record about it; the rotation links the old and the new.
    const about = (event: string) => all.find((r) => r.event === event && r.vendor === 'qumulo')!
    const hash = about('token:create').token!
    expect(hash).toMatch(/^hmac-sha256:[0-9a-f]{64}$/)
    for (const e of ['token:expiry', 'token:disable', 'token:enable', 'token:rotate'])
      expect(about(e).token).toBe(hash)
    expect(about('token:rotate').newToken).toBe(about('token:revoke').token)
    expect(about('token:rotate').newToken).not.toBe(hash)
    expect(await h.core.audit.hash(qid)).toBe(hash)
    expect(new Set(all.filter((r) => r.key).map((r) => r.key)).size).toBe(1)
    expect(all.find((r) => r.event === 'token:revoke' && r.vendor === 'weka')?.user).toBe('admin')

    // Not one secret, password or plain token id.
    const text = readFileSync(auditFilePath(h.dataDir), 'utf8')
    const secrets = [
      ...used,
      ...weka.state.issuedSecrets(),
      ...qumulo.state.issuedSecrets(),
      ...swarm.state.issuedSecrets(),
      'WekaSim-Admin-7341',
      'wrong-Password-1',
      'Qumulo-Admin-Demo-1',
      'swarm-admin-demo',
    ].filter((x) => x.length >= 6)
    expect(secrets.length).toBeGreaterThan(10)
    expect(secrets.filter((x) => text.includes(x))).toEqual([])
    if (process.platform !== 'win32')
      expect(statSync(auditFilePath(h.dataDir)).mode & 0o777).toBe(0o600)
  })

  it('serves the newest records first to the Activity view, by cluster when asked', async () => {
    const all = await call('audit:recent', { limit: 3 })
    expect(all.records.map((r) => r.event)).toEqual(['token:revoke', 'session:sign-out', 'copy'])
    const weka = all.records[0]!.clusterId!
    const one = await call('audit:recent', { limit: 100, clusterId: weka })
    expect(one.records.every((r) => r.clusterId === weka)).toBe(true)
    expect(one.records.at(-1)?.outcome).toBe('BAD_CREDENTIALS')
    expect(one.notes).toEqual([])
  })
})
