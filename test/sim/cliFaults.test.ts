/**
 * The fault knobs from `npm run sim`: listed by --help, applied to the simulators named by
 * --fault-on, refused in words when mistyped.
 */
import { Agent, request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { createTrustConnector } from '../../src/main/core/http/trust'
import { killAll, runTs } from './cli/child'
import type { SimsInfo } from './cli/sims'
import { parseFault } from './cli/faultArgs'

afterEach(killAll)

async function get(url: string, sha256: string): Promise<{ status: number; retryAfter?: string }> {
  const agent = new Agent({
    connect: createTrustConnector({ sha256 }, { connectTimeoutMs: 5000, host: 'sim' }),
  })
  try {
    const res = await request(url, { method: 'GET', dispatcher: agent })
    await res.body.text()
    const retryAfter = res.headers['retry-after']
    return { status: res.statusCode, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) }
  } finally {
    await agent.close()
  }
}

describe('npm run sim -- --fault', () => {
  it('--help lists every fault knob and how to aim it', async () => {
    const child = runTs('test/sim/cli.ts', ['--help'])
    expect(await child.exited).toBe(0)
    for (const word of [
      '--fault',
      'latency:ms=N',
      'serverError',
      'reset',
      'truncatedJson',
      'htmlError',
      'hang',
      'match=REGEX',
      'rate=0..1',
      'times=N',
      '--fault-on',
    ])
      expect(child.stdout()).toContain(word)
  })

  it('applies the faults to the simulators named, and only to them', async () => {
    const child = runTs('test/sim/cli.ts', [
      '--json',
      '--fault',
      'serverError:status=503,retryAfterSeconds=7',
      '--fault-on',
      'weka',
    ])
    const info = JSON.parse(await child.waitForLine(/^\{/)) as SimsInfo
    await expect.poll(() => child.stderr()).toContain('Faults on weka: serverError')
    const weka = await get(`${info.weka.url}/api/v2/healthcheck`, info.weka.fingerprint)
    expect(weka).toEqual({ status: 503, retryAfter: '7' })
    const qumulo = await get(`${info.qumulo.url}/v1/version`, info.qumulo.fingerprint)
    expect(qumulo.status).not.toBe(503)
    child.signal('SIGTERM')
    expect(await child.exited).toBe(0)
  })

  it.each([
    [['--fault', 'meltdown'], /unknown fault "meltdown"/],
    [['--fault', 'latency'], /latency needs ms=N/],
    [['--fault', 'reset:rate=2'], /probability from 0 to 1/],
    [['--fault', 'hang:color=red'], /unknown option "color"/],
    [['--fault', 'reset', '--fault-on', 'netapp'], /unknown simulator "netapp"/],
  ])('refuses %j with a usage error (exit 2)', async (args, message) => {
    const child = runTs('test/sim/cli.ts', args)
    expect(await child.exited).toBe(2)
    expect(child.stderr()).toMatch(message)
  })

  it('parses the common options', () => {
    expect(parseFault('reset:match=/login,times=3,rate=0.5')).toEqual({
      name: 'reset',
      rule: { match: /\/login/, times: 3, rate: 0.5 },
    })
  })
})
