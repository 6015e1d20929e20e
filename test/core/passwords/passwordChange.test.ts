/**
 * `session:changePassword` through the dispatcher (the path the app's window and the CLI take)
 * against the WEKA simulator: a refused change keeps nothing; a good one is a session like any
 * sign-in, stored in the keychain; the audit log says a change happened and how it ended, and no
 * file of the data directory holds either password.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../src/shared/contract'
import { auditFilePath } from '../../../src/main/core/audit'
import { systemClock } from '../../sim/common/clock'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { startCoreHarness, storedValues, type CoreHarness } from '../harness'

const OLD = 'WekaSim-Newbie-0001'
const NEW = 'Core-Changed-Newbie-5'
const WEAK = 'weakpass'

describe('session:changePassword', () => {
  let weka: WekaSim
  let h: CoreHarness

  async function call<C extends ChannelName>(
    channel: C,
    input: ChannelInput<C>,
  ): Promise<ChannelOutput<C>> {
    const r = await h.core.dispatcher.invoke(channel, input)
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code })
    return r.value as ChannelOutput<C>
  }

  beforeAll(async () => {
    weka = await startWekaSim()
    h = await startCoreHarness(systemClock)
  })
  afterAll(async () => {
    await h?.close()
    await weka?.close()
  })

  it('changes the password once, keeps the new session, and records only that it happened', async () => {
    const c = await h.core.registry.add({
      vendor: 'weka',
      name: 'Newbie WEKA',
      url: weka.url,
      username: 'newbie',
      trust: { sha256: weka.fingerprint },
    })
    await expect(call('session:signIn', { clusterId: c.id, password: OLD })).rejects.toMatchObject({
      code: 'PASSWORD_CHANGE_REQUIRED',
    })
    // Input the contract refuses is named, never quoted: the long password is not in the message.
    const long = `Long-${'x'.repeat(1100)}`
    const refused = await call('session:changePassword', {
      clusterId: c.id,
      currentPassword: OLD,
      newPassword: long,
    }).catch((e: Error & { code: string }) => e)
    expect(refused).toMatchObject({ code: 'INVALID_INPUT' })
    expect((refused as Error).message).not.toContain('xxxxxxxx')
    expect((refused as Error).message).not.toContain(OLD)
    const weak = call('session:changePassword', {
      clusterId: c.id,
      currentPassword: OLD,
      newPassword: WEAK,
    })
    await expect(weak).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await weak.catch((e: Error) => expect(e.message).not.toContain(WEAK))
    expect((await storedValues(h.core)).size).toBe(0)
    expect(h.core.sessions.state(c.id).state).not.toBe('active')

    const view = await call('session:changePassword', {
      clusterId: c.id,
      currentPassword: OLD,
      newPassword: NEW,
    })
    expect(view.session.state).toBe('active')
    expect((await storedValues(h.core)).get(c.id)).toBeTruthy()
    // One PUT per user action, and only the sign-in that asked plus the new password's.
    expect(weka.requests.filter((r) => r.method === 'PUT')).toHaveLength(2)
    expect(weka.state.loginAttempts('newbie')).toBe(2)
    // The session works: a fresh access token comes without a password.
    expect(await h.core.sessions.getAccessToken(c.id)).toBeTruthy()

    await h.core.audit.flush()
    const audit = readFileSync(auditFilePath(h.dataDir), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; outcome: string })
    const changes = audit.filter((r) => r.event === 'session:password-change')
    expect(changes.map((r) => r.outcome)).toEqual(['INVALID_INPUT', 'ok'])
    for (const file of filesUnder(h.dataDir)) {
      const text = readFileSync(file, 'utf8')
      for (const pw of [OLD, NEW, WEAK])
        expect(text.includes(pw), `${file} holds a password`).toBe(false)
    }
  })
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}
