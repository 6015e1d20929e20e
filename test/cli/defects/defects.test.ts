/**
 * Defects a user met at the terminal, each run as they ran it: the real `tokendeck` CLI, one
 * process per command (one at a time: they share the keychain service), against the simulators
 * and hostile HTTPS servers on loopback.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { startQumuloSim, type QumuloSim } from '../../sim/qumulo'
import { startSwarmSim, type SwarmSim } from '../../sim/swarm'
import { createCertificate } from '../../sim/common/certificate'
import { keychainMissingReason } from '../../core/harness'
import {
  jwtLike,
  startHostileServer,
  wekaLike,
  type HostileServer,
} from '../../security/hostileServer'
import { CLI_ARGV, CliHarness, REPO_ROOT, uniqueName, type CliResult } from '../cliHarness'

const missing = keychainMissingReason()
const WEKA_ADMIN = 'WekaSim-Admin-7341'
const WEKA_NEWBIE = 'WekaSim-Newbie-0001'
const QUMULO_ADMIN = 'Qumulo-Admin-Demo-1'
const DOMAIN = 'docs.acme.example'
/** ESC, BEL, CSI and the other characters a terminal acts on. */
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/**
 * Runs a command on a pseudo-terminal (util-linux `script`), typing `typed`: how a person at a
 * terminal answers a question. stdout and stderr arrive mixed, as on a screen.
 */
function runOnTerminal(cli: CliHarness, args: string[], typed: string): Promise<CliResult> {
  const line = [process.execPath, ...CLI_ARGV, ...args].map(shellQuote).join(' ')
  const child = spawn('script', ['-qec', line, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { ...process.env, TOKENDECK_HOME: cli.home, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const started = Date.now()
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  child.stdin.end(typed)
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => {
      const result = { code, signal, stdout, stderr, ms: Date.now() - started, args }
      cli.outputs.push(result)
      resolve(result)
    })
  })
}

const hasScript = (() => {
  try {
    return readFileSync('/usr/bin/script').length > 0
  } catch {
    return false
  }
})()

describe.skipIf(missing)(`tokendeck CLI defects${missing ? ` — SKIPPED: ${missing}` : ''}`, () => {
  let weka: WekaSim
  let qumulo: QumuloSim
  let swarm: SwarmSim
  let web: HostileServer
  let cli: CliHarness
  const hostile: HostileServer[] = []
  let otherFingerprint: string

  beforeAll(async () => {
    ;[weka, qumulo, swarm] = await Promise.all([startWekaSim(), startQumuloSim(), startSwarmSim()])
    web = await startHostileServer(() => ({
      status: 404,
      headers: { 'content-type': 'text/html' },
      body: '<html><body>404 Not Found</body></html>',
    }))
    otherFingerprint = (await createCertificate({ commonName: 'other.tokendeck.test' })).fingerprint
    cli = new CliHarness()
  })
  afterAll(async () => {
    await cli?.close()
    await Promise.all([weka?.close(), qumulo?.close(), swarm?.close(), web?.close()])
    await Promise.all(hostile.map((s) => s.close()))
  })

  const addArgs = (vendor: string, name: string, url: string, user: string, fp: string) => [
    '--vendor',
    vendor,
    '--name',
    name,
    '--url',
    url,
    '--username',
    user,
    '--trust-fingerprint',
    fp,
  ]
  const listed = async () =>
    (JSON.parse((await cli.run(['clusters', 'list', '--json'])).stdout) as { name: string }[]).map(
      (c) => c.name,
    )
  const all = (r: CliResult) => r.stdout + r.stderr

  it('a WEKA account that must change its password: exit 3 with what to do, never "signed in"', async () => {
    const name = uniqueName('weka-newbie')
    await cli.add(addArgs('weka', name, weka.url, 'newbie', weka.fingerprint))
    const r = await cli.run(['login', name, '--password-stdin'], `${WEKA_NEWBIE}\n`)
    expect(r.code).toBe(3)
    expect(r.stdout).toBe('')
    expect(r.stdout + r.stderr).not.toMatch(/Signed in/)
    expect(r.stderr).toMatch(/requires it to be changed/)
    expect(r.stderr).toMatch(/WEKA web GUI/)
    expect(r.stderr).toMatch(/--new-password-stdin/)
    const j = await cli.run(['login', name, '--password-stdin', '--json'], `${WEKA_NEWBIE}\n`)
    expect(j.code).toBe(3)
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'PASSWORD_CHANGE_REQUIRED' } })
    expect((await cli.run(['status', name])).code).toBe(3)
  })

  /** alice (tenant acme, not a token admin) added and signed in on Swarm; her session token. */
  async function aliceSignedIn(prefix: string) {
    const name = uniqueName(prefix)
    await cli.add([
      ...addArgs('swarm', name, swarm.url, 'alice', swarm.fingerprint),
      '--tenant',
      'acme',
      '--domain',
      DOMAIN,
    ])
    const before = new Set(swarm.state.liveTokens().map((t) => t.id))
    const login = await cli.run(['login', name, '--password-stdin'], 'alice-demo-pw\n')
    expect(login.code, login.stderr).toBe(0)
    return { name, session: swarm.state.liveTokens().find((t) => !before.has(t.id))! }
  }

  it('clusters remove signs out on the server first and accepts --yes', async () => {
    const { name, session } = await aliceSignedIn('swarm-alice')
    expect(session.owner).toBe('alice+acme')

    const removed = await cli.run(['clusters', 'remove', name, '--yes', '--json'])
    expect(removed.code, removed.stderr).toBe(0)
    expect(JSON.parse(removed.stdout)).toMatchObject({ removed: true, signedOutOnServer: true })
    expect(swarm.state.liveTokens().some((t) => t.id === session.id)).toBe(false)
    expect(await listed()).not.toContain(name)
  })

  it("Swarm, not a token admin: tokens create --owner <self> and rotating one's own token work (no X-Owner-Meta for oneself); logout deletes the session token", async () => {
    const { name, session } = await aliceSignedIn('swarm-self')
    const before = swarm.state.liveTokens().length
    const created = await cli.run([
      'tokens',
      'create',
      name,
      '--owner',
      'alice+acme',
      '--expires-in',
      '1d',
      '--yes',
    ])
    expect(created.code, all(created)).toBe(0)
    expect(created.stderr).not.toMatch(/403|Forbidden|privilege/i)
    expect(swarm.state.liveTokens().length).toBe(before + 1)
    const listed = JSON.parse((await cli.run(['tokens', 'list', name, '--json'])).stdout) as {
      id: string
      owner: string
      isCurrentSession?: boolean
    }[]
    const own = listed.find((t) => !t.isCurrentSession && t.owner === 'alice+acme')
    expect(own, JSON.stringify(listed)).toBeDefined()
    const rotated = await cli.run(['tokens', 'rotate', name, '--id', own!.id, '--yes'])
    expect(rotated.code, all(rotated)).toBe(0)
    const after = JSON.parse((await cli.run(['tokens', 'list', name, '--json'])).stdout) as {
      id: string
      isCurrentSession?: boolean
    }[]
    expect(after.some((t) => t.id === own!.id)).toBe(false)
    expect(after.filter((t) => !t.isCurrentSession)).toHaveLength(1)

    // Signing out deletes the session token on the server (docs/protocols/swarm.md §2.4).
    expect(swarm.state.liveTokens().some((t) => t.id === session.id)).toBe(true)
    const logout = await cli.run(['logout', name])
    expect(logout.code, all(logout)).toBe(0)
    expect(swarm.state.liveTokens().some((t) => t.id === session.id)).toBe(false)
  })

  it.skipIf(!hasScript)(
    'clusters remove asks at a terminal: no keeps it, yes removes it',
    async () => {
      const name = uniqueName('weka-ask')
      await cli.add(addArgs('weka', name, weka.url, 'alice', weka.fingerprint))
      const no = await runOnTerminal(cli, ['clusters', 'remove', name], 'n\n')
      expect(all(no)).toMatch(new RegExp(`Remove ${name} \\(weka, alice at`))
      // WEKA has no server-side sign-out call: the question says so instead of promising one.
      expect(all(no)).toMatch(/A session on the server is not ended: it expires there on its own/)
      expect(no.code).toBe(1)
      expect(await listed()).toContain(name)
      const yes = await runOnTerminal(cli, ['clusters', 'remove', name], 'y\n')
      expect(yes.code, all(yes)).toBe(0)
      expect(await listed()).not.toContain(name)
    },
  )

  it('status shows the Qumulo session expiry that login printed', async () => {
    const name = uniqueName('qumulo-status')
    await cli.add(addArgs('qumulo', name, qumulo.url, 'admin', qumulo.fingerprint))
    const login = await cli.run(['login', name, '--password-stdin'], `${QUMULO_ADMIN}\n`)
    expect(login.code, login.stderr).toBe(0)
    const printed = /access token valid until (\S+)/.exec(login.stdout)?.[1]
    expect(printed).toBeDefined()
    const status = await cli.run(['status', name])
    expect(status.code, status.stderr).toBe(0)
    expect(status.stdout).toContain(`access token valid until ${printed}`)
    expect(status.stdout).toContain(`session credential valid until ${printed}`)
    const json = JSON.parse((await cli.run(['status', name, '--json'])).stdout) as {
      session: { expiresAt?: number }
      storedExpiresAt?: number
    }
    expect(json.session.expiresAt).toBeGreaterThan(Date.now() + 9 * 3600_000)
    expect(json.storedExpiresAt).toBe(json.session.expiresAt)
  })

  it('a wrong --trust-fingerprint is refused at add time: "you gave X, the server presents Y"', async () => {
    const name = uniqueName('wrong-pin')
    const r = await cli.run([
      'clusters',
      'add',
      ...addArgs('weka', name, weka.url, 'admin', otherFingerprint.toLowerCase()),
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`You gave the fingerprint ${otherFingerprint}`)
    expect(r.stderr).toContain(`presents ${weka.fingerprint}`)
    expect(await listed()).not.toContain(name)
  })

  it('a password in the URL is refused, never echoed, never stored', async () => {
    const name = uniqueName('userinfo')
    const url = `https://admin:Url-Secret-4711@127.0.0.1:${new URL(weka.url).port}`
    for (const flags of [[], ['--trust-on-first-use']]) {
      const r = await cli.run([
        'clusters',
        'add',
        ...addArgs('weka', name, url, 'admin', weka.fingerprint).slice(0, 8),
        ...(flags.length ? flags : ['--trust-fingerprint', weka.fingerprint]),
      ])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/must not contain a user name or password/)
    }
    expect(cli.leaked(['Url-Secret-4711'])).toEqual([])
    expect(await listed()).not.toContain(name)
    let file = ''
    try {
      file = readFileSync(join(cli.home, 'clusters.json'), 'utf8')
    } catch {
      // no file yet: nothing stored at all
    }
    expect(file).not.toContain('Url-Secret-4711')
  })

  it('the wrong vendor or a plain web server is refused, saying what it looks like', async () => {
    const asWeka = await cli.run([
      'clusters',
      'add',
      ...addArgs('weka', uniqueName('not-weka'), qumulo.url, 'admin', qumulo.fingerprint),
    ])
    expect(asWeka.code).toBe(2)
    expect(asWeka.stderr).toMatch(/looks like Qumulo, not WEKA/)
    const page = await cli.run([
      'clusters',
      'add',
      ...addArgs('weka', uniqueName('web'), web.url, 'admin', web.fingerprint),
    ])
    expect(page.code).toBe(2)
    expect(page.stderr).toMatch(/does not look like a WEKA cluster/)
  })

  it('a second entry for the same URL and user is added with a warning', async () => {
    const first = uniqueName('dup-a')
    const second = uniqueName('dup-b')
    await cli.add(addArgs('weka', first, weka.url, 'bob', weka.fingerprint))
    const r = await cli.run([
      'clusters',
      'add',
      ...addArgs('weka', second, `${weka.url}/`, 'bob', weka.fingerprint),
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    cli.track((JSON.parse(r.stdout) as { id: string }).id)
    expect(r.stderr).toMatch(
      new RegExp(`warning: ${first} \\(id [a-z0-9-]+\\) already signs in to`),
    )
  })

  it('server text never drives the terminal: an escaped token is refused, escaped owners are shown inert', async () => {
    const server = await startHostileServer(
      wekaLike(() => ({
        access_token: `${jwtLike()}\u001b]0;pwned\u0007\u001b[2J\nsecond-token`,
        token_type: 'Bearer',
        expires_in: 300,
        refresh_token: jwtLike(),
      })),
    )
    hostile.push(server)
    const name = uniqueName('escapes')
    await cli.add(addArgs('weka', name, server.url, 'admin', server.fingerprint))
    const login = await cli.run(['login', name, '--password-stdin'], 'Hostile-1\n')
    expect(login.code).toBe(4)
    expect(login.stderr).toMatch(/Unexpected answer/)
    expect(all(login)).not.toMatch(TERMINAL_CONTROL)

    const admin = uniqueName('swarm-admin')
    await cli.add([
      ...addArgs('swarm', admin, swarm.url, 'acmeadmin', swarm.fingerprint),
      '--tenant',
      'acme',
      '--domain',
      DOMAIN,
    ])
    const signedIn = await cli.run(['login', admin, '--password-stdin'], 'acme-admin-demo\n')
    expect(signedIn.code, signedIn.stderr).toBe(0)
    swarm.state.issueToken({
      owner: 'eve\u001b[31m+acme',
      scope: { kind: 'domain', domain: DOMAIN, tenant: 'acme' },
      description: '\u001b]0;pwned\u0007\u001b[2Jinnocent\nfake line\u009b31m',
      // Listed as x_custom_meta_source, the Description (docs/protocols/swarm.md §2.1, docs/protocols/swarm.md §2.3).
      customMeta: { source: '\u001b]0;pwned\u0007\u001b[2Jinnocent\nfake line\u009b31m' },
    })
    const list = await cli.run(['tokens', 'list', admin])
    expect(list.code, list.stderr).toBe(0)
    expect(all(list)).not.toMatch(TERMINAL_CONTROL)
    expect(list.stdout).not.toMatch(/^fake line/m)
    const rows = list.stdout.trimEnd().split('\n')
    const json = JSON.parse(
      (await cli.run(['tokens', 'list', admin, '--json'])).stdout,
    ) as unknown[]
    expect(rows).toHaveLength(json.length + 1) // the header, then one line per token
    expect(list.stdout).toContain('?]0;pwned??[2Jinnocent?fake line?31m')
  })

  it('absurd numbers from a server: expires_in 1e13 signs in and status works for every cluster; a huge Retry-After is exit 4', async () => {
    const server = await startHostileServer(
      wekaLike(() => ({
        access_token: jwtLike(),
        token_type: 'Bearer',
        expires_in: 1e13,
        refresh_token: jwtLike({ exp: 1e15 }),
      })),
    )
    hostile.push(server)
    const name = uniqueName('forever')
    await cli.add(addArgs('weka', name, server.url, 'admin', server.fingerprint))
    const login = await cli.run(['login', name, '--password-stdin'], 'Hostile-1\n')
    expect(login.code, login.stderr).toBe(0)
    expect(login.stdout).toMatch(/signed in; access token valid until \d{4}-/)
    const status = await cli.run(['status'])
    expect(status.code, status.stderr).toBe(0)
    expect(status.stdout).toContain(name)
    const statusJson = await cli.run(['status', '--json'])
    expect(statusJson.code, statusJson.stderr).toBe(0)
    expect((JSON.parse(statusJson.stdout) as unknown[]).length).toBeGreaterThan(3)

    const wekaName = uniqueName('weka-503')
    await cli.add(addArgs('weka', wekaName, weka.url, 'admin', weka.fingerprint))
    weka.faults.enable('serverError', {
      match: /\/login$/,
      status: 503,
      retryAfterSeconds: 99_999_999_999_999,
      times: 1,
    })
    const busy = await cli.run(['login', wekaName, '--password-stdin', '--json'], `${WEKA_ADMIN}\n`)
    weka.faults.clear()
    expect(busy.code).toBe(4)
    const error = (JSON.parse(busy.stdout) as { error: { code: string; retryAt: number } }).error
    expect(error.code).toBe('SERVER_ERROR')
    expect(error.retryAt - Date.now()).toBeLessThanOrEqual(3600_000)
  })

  it('errors speak the user’s terms, with the right codes', async () => {
    const name = uniqueName('words')
    await cli.add(addArgs('weka', name, weka.url, 'admin', weka.fingerprint))
    const zero = await cli.run(['tokens', 'create', name, '--expires-in', '0d', '--yes'])
    expect(zero.code).toBe(2)
    expect(zero.stderr).toMatch(/--expires-in 0d is too short: a token must live at least 1 minute/)
    expect(zero.stderr).not.toMatch(/tokens:|>=|Too small|expected number/)

    for (const [what, token] of [
      ['header-invalid', `${jwtLike()}\r\nX-Evil: 1`],
      ['70 KB', 'A'.repeat(70 * 1024)],
    ]) {
      const server = await startHostileServer(
        wekaLike(() => ({
          access_token: token,
          token_type: 'Bearer',
          expires_in: 300,
          refresh_token: jwtLike(),
        })),
      )
      hostile.push(server)
      const bad = uniqueName('bad-token')
      await cli.add(addArgs('weka', bad, server.url, 'admin', server.fingerprint))
      const r = await cli.run(['login', bad, '--password-stdin', '--json'], 'Hostile-1\n')
      expect(r.code, `${what}: ${r.stderr}`).toBe(4)
      expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'BAD_RESPONSE' } })
      expect(r.stderr).not.toMatch(/Could not reach/)
    }
  })

  it('never printed a password', () => {
    expect(
      cli.leaked([WEKA_ADMIN, WEKA_NEWBIE, QUMULO_ADMIN, 'alice-demo-pw', 'acme-admin-demo']),
    ).toEqual([])
  })
})
