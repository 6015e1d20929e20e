/**
 * `tokendeck exec` and `tokendeck cert` as a user runs them: the real CLI as a child process, the
 * simulators on loopback, real time, real curl. The command under exec is a small Node program
 * (execHarness.ts) that reports what it was given to a file, so the tests can check formats,
 * modes and that everything is gone afterwards, while tokendeck's own output is checked to hold
 * no secret. One file on purpose (see test/cli/cli.test.ts): processes using the keychain run one
 * at a time.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { constants } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { privateDirBase, privateDirPrefix } from '../../../src/main/cli/exec/privateDir'
import { keychainMissingReason } from '../../core/harness'
import { startQumuloSim, type QumuloSim } from '../../sim/qumulo'
import { TestClient } from '../../sim/qumulo/testClient'
import { startSwarmSim, type SwarmSim } from '../../sim/swarm'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { call } from '../../sim/weka/testClient'
import { curlMissingReason, runTool } from '../../support/tools'
import { CliHarness, qumuloFlags, swarmFlags, uniqueName, wekaFlags } from '../cliHarness'
import { HANG_GUARD_MS, Probe, startCli } from './execHarness'

// Each test runs several CLI processes (seconds each on a loaded 2-core machine): the default
// 30 s is a speed budget these tests do not mean to set. This only turns a hang into a failure.
vi.setConfig({ testTimeout: 2 * HANG_GUARD_MS })

const missing = keychainMissingReason()
const skipped = (what: string) => `${what}${missing ? ` — SKIPPED: ${missing}` : ''}`

const WEKA_PASSWORD = 'WekaSim-Admin-7341'
const QUMULO_PASSWORD = 'Qumulo-Admin-Demo-1'
const SWARM_PASSWORD = 'acme-admin-demo'

const curlMissing = await curlMissingReason()
const curl = (args: string[]) => runTool('curl', args)

const samePem = (a: string, b: string) =>
  new X509Certificate(a).raw.equals(new X509Certificate(b).raw)

/** How many of these secrets tokendeck printed (a count: a failure must not print them either). */
function leakCount(cli: CliHarness, secrets: string[]): number {
  return cli.leaked(secrets).length
}

/** The private directories a tokendeck process (by pid) left behind. */
function leftBehind(pid: number): string[] {
  return readdirSync(privateDirBase()).filter((n) => n.startsWith(privateDirPrefix(pid)))
}

async function addWeka(cli: CliHarness, sim: WekaSim): Promise<{ id: string; name: string }> {
  const name = uniqueName('weka')
  const id = await cli.add(wekaFlags(sim, name))
  return { id, name }
}

describe.skipIf(missing)(skipped('tokendeck exec — WEKA'), () => {
  let sim: WekaSim
  let cli: CliHarness
  let probe: Probe
  let id: string
  let name: string

  beforeAll(async () => {
    sim = await startWekaSim()
    cli = new CliHarness()
    probe = new Probe()
    ;({ id, name } = await addWeka(cli, sim))
    await cli.login(id, WEKA_PASSWORD)
  })
  afterAll(async () => {
    probe?.close()
    await cli?.close()
    await sim?.close()
  })

  it('gives the command a private auth-token.json in the weka format and the variables, removes them, and exits with its code', async () => {
    const report = probe.reportPath()
    const r = await cli.run(['exec', name, '--', ...probe.argv(report, 'exit', '7')])
    expect(r.code, r.stderr).toBe(7)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('')

    const { env, files } = probe.read(report)
    expect(env).toMatchObject({
      TOKENDECK_CLUSTER: name,
      TOKENDECK_CLUSTER_ID: id,
      TOKENDECK_CLUSTER_URL: sim.url,
      TOKENDECK_VENDOR: 'weka',
    })
    expect(env.TOKENDECK_QQ_CREDENTIALS).toBeUndefined()
    expect(env.TOKENDECK_COOKIE).toBeUndefined()

    // docs/protocols/weka.md §6: exactly access_token, refresh_token, token_type, alphabetical.
    const tokenFile = files['WEKA_TOKEN']!
    expect(env.WEKA_TOKEN).toMatch(/[/\\]auth-token\.json$/)
    const parsed = JSON.parse(tokenFile.text) as Record<string, string>
    expect(Object.keys(parsed)).toEqual(['access_token', 'refresh_token', 'token_type'])
    expect(parsed).toEqual({
      access_token: env.TOKENDECK_ACCESS_TOKEN,
      refresh_token: '',
      token_type: 'Bearer',
    })
    // Tokendeck's refresh token never reaches the file.
    const refreshTokens = sim.state
      .liveTokens('admin')
      .filter((t) => t.kind === 'refresh')
      .map((t) => t.token)
    expect(refreshTokens.length).toBeGreaterThan(0)
    for (const t of refreshTokens) expect(tokenFile.text).not.toContain(t)

    if (process.platform !== 'win32') {
      expect(tokenFile.mode).toBe(0o600)
      expect(tokenFile.dirMode).toBe(0o700)
      expect(files['TOKENDECK_CA_BUNDLE']!.mode).toBe(0o600)
    }
    // The token is live on the cluster.
    const whoami = await call(sim, 'GET', '/api/v2/users/whoami', {
      token: env.TOKENDECK_ACCESS_TOKEN!,
    })
    expect(whoami.status).toBe(200)

    // The CA bundle is the pinned certificate; curl and requests are pointed at it, nothing global.
    expect(samePem(files['TOKENDECK_CA_BUNDLE']!.text, sim.certificate)).toBe(true)
    expect(env.CURL_CA_BUNDLE).toBe(env.TOKENDECK_CA_BUNDLE)
    expect(env.REQUESTS_CA_BUNDLE).toBe(env.TOKENDECK_CA_BUNDLE)
    expect(env.SSL_CERT_FILE).toBe(process.env['SSL_CERT_FILE'])
    expect(env.NODE_EXTRA_CA_CERTS).toBe(process.env['NODE_EXTRA_CA_CERTS'])

    // All of it is gone once the command ended.
    expect(existsSync(tokenFile.dir)).toBe(false)
    expect(leakCount(cli, [...sim.state.issuedSecrets()])).toBe(0)
  })

  it('--no-ca-env leaves curl’s and requests’ own CA settings alone', async () => {
    const report = probe.reportPath()
    const r = await cli.run(['exec', '--no-ca-env', id, '--', ...probe.argv(report, 'exit', '0')])
    expect(r.code, r.stderr).toBe(0)
    const { env } = probe.read(report)
    expect(env.TOKENDECK_CA_BUNDLE).toBeDefined()
    expect(env.CURL_CA_BUNDLE).toBe(process.env['CURL_CA_BUNDLE'])
    expect(env.REQUESTS_CA_BUNDLE).toBe(process.env['REQUESTS_CA_BUNDLE'])
  })

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'forwards %s to the command, exits with 128 + its number, and removes the directory',
    async (signal) => {
      const report = probe.reportPath()
      const run = startCli(cli, ['exec', id, '--', ...probe.argv(report, 'signal', signal)])
      await run.waitForStdout(/^ready$/m)
      const dir = probe.read(report).files['WEKA_TOKEN']!.dir
      expect(existsSync(dir)).toBe(true)

      run.child.kill(signal) // to tokendeck, not to the command
      const r = await run.exited
      expect(readFileSync(`${report}.signal`, 'utf8')).toBe(signal) // the command got it, once
      expect(r.code).toBe(128 + constants.signals[signal])
      expect(existsSync(dir)).toBe(false)
      expect(leftBehind(run.pid)).toEqual([])
      expect(r.stderr).toBe('')
    },
  )

  it('a command that cannot be started exits 127 and leaves nothing behind', async () => {
    const run = startCli(cli, ['exec', id, '--', join(probe.dir, 'no-such-command')])
    const r = await run.exited
    expect(r.code).toBe(127)
    expect(r.stderr).toMatch(/no-such-command: command not found/)
    expect(leftBehind(run.pid)).toEqual([])
  })

  it('refuses options that tokendeck would take from the command unless -- comes first', async () => {
    const r = await cli.run(['exec', id, 'node', '--json', '-e', '0'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/put -- right before it/)
    const unknown = await cli.run(['exec', '--frobnicate', id, '--', 'true'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/Unknown option --frobnicate/)
  })

  it('without a command, starts $SHELL with the credentials', async () => {
    const run = startCli(cli, ['exec', id])
    run.child.stdin!.end('test -r "$WEKA_TOKEN" && echo "shell-for-$TOKENDECK_CLUSTER"; exit 5\n')
    const r = await run.exited
    expect(r.code).toBe(5)
    expect(r.stdout).toContain(`shell-for-${name}`)
    expect(r.stderr).toMatch(/Starting .* with the credentials of/)
  })

  it('never printed a secret', () => {
    expect(leakCount(cli, [WEKA_PASSWORD, ...sim.state.issuedSecrets()])).toBe(0)
  })
})

describe.skipIf(missing)(skipped('tokendeck exec — WEKA token kept fresh'), () => {
  let sim: WekaSim
  let cli: CliHarness
  let probe: Probe

  beforeAll(async () => {
    // Access tokens that live 8 s (with a 5 s refresh margin, below), and single-use refresh
    // tokens: a refresh spent behind the owner's back would sign the session out.
    sim = await startWekaSim({ accessTokenTtlSeconds: 8, refreshTokenSingleUse: true })
    cli = new CliHarness()
    probe = new Probe()
  })
  afterAll(async () => {
    probe?.close()
    await cli?.close()
    await sim?.close()
  })

  it('rewrites auth-token.json with new access tokens the cluster accepts while the command runs', async () => {
    const { id } = await addWeka(cli, sim)
    // The owner renews a token once it has less than the margin left (60 s by default, the
    // least is 5 s); no command sets it, the app's settings do, so set it in the file.
    const registry = join(cli.home, 'clusters.json')
    const file0 = JSON.parse(readFileSync(registry, 'utf8')) as {
      settings?: Record<string, unknown>
    }
    file0.settings = { ...file0.settings, refreshMarginSeconds: 5 }
    writeFileSync(registry, JSON.stringify(file0))
    await cli.login(id, WEKA_PASSWORD)
    const report = probe.reportPath()
    const run = startCli(cli, ['exec', id, '--', ...probe.argv(report, 'wait')])
    await run.waitForStdout(/^ready$/m)
    const first = probe.read(report)
    const file = first.env.WEKA_TOKEN!
    const seen = [first.env.TOKENDECK_ACCESS_TOKEN!]

    // Two renewals in a row, each one live on the cluster while the command still runs.
    for (let i = 0; i < 2; i++) {
      const fresh = await vi.waitFor(
        () => {
          const t = (JSON.parse(readFileSync(file, 'utf8')) as { access_token: string })
            .access_token
          if (seen.includes(t)) throw new Error('not renewed yet')
          return t
        },
        { timeout: HANG_GUARD_MS, interval: 50 }, // a hang guard: renewal follows the token lifetime
      )
      seen.push(fresh)
      const whoami = await call(sim, 'GET', '/api/v2/users/whoami', { token: fresh })
      expect(whoami.status).toBe(200)
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>
      expect(parsed['refresh_token']).toBe('')
      if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    }
    expect(run.child.exitCode).toBeNull()

    run.child.stdin!.end('quit\n')
    const r = await run.exited
    expect(r.code, r.stderr).toBe(0)
    expect(existsSync(file)).toBe(false)
    expect(leftBehind(run.pid)).toEqual([])

    expect(leakCount(cli, [WEKA_PASSWORD, ...sim.state.issuedSecrets()])).toBe(0)
    // The session survived: the owner kept the newest (single-use) refresh token. (Last: the
    // token command prints a token, on purpose.)
    const after = await cli.run(['token', id])
    expect(after.code, after.stderr).toBe(0)
  })
})

describe.skipIf(missing)(skipped('tokendeck exec — Qumulo and Swarm'), () => {
  let qumulo: QumuloSim
  let swarm: SwarmSim
  let cli: CliHarness
  let probe: Probe
  let qid: string
  let sid: string

  beforeAll(async () => {
    qumulo = await startQumuloSim()
    swarm = await startSwarmSim()
    cli = new CliHarness()
    probe = new Probe()
    qid = await cli.addSignedIn(qumuloFlags(qumulo, uniqueName('qumulo')), QUMULO_PASSWORD)
    sid = await cli.addSignedIn(swarmFlags(swarm, uniqueName('swarm')), SWARM_PASSWORD)
  })
  afterAll(async () => {
    probe?.close()
    await cli?.close()
    await qumulo?.close()
    await swarm?.close()
  })

  it('Qumulo: a qq credentials file in the qq login format and the bearer token', async () => {
    const report = probe.reportPath()
    const r = await cli.run(['exec', qid, '--', ...probe.argv(report, 'exit', '0')])
    expect(r.code, r.stderr).toBe(0)
    const { env, files } = probe.read(report)
    const bearer = env.TOKENDECK_ACCESS_TOKEN!
    const creds = files['TOKENDECK_QQ_CREDENTIALS']!
    // docs/protocols/qumulo.md §6: sorted keys, version 1, trailing newline.
    expect(creds.text).toBe(`{"bearer_token": ${JSON.stringify(bearer)}, "version": 1}\n`)
    if (process.platform !== 'win32') {
      expect(creds.mode).toBe(0o600)
      expect(creds.dirMode).toBe(0o700)
    }
    expect(env.WEKA_TOKEN).toBe(process.env['WEKA_TOKEN'])
    expect(env.TOKENDECK_VENDOR).toBe('qumulo')
    const client = new TestClient(qumulo)
    try {
      const who = await client.call('GET', '/v1/session/who-am-i', { token: bearer })
      expect(who.status).toBe(200)
      expect((who.body as { name: string }).name).toBe('admin')
    } finally {
      await client.close()
    }
    expect(existsSync(creds.dir)).toBe(false)
  })

  it.skipIf(curlMissing)(
    `Qumulo: curl in the command trusts the cluster through CURL_CA_BUNDLE${curlMissing ? ` — SKIPPED: ${curlMissing}` : ''}`,
    async () => {
      const r = await cli.run([
        'exec',
        qid,
        '--',
        'sh',
        '-c',
        'curl -sS -f -H "Authorization: Bearer $TOKENDECK_ACCESS_TOKEN" "$TOKENDECK_CLUSTER_URL/v1/session/who-am-i"',
      ])
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ name: 'admin' })
    },
  )

  it('Swarm: the token and a ready-made cookie, no token file', async () => {
    const report = probe.reportPath()
    const r = await cli.run(['exec', sid, '--', ...probe.argv(report, 'exit', '3')])
    expect(r.code, r.stderr).toBe(3)
    const { env, files } = probe.read(report)
    const token = env.TOKENDECK_ACCESS_TOKEN!
    expect(swarm.state.liveTokens().map((t) => t.id)).toContain(token)
    expect(env.TOKENDECK_COOKIE).toBe(`token=${token}`)
    expect(env.TOKENDECK_VENDOR).toBe('swarm')
    expect(Object.keys(files)).toEqual(['TOKENDECK_CA_BUNDLE'])
    expect(samePem(files['TOKENDECK_CA_BUNDLE']!.text, swarm.certificate)).toBe(true)
    expect(existsSync(files['TOKENDECK_CA_BUNDLE']!.dir)).toBe(false)
  })

  it('never printed a secret', () => {
    expect(
      leakCount(cli, [
        QUMULO_PASSWORD,
        SWARM_PASSWORD,
        ...qumulo.state.issuedSecrets(),
        ...swarm.state.issuedSecrets(),
      ]),
    ).toBe(0)
  })
})

describe.skipIf(missing)(skipped('tokendeck cert'), () => {
  let sim: WekaSim
  let cli: CliHarness
  let probe: Probe
  let id: string

  beforeAll(async () => {
    sim = await startWekaSim()
    cli = new CliHarness()
    probe = new Probe()
    ;({ id } = await addWeka(cli, sim))
  })
  afterAll(async () => {
    probe?.close()
    await cli?.close()
    await sim?.close()
  })

  it('prints the pinned certificate as PEM, writes it with --out (0644), and says it in --json', async () => {
    const r = await cli.run(['cert', id])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/)
    expect(samePem(r.stdout, sim.certificate)).toBe(true)

    const file = join(probe.dir, 'weka.pem')
    const w = await cli.run(['cert', id, '--out', file])
    expect(w.code, w.stderr).toBe(0)
    expect(w.stdout).toBe('')
    expect(w.stderr).toContain(sim.fingerprint)
    expect(readFileSync(file, 'utf8')).toBe(r.stdout)
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o644)

    const j = await cli.run(['cert', id, '--json'])
    expect(j.code, j.stderr).toBe(0)
    expect(JSON.parse(j.stdout)).toEqual({
      clusterId: id,
      source: 'pinned',
      sha256: sim.fingerprint,
      pem: r.stdout,
    })
  })

  it.skipIf(curlMissing)(
    `real curl --cacert <file> verifies the simulator with it${curlMissing ? ` — SKIPPED: ${curlMissing}` : ''}`,
    async () => {
      const file = join(probe.dir, 'for-curl.pem')
      expect((await cli.run(['cert', id, '--out', file])).code).toBe(0)
      const url = `https://127.0.0.1:${sim.port}/api/v2/healthcheck`
      const ok = await curl(['-sS', '--cacert', file, url])
      expect(ok.code, ok.stderr).toBe(0)
      expect(ok.stdout).toBe('"ok"')
      // The control: with the usual trust, curl refuses the self-signed certificate (60).
      const without = await curl(['-sS', url])
      expect(without.code).toBe(60)
    },
  )

  it('for a CA-file cluster, prints the certificates of the file and never a key kept beside them', async () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string
    const caFile = join(probe.dir, 'ca-with-key.pem')
    writeFileSync(caFile, `${sim.certificate.trim()}\n${key}`)
    const caId = await cli.add([
      '--vendor',
      'weka',
      '--name',
      uniqueName('weka-ca'),
      '--url',
      sim.url,
      '--username',
      'admin',
      '--ca-file',
      caFile,
    ])
    const r = await cli.run(['cert', caId])
    expect(r.code, r.stderr).toBe(0)
    expect(samePem(r.stdout, sim.certificate)).toBe(true)
    expect(r.stdout).not.toContain('PRIVATE KEY')
  })

  it('refuses once the server presents another certificate, and so does exec', async () => {
    await cli.login(id, WEKA_PASSWORD)
    const pinned = sim.fingerprint
    const file = join(probe.dir, 'kept.pem')
    expect((await cli.run(['cert', id, '--out', file])).code).toBe(0)
    const before = readFileSync(file, 'utf8')
    await sim.rotateCertificate()
    expect(sim.fingerprint).not.toBe(pinned)
    if (!curlMissing) {
      const stale = await curl(['-sS', '--cacert', file, `${sim.url}/api/v2/healthcheck`])
      expect(stale.code).toBe(60)
    }

    const r = await cli.run(['cert', id])
    expect(r.code).toBe(4)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`now presents SHA-256 ${sim.fingerprint}, you pinned ${pinned}`)
    const j = await cli.run(['cert', id, '--json'])
    expect(j.code).toBe(4)
    expect(JSON.parse(j.stdout)).toMatchObject({
      error: { code: 'TLS_PIN_MISMATCH', seenSha256: sim.fingerprint },
    })
    const w = await cli.run(['cert', id, '--out', file])
    expect(w.code).toBe(4)
    expect(readFileSync(file, 'utf8')).toBe(before)

    // exec gives a server that no longer presents the pinned certificate nothing at all,
    // though the session is signed in.
    const report = probe.reportPath()
    const e = await cli.run(['exec', id, '--', ...probe.argv(report, 'exit', '0')])
    expect(e.code).toBe(4)
    expect(e.stderr).toMatch(/Not running the command/)
    expect(existsSync(report)).toBe(false)
    expect(leakCount(cli, [WEKA_PASSWORD, ...sim.state.issuedSecrets()])).toBe(0)
  })
})
