import { createServer } from 'node:net'
import { Agent, request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { createTrustConnector } from '../../src/main/core/http/trust'
import { killAll, runTs } from './cli/child'
import { adminOf, formatSims, isLoopbackHost, type SimInfo, type SimsInfo } from './cli/sims'

afterEach(killAll)

/** An undici agent that only talks to the server whose certificate has this SHA-256. */
const pinnedTo = (sha256: string) =>
  new Agent({ connect: createTrustConnector({ sha256 }, { connectTimeoutMs: 5000, host: 'sim' }) })

async function post(
  sim: SimInfo,
  path: string,
  pin: string,
  headers: Record<string, string>,
  body?: string,
) {
  const agent = pinnedTo(pin)
  try {
    const res = await request(`${sim.url}${path}`, {
      method: 'POST',
      headers,
      body,
      dispatcher: agent,
    })
    return { status: res.statusCode, text: await res.body.text() }
  } finally {
    await agent.close()
  }
}

const json = (value: unknown) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
})

describe('npm run sim', () => {
  it('--json prints one JSON object first, serves each simulator under the printed pin, stops on SIGINT', async () => {
    const child = runTs('test/sim/cli.ts', ['--json'])
    const first = await child.waitForLine(/./)
    expect(child.stdout().indexOf(first)).toBe(0)
    const info = JSON.parse(first) as SimsInfo
    for (const name of ['weka', 'qumulo', 'swarm'] as const) {
      expect(info[name].url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      expect(info[name].fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
      expect(info[name].users.length).toBeGreaterThan(1)
      expect(info[name].users.some((u) => /admin/i.test(u.role))).toBe(true)
    }
    expect(info.swarm.s3Url).toBe(info.swarm.url)
    expect(info.swarm.users.some((u) => u.tenant !== undefined && u.domain !== undefined)).toBe(
      true,
    )

    const weka = adminOf(info.weka)
    const wekaLogin = json({ username: weka.username, password: weka.password })
    expect(
      (
        await post(
          info.weka,
          '/api/v2/login',
          info.weka.fingerprint,
          wekaLogin.headers,
          wekaLogin.body,
        )
      ).status,
    ).toBe(200)

    const qumulo = adminOf(info.qumulo)
    const qumuloLogin = json({ username: qumulo.username, password: qumulo.password })
    const q = await post(
      info.qumulo,
      '/v1/session/login',
      info.qumulo.fingerprint,
      qumuloLogin.headers,
      qumuloLogin.body,
    )
    expect(q.status).toBe(200)
    expect(JSON.parse(q.text)).toHaveProperty('bearer_token')

    const swarm = adminOf(info.swarm)
    const basic = `Basic ${Buffer.from(`${swarm.username}:${swarm.password}`).toString('base64')}`
    expect(
      (await post(info.swarm, '/.TOKEN/', info.swarm.fingerprint, { authorization: basic })).status,
    ).toBe(201)

    // The pin really is checked: WEKA's fingerprint does not open Qumulo.
    await expect(
      post(
        info.qumulo,
        '/v1/session/login',
        info.weka.fingerprint,
        qumuloLogin.headers,
        qumuloLogin.body,
      ),
    ).rejects.toThrow(/certificate/)

    child.signal('SIGINT')
    expect(await child.exited).toBe(0)
    expect(child.stdout().trim().split('\n')).toHaveLength(1)
  })

  it('listens on the ports it is given and prints a readable table', async () => {
    const ports = await freePorts(3)
    const child = runTs('test/sim/cli.ts', [
      '--weka-port',
      String(ports[0]),
      '--qumulo-port',
      String(ports[1]),
      '--swarm-port',
      String(ports[2]),
    ])
    await child.waitForLine(/Serving until Ctrl-C/)
    const out = child.stdout()
    for (const port of ports) expect(out).toContain(`https://127.0.0.1:${port}`)
    expect(out).toMatch(/WekaSim-Admin-7341/)
    expect(out).toMatch(/SHA-256\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/)
    child.signal('SIGTERM')
    expect(await child.exited).toBe(0)
  })

  it.each([
    [['--host', '0.0.0.0'], /not a loopback address/],
    [['--host', '192.168.1.10'], /not a loopback address/],
    [['--weka-port', 'abc'], /port number/],
    [['--bogus'], /Unknown option/],
    [['extra'], /positional/i],
  ])('refuses %j with a usage error (exit 2)', async (args, message) => {
    const child = runTs('test/sim/cli.ts', args)
    expect(await child.exited).toBe(2)
    expect(child.stderr()).toMatch(message)
    expect(child.stderr()).toContain('Usage: npm run sim')
    expect(child.stdout()).toBe('')
  })

  it('--help prints the usage and exits 0', async () => {
    const child = runTs('test/sim/cli.ts', ['--help'])
    expect(await child.exited).toBe(0)
    expect(child.stdout()).toContain('--weka-port')
  })
})

describe('sim helpers', () => {
  it('knows loopback from everything else', () => {
    for (const h of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      'localhost',
      'LOCALHOST',
      '::ffff:127.0.0.1',
      '0:0:0:0:0:0:0:1',
    ]) {
      expect(isLoopbackHost(h), h).toBe(true)
    }
    for (const h of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '128.0.0.1',
      'example.com',
      'localhost.evil.example',
      '',
      '::2',
    ]) {
      expect(isLoopbackHost(h), h).toBe(false)
    }
  })

  it('picks the cluster-wide administrator and drops empty columns', () => {
    const sim = (users: SimInfo['users']): SimInfo => ({
      url: 'https://127.0.0.1:1',
      fingerprint: 'AA',
      users,
    })
    const swarm = sim([
      { username: 'ta+acme', password: 'p1', role: 'tenant-admin', tenant: 'acme' },
      { username: 'admin@', password: 'p2', role: 'administrator' },
    ])
    expect(adminOf(swarm).username).toBe('admin@')
    const text = formatSims({
      weka: sim([{ username: 'u', password: 'pw', role: 'Regular' }]),
      qumulo: swarm,
      swarm: { ...swarm, s3Url: 'https://127.0.0.1:1' },
    })
    expect(text.split('\n\n')[0]).not.toContain('domain')
    expect(text).toContain('S3 URL')
  })
})

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const s = createServer()
          s.listen(0, '127.0.0.1', () => resolve(s))
        }),
    ),
  )
  const ports = servers.map((s) => (s.address() as { port: number }).port)
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  return ports
}
