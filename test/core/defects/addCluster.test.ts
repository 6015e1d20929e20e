/**
 * Adding and re-trusting a cluster, through the IPC handlers as the window (or a compromised
 * window) calls them:
 * - a pinned fingerprint is compared with what the server presents when the cluster is added;
 * - a URL with a user name or password in it is refused, without repeating it;
 * - a plain web server or another vendor's cluster is refused, naming what it looks like;
 * - a re-trust (or a trust change through clusters:update) is accepted only for the certificate
 *   main itself saw the cluster present in its probe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../sim/common/clock'
import { createCertificate } from '../../sim/common/certificate'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { startQumuloSim, type QumuloSim } from '../../sim/qumulo'
import { startSwarmSim, type SwarmSim } from '../../sim/swarm'
import { startHostileServer, type HostileServer } from '../../security/hostileServer'
import { startCoreHarness, type CoreHarness } from '../harness'

type Failure = { ok: false; error: { code: string; message: string } }

describe('adding and trusting clusters', () => {
  let weka: WekaSim
  let qumulo: QumuloSim
  let swarm: SwarmSim
  let web: HostileServer
  let h: CoreHarness
  let otherFingerprint: string

  beforeAll(async () => {
    ;[weka, qumulo, swarm] = await Promise.all([startWekaSim(), startQumuloSim(), startSwarmSim()])
    // A plain web server: a page for every path, as nginx's welcome page would be.
    web = await startHostileServer(() => ({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html><body><h1>Welcome to nginx!</h1></body></html>',
    }))
    otherFingerprint = (await createCertificate({ commonName: 'someone.else.test' })).fingerprint
    h = await startCoreHarness(systemClock)
  })
  afterAll(async () => {
    await h?.close()
    await Promise.all([weka?.close(), qumulo?.close(), swarm?.close(), web?.close()])
  })

  const invoke = (channel: string, input: unknown) => h.core.dispatcher.invoke(channel, input)
  const add = (draft: Record<string, unknown>) =>
    invoke('clusters:add', { username: 'admin', ...draft })
  const names = () => h.core.registry.list().map((c) => c.name)

  it('a wrong pinned fingerprint is refused at add time, naming both fingerprints', async () => {
    const r = (await add({
      vendor: 'weka',
      name: 'wrong-pin',
      url: weka.url,
      trust: { sha256: otherFingerprint },
    })) as Failure
    expect(r.ok).toBe(false)
    expect(r.error.code).toBe('INVALID_INPUT')
    expect(r.error.message).toContain(`You gave the fingerprint ${otherFingerprint}`)
    expect(r.error.message).toContain(`presents ${weka.fingerprint}`)
    expect(r.error.message).not.toMatch(/has changed since you trusted it/)
    expect(names()).not.toContain('wrong-pin')

    const right = await add({
      vendor: 'weka',
      name: 'right-pin',
      url: weka.url,
      trust: { sha256: weka.fingerprint },
    })
    expect(right.ok).toBe(true)
  })

  it('a URL with a user name or password is refused everywhere, and the password is not repeated', async () => {
    const port = new URL(weka.url).port
    const url = `https://admin:Hunter2-Secret@127.0.0.1:${port}`
    for (const [channel, input] of [
      ['clusters:probe', { url }],
      [
        'clusters:add',
        {
          vendor: 'weka',
          name: 'userinfo',
          url,
          username: 'admin',
          trust: { sha256: weka.fingerprint },
        },
      ],
      [
        'clusters:add',
        {
          vendor: 'weka',
          name: 'userinfo2',
          url: `https://admin@127.0.0.1:${port}`,
          username: 'admin',
          trust: { sha256: weka.fingerprint },
        },
      ],
    ] as const) {
      const r = (await invoke(channel, input)) as Failure
      expect(r.ok).toBe(false)
      expect(r.error.code).toBe('INVALID_INPUT')
      expect(r.error.message).toMatch(/must not contain a user name or password/)
      expect(r.error.message).not.toContain('Hunter2-Secret')
      // In the user's words: no channel name, no schema text.
      expect(r.error.message).not.toMatch(/clusters:|invalid input for/)
    }
    expect(names()).not.toContain('userinfo')
  })

  it.each([
    ['qumulo', 'a WEKA', () => weka, 'looks like WEKA, not Qumulo'],
    ['weka', 'a Qumulo', () => qumulo, 'looks like Qumulo, not WEKA'],
    ['weka', 'a Swarm', () => swarm, 'looks like Swarm, not WEKA'],
    ['swarm', 'a Qumulo', () => qumulo, 'looks like Qumulo, not Swarm'],
  ] as const)(
    'adding as %s what is %s cluster says what it looks like',
    async (vendor, _what, sim, words) => {
      const s = sim()
      const r = (await add({
        vendor,
        name: `wrong-vendor-${vendor}`,
        url: s.url,
        trust: { sha256: s.fingerprint },
      })) as Failure
      expect(r.ok).toBe(false)
      expect(r.error.code).toBe('INVALID_INPUT')
      expect(r.error.message).toContain(words)
      expect(names()).not.toContain(`wrong-vendor-${vendor}`)
    },
  )

  it.each(['weka', 'qumulo', 'swarm'] as const)(
    'a plain web server is not a %s cluster',
    async (vendor) => {
      const r = (await add({
        vendor,
        name: `web-${vendor}`,
        url: web.url,
        trust: { sha256: web.fingerprint },
      })) as Failure
      expect(r.ok).toBe(false)
      expect(r.error.code).toBe('INVALID_INPUT')
      expect(r.error.message).toMatch(/does not look like a (WEKA|Qumulo|Swarm) cluster/)
      // Nothing from the page reaches the message.
      expect(r.error.message).not.toContain('nginx')
    },
  )

  it('each vendor is accepted as itself; an unreachable cluster is added unchecked', async () => {
    for (const [vendor, s] of [
      ['qumulo', qumulo],
      ['swarm', swarm],
    ] as const) {
      const r = await add({
        vendor,
        name: `ok-${vendor}`,
        url: s.url,
        trust: { sha256: s.fingerprint },
      })
      expect(r.ok, JSON.stringify(r)).toBe(true)
    }
    const gone = await startWekaSim()
    const url = gone.url
    await gone.close()
    const r = await add({
      vendor: 'weka',
      name: 'down-now',
      url,
      trust: { sha256: otherFingerprint },
    })
    expect(r.ok).toBe(true)
  })

  it('re-trust accepts only the certificate main saw in its own probe', async () => {
    const rotating = await startWekaSim()
    try {
      const added = (await add({
        vendor: 'weka',
        name: 'rotating',
        url: rotating.url,
        trust: { sha256: rotating.fingerprint },
      })) as { ok: true; value: { cluster: { id: string } } }
      const clusterId = added.value.cluster.id
      const oldPin = rotating.fingerprint
      const newPin = await rotating.rotateCertificate()

      // A fingerprint main never saw (a compromised window, a typo) is refused, whatever door.
      const forged = (await invoke('clusters:retrust', {
        clusterId,
        sha256: otherFingerprint,
      })) as Failure
      expect(forged.ok).toBe(false)
      expect(forged.error.code).toBe('INVALID_INPUT')
      expect(forged.error.message).toContain(`presents ${newPin}`)
      const sideDoor = (await invoke('clusters:update', {
        clusterId,
        patch: { trust: { sha256: otherFingerprint } },
      })) as Failure
      expect(sideDoor.ok).toBe(false)
      expect(h.core.registry.get(clusterId).trust).toEqual({ sha256: oldPin })

      // What the window showed from clusters:probe is accepted.
      const probed = (await invoke('clusters:probe', { url: rotating.url })) as {
        ok: true
        value: { sha256: string }
      }
      expect(probed.value.sha256).toBe(newPin)
      const trusted = await invoke('clusters:retrust', { clusterId, sha256: newPin })
      expect(trusted.ok).toBe(true)
      expect(h.core.registry.get(clusterId).trust).toEqual({ sha256: newPin })
    } finally {
      await rotating.close()
    }
  })
})
