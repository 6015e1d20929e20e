/**
 * "Copy as…" through the real handler table, against the three simulators: what lands on the
 * clipboard works when pasted — the export line and the curl command run through a real
 * `bash -c`, the curl command with the real curl, trusting the pinned certificate through the
 * PEM kept in the data directory — the reply never holds the token, and every format is cleared
 * from the clipboard exactly like the bare token.
 */
import { X509Certificate } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startQumuloSim, type QumuloSim } from '../../sim/qumulo'
import { startSwarmSim, type SwarmSim } from '../../sim/swarm'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { caFilePath } from '../../../src/main/core/clipboard/caFile'
import { shellQuote } from '../../../src/main/core/clipboard/copyFormats'
import { systemClock } from '../../../src/main/core/time'
import type { CopyFormat } from '../../../src/shared/contract'
import { startCoreHarness, type CoreHarness } from '../harness'
import { bash, curlMissingReason, toolMissingReason } from '../../support/tools'

const curlMissing = await curlMissingReason()
const bashMissing = await toolMissingReason('bash')

describe.skipIf(bashMissing)(
  `shell quoting${bashMissing ? ` — SKIPPED: ${bashMissing}` : ''}`,
  () => {
    it.each([
      'plain-token.123',
      "it's",
      '$(touch /tmp/tokendeck-pwned) `id` $HOME ${PATH}',
      'a b\tc\nd',
      "''\\'\"",
      '!event* ?[x] ~user',
      '',
    ])('a word survives bash unchanged: %j', async (word) => {
      const r = await bash(`printf %s ${shellQuote(word)}`)
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toBe(word)
    })
  },
)

const skip = curlMissing ?? bashMissing
describe.skipIf(skip)(`Copy as… against the simulators${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let weka: WekaSim
  let qumulo: QumuloSim
  let swarm: SwarmSim
  let h: CoreHarness
  const timers: Array<{ fn: () => void; cancelled: boolean }> = []
  const ids: Record<'weka' | 'qumulo' | 'swarm', string> = { weka: '', qumulo: '', swarm: '' }

  const live = (vendor: keyof typeof ids): string[] => {
    if (vendor === 'weka') return weka.state.issuedSecrets()
    if (vendor === 'qumulo') return qumulo.state.issuedSecrets()
    return swarm.state.liveTokens().map((t) => t.id)
  }

  async function add(draft: Record<string, unknown>, password: string): Promise<string> {
    const added = await h.core.dispatcher.invoke('clusters:add', draft)
    if (!added.ok) throw new Error(added.error.message)
    const id = (added.value as { cluster: { id: string } }).cluster.id
    const signed = await h.core.dispatcher.invoke('session:signIn', { clusterId: id, password })
    if (!signed.ok) throw new Error(signed.error.message)
    return id
  }

  async function copyAs(vendor: keyof typeof ids, format: CopyFormat) {
    const reply = await h.core.dispatcher.invoke('session:copyAs', {
      clusterId: ids[vendor],
      format,
    })
    expect(reply.ok, JSON.stringify(reply)).toBe(true)
    const text = h.clipboard.readText()
    // The reply names how long it stays; the token is on the clipboard only.
    for (const secret of live(vendor)) expect(JSON.stringify(reply)).not.toContain(secret)
    return { reply, text }
  }

  beforeAll(async () => {
    weka = await startWekaSim()
    qumulo = await startQumuloSim()
    swarm = await startSwarmSim()
    h = await startCoreHarness(systemClock, {
      clipboardTimers: {
        setTimeout: (fn) => {
          const t = { fn, cancelled: false }
          timers.push(t)
          return t
        },
        clearTimeout: (t) => void ((t as { cancelled: boolean }).cancelled = true),
      },
    })
    ids.weka = await add(
      {
        vendor: 'weka',
        name: 'Copy WEKA',
        url: weka.url,
        username: 'admin',
        trust: { sha256: weka.fingerprint },
      },
      'WekaSim-Admin-7341',
    )
    ids.qumulo = await add(
      {
        vendor: 'qumulo',
        name: 'Copy Qumulo',
        url: qumulo.url,
        username: 'admin',
        trust: { sha256: qumulo.fingerprint },
      },
      'Qumulo-Admin-Demo-1',
    )
    ids.swarm = await add(
      {
        vendor: 'swarm',
        name: 'Copy Swarm',
        url: swarm.url,
        username: 'acmeadmin',
        tenant: 'acme',
        domain: 'docs.acme.example',
        trust: { sha256: swarm.fingerprint },
      },
      'acme-admin-demo',
    )
  })
  afterAll(async () => {
    await h?.close()
    await weka?.close()
    await qumulo?.close()
    await swarm?.close()
  })

  it.each(['weka', 'qumulo', 'swarm'] as const)(
    '%s: the export line, run by bash, sets the variables `tokendeck exec` sets',
    async (vendor) => {
      const { text } = await copyAs(vendor, 'export')
      const r = await bash(
        `${text}\nprintf '%s\\n%s' "$TOKENDECK_ACCESS_TOKEN" "\${TOKENDECK_COOKIE-unset}"`,
      )
      expect(r.code, r.stderr).toBe(0)
      const [token, cookie] = r.stdout.split('\n')
      expect(live(vendor)).toContain(token)
      expect(cookie).toBe(vendor === 'swarm' ? `token=${token}` : 'unset')
    },
  )

  it.each(['weka', 'qumulo', 'swarm'] as const)(
    '%s: the curl command, run by bash, gets 200 from the identity endpoint, trusting the pinned certificate',
    async (vendor) => {
      const { reply, text } = await copyAs(vendor, 'curl')
      expect(reply).toMatchObject({ ok: true, value: { copied: true, clearsInSeconds: 30 } })
      const pem = caFilePath(h.dataDir, ids[vendor])
      expect(text).toContain(`--cacert ${shellQuote(pem)}`)
      const sim = { weka, qumulo, swarm }[vendor]
      expect(new X509Certificate(readFileSync(pem)).fingerprint256).toBe(sim.fingerprint)
      expect(statSync(pem).mode & 0o777).toBe(0o644)
      const r = await bash(`${text} -w '\\n%{http_code}'`)
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout.trim().split('\n').at(-1)).toBe('200')
    },
  )

  it.each([
    ['weka', /^Authorization: Bearer \S+$/],
    ['qumulo', /^Authorization: Bearer \S+$/],
    ['swarm', /^Cookie: token=\S+$/],
  ] as const)(
    '%s: the header is the one the vendor takes, and curl -H gets in with it',
    async (vendor, shape) => {
      const { text } = await copyAs(vendor, 'header')
      expect(text).toMatch(shape)
      const { text: command } = await copyAs(vendor, 'curl')
      const url = /'?(https:\/\/[^' ]+)'?$/.exec(command)![1]!
      const pem = caFilePath(h.dataDir, ids[vendor])
      const r = await bash(
        `curl -sS --fail-with-body --cacert ${shellQuote(pem)} -H ${shellQuote(text)} ${shellQuote(url)}`,
      )
      expect(r.code, r.stderr).toBe(0)
    },
  )

  it.each(['token', 'header', 'export', 'curl'] as const)(
    'the %s copy is cleared when its time is up, and a value the user copied since is left alone',
    async (format) => {
      timers.length = 0
      await copyAs('qumulo', format)
      expect(h.clipboard.readText()).not.toBe('')
      timers.filter((t) => !t.cancelled).forEach((t) => t.fn())
      expect(h.clipboard.readText()).toBe('')

      timers.length = 0
      await copyAs('qumulo', format)
      h.clipboard.writeText('the user’s own text', { sensitive: false })
      timers.filter((t) => !t.cancelled).forEach((t) => t.fn())
      expect(h.clipboard.readText()).toBe('the user’s own text')
    },
  )

  it('refuses an unknown format with words, and copies nothing', async () => {
    h.clipboard.writeText('before', { sensitive: false })
    const r = await h.core.dispatcher.invoke('session:copyAs', {
      clusterId: ids.weka,
      format: 'python',
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect((r as { error: { message: string } }).error.message).toMatch(/copy format/)
    expect(h.clipboard.readText()).toBe('before')
  })
})
