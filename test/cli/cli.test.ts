/**
 * The `tokendeck` CLI as a user runs it: a child process per command, with its own TOKENDECK_HOME
 * and the (private) keychain, against the WEKA, Qumulo and Swarm simulators on loopback, in real
 * time. One file on purpose: the CLI uses the app's keychain service, and keytar/libsecret crash
 * (secret_value_get_text: assertion 'value' failed) when two processes list and change that
 * service's entries at the same moment, so these processes must run one at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { startQumuloSim, type QumuloSim } from '../sim/qumulo'
import { startSwarmSim, type SwarmSim } from '../sim/swarm'
import { tokenHandle } from '../../src/main/core/vendors/swarm/client'
import { keychainMissingReason } from '../core/harness'
import { CliHarness, swarmFlags, uniqueName, wekaFlags, type CliResult } from './cliHarness'

const missing = keychainMissingReason()

const WEKA_PASSWORD = 'WekaSim-Admin-7341'

describe.skipIf(missing)(`tokendeck CLI — WEKA${missing ? ` — SKIPPED: ${missing}` : ''}`, () => {
  let sim: WekaSim
  let cli: CliHarness
  let id: string

  beforeAll(async () => {
    sim = await startWekaSim()
    cli = new CliHarness()
  })
  afterAll(async () => {
    await cli?.close()
    await sim?.close()
  })

  it('adds, signs in, prints a live token, mints a long-lived one, revokes all and reports signed out', async () => {
    const name = uniqueName('weka-prod')
    id = await cli.add([
      '--vendor',
      'weka',
      '--name',
      name,
      '--url',
      sim.url,
      '--username',
      'admin',
      '--trust-fingerprint',
      sim.fingerprint.toLowerCase(),
    ])

    const listed = await cli.run(['clusters', 'list', '--json'])
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id, name, trust: { sha256: sim.fingerprint } }),
    ])

    const attempts = sim.state.loginAttempts('admin')
    const login = await cli.run(['login', name, '--password-stdin'], `${WEKA_PASSWORD}\n`)
    expect(login.code, login.stderr).toBe(0)
    expect(sim.state.loginAttempts('admin') - attempts).toBe(1)

    // Exactly one line, the token, and one the server accepts now.
    const token = await cli.run(['token', id])
    expect(token.code, token.stderr).toBe(0)
    expect(token.stdout).toMatch(/^\S+\n$/)
    expect(token.stderr).toBe('')
    const live = sim.state.liveTokens('admin').map((r) => r.token)
    expect(live).toContain(token.stdout.trim())

    const created = await cli.run(['tokens', 'create', id, '--expires-in', '7d', '--yes'])
    expect(created.code, created.stderr).toBe(0)
    const secret = created.stdout.trim()
    expect(created.stdout).toMatch(/^\S+\n$/)
    expect(created.stderr).toMatch(/not see this again/)
    expect(created.stderr).not.toContain(secret)
    const record = sim.state.liveTokens('admin').find((r) => r.token === secret)
    expect(record).toBeDefined()
    expect(record!.expiresAt - Date.now()).toBeGreaterThan(6.9 * 86_400_000)

    const revoked = await cli.run(['tokens', 'revoke', id, '--user', 'admin', '--yes', '--json'])
    expect(revoked.code, revoked.stderr).toBe(0)
    expect(JSON.parse(revoked.stdout)).toMatchObject({
      revoked: true,
      username: 'admin',
      signedOut: true,
    })
    expect(sim.state.liveTokens('admin')).toEqual([])

    const status = await cli.run(['status', id])
    expect(status.code).toBe(3)
    expect(status.stdout).toContain('signed out')
    const statusJson = await cli.run(['status', '--json'])
    expect(statusJson.code).toBe(0)
    expect(JSON.parse(statusJson.stdout)).toEqual([
      expect.objectContaining({ clusterId: id, session: { state: 'signed-out' } }),
    ])

    const after = await cli.run(['token', id])
    expect(after.code).toBe(3)
    expect(after.stdout).toBe('')

    // Each secret was printed exactly once, and the password never.
    const everything = cli.outputs.map((o) => o.stdout + o.stderr).join('\n')
    expect(everything.split(secret).length - 1).toBe(1)
    expect(cli.leaked([WEKA_PASSWORD])).toEqual([])
  })
})

const QUMULO_PASSWORD = 'Qumulo-Admin-Demo-1'
const byBearer = (sim: QumuloSim, bearer: string) =>
  [...sim.state.accessTokens.values()].find((t) => t.bearerToken === bearer)

interface Listed {
  id: string
  owner: string
  expiresAt?: number
  hasS3Secret?: boolean
}

describe.skipIf(missing)(`tokendeck CLI — Qumulo${missing ? ` — SKIPPED: ${missing}` : ''}`, () => {
  let sim: QumuloSim
  let cli: CliHarness

  beforeAll(async () => {
    sim = await startQumuloSim()
    cli = new CliHarness()
  })
  afterAll(async () => {
    await cli?.close()
    await sim?.close()
  })

  it('adds (trust on first use), signs in, creates, lists, rotates and revokes a token for alice', async () => {
    const name = uniqueName('qumulo')
    const add = await cli.run([
      'clusters',
      'add',
      '--vendor',
      'qumulo',
      '--name',
      name,
      '--url',
      sim.url,
      '--username',
      'admin',
      '--trust-on-first-use',
    ])
    expect(add.code, add.stderr).toBe(0)
    expect(add.stderr).toContain(sim.fingerprint)
    const id = JSON.parse((await cli.run(['clusters', 'list', '--json'])).stdout)[0].id as string
    cli.track(id)

    const login = await cli.run(['login', id, '--password-stdin'], QUMULO_PASSWORD) // no newline: EOF ends the line
    expect(login.code, login.stderr).toBe(0)
    expect(sim.state.loginAttempts).toHaveLength(1)

    // A token for an administrator comes with a warning: without --yes (and no terminal) nothing is created.
    const unconfirmed = await cli.run([
      'tokens',
      'create',
      name,
      '--owner',
      'admin',
      '--expires-in',
      '30d',
    ])
    expect(unconfirmed.code).toBe(2)
    expect(unconfirmed.stderr).toMatch(/admin is an administrator/)
    expect(unconfirmed.stderr).toMatch(/--yes/)
    expect(unconfirmed.stdout).toBe('')
    expect(sim.state.accessTokens.size).toBe(0)

    const created = await cli.run([
      'tokens',
      'create',
      name,
      '--owner',
      'alice',
      '--expires-in',
      '30d',
      '--yes',
      '--json',
    ])
    expect(created.code, created.stderr).toBe(0)
    const out = JSON.parse(created.stdout) as {
      token: Listed
      secrets: { kind: string; value: string }[]
    }
    expect(out.token).toMatchObject({ owner: 'alice' })
    expect(out.token.expiresAt! - Date.now()).toBeGreaterThan(29.9 * 86_400_000)
    expect(out.secrets).toEqual([expect.objectContaining({ kind: 'access-token' })])
    expect(created.stderr).toMatch(/not see this again/)
    const oldId = out.token.id

    const list = await cli.run(['tokens', 'list', id, '--owner', 'alice', '--json'])
    expect(list.code, list.stderr).toBe(0)
    const listed = JSON.parse(list.stdout) as Listed[]
    expect(listed.map((t) => t.id)).toEqual([oldId])
    expect(list.stdout).not.toContain(out.secrets[0]!.value)

    const rotated = await cli.run(['tokens', 'rotate', id, '--id', oldId, '--yes'])
    expect(rotated.code, rotated.stderr).toBe(0)
    expect(rotated.stderr).toMatch(/create: done/)
    expect(rotated.stderr).toMatch(/prove: done/)
    expect(rotated.stderr).toMatch(/revoke-old: done/)
    const newSecret = rotated.stdout.trim()
    expect(rotated.stdout).toMatch(/^\S+\n$/)
    expect(byBearer(sim, newSecret)).toBeDefined()

    const afterRotate = JSON.parse(
      (await cli.run(['tokens', 'list', id, '--json'])).stdout,
    ) as Listed[]
    const alice = afterRotate.filter((t) => t.owner === 'alice')
    expect(alice).toHaveLength(1)
    const newId = alice[0]!.id
    expect(newId).not.toBe(oldId)

    const revoked = await cli.run(['tokens', 'revoke', id, '--id', newId, '--yes'])
    expect(revoked.code, revoked.stderr).toBe(0)
    const final = JSON.parse(
      (await cli.run(['tokens', 'list', id, '--owner', 'alice', '--json'])).stdout,
    ) as Listed[]
    expect(final).toEqual([])
    expect(byBearer(sim, newSecret)).toBeUndefined()

    // Sign-in happened once; every later command resumed the stored session.
    expect(sim.state.loginAttempts).toHaveLength(1)
    expect(cli.leaked([QUMULO_PASSWORD])).toEqual([])
  })
})

const SWARM_PASSWORD = 'acme-admin-demo'

describe.skipIf(missing)(`tokendeck CLI — Swarm${missing ? ` — SKIPPED: ${missing}` : ''}`, () => {
  let sim: SwarmSim
  let cli: CliHarness

  beforeAll(async () => {
    sim = await startSwarmSim()
    cli = new CliHarness()
  })
  afterAll(async () => {
    await cli?.close()
    await sim?.close()
  })

  it('adds a tenant admin, signs in, creates an S3 token, lists and revokes it', async () => {
    const name = uniqueName('swarm')
    const id = await cli.add(swarmFlags(sim, name, { s3: true }))

    const login = await cli.run(['login', name, '--password-stdin'], `${SWARM_PASSWORD}\r\n`)
    expect(login.code, login.stderr).toBe(0)
    expect(sim.state.loginAttempts).toEqual([
      expect.objectContaining({ username: 'acmeadmin+acme', ok: true }),
    ])

    const created = await cli.run([
      'tokens',
      'create',
      id,
      '--s3-secret',
      '--description',
      'rclone',
      '--expires-in',
      '12h',
      '--yes',
    ])
    expect(created.code, created.stderr).toBe(0)
    const keyId = /^access-key-id: (\S+)$/m.exec(created.stdout)?.[1]
    const secret = /^secret-access-key: (\S+)$/m.exec(created.stdout)?.[1]
    expect(keyId).toBeDefined()
    expect(secret).toMatch(/^[A-Za-z0-9]{64}$/)
    expect(created.stdout.trim().split('\n')).toHaveLength(2)
    expect(created.stderr).toMatch(/not see this again/)
    expect(created.stderr).not.toContain(secret!)
    expect(sim.state.tokens.get(keyId!)?.s3Secret).toBe(secret)

    const list = await cli.run(['tokens', 'list', id, '--json'])
    expect(list.code, list.stderr).toBe(0)
    const listed = JSON.parse(list.stdout) as Listed[]
    // Listings name Swarm tokens by handle: the id is the bearer secret itself.
    expect(listed.find((t) => t.id === tokenHandle(keyId!))).toMatchObject({ hasS3Secret: true })
    expect(list.stdout).not.toContain(keyId!)
    expect(list.stdout).not.toContain(secret!)
    const human = await cli.run(['tokens', 'list', id])
    expect(human.stdout).toMatch(/^ID\s+OWNER/)

    const revoked = await cli.run(['tokens', 'revoke', id, '--id', keyId!, '--yes'])
    expect(revoked.code, revoked.stderr).toBe(0)
    const after = JSON.parse((await cli.run(['tokens', 'list', id, '--json'])).stdout) as Listed[]
    expect(after.map((t) => t.id)).not.toContain(keyId)

    const everything = cli.outputs.map((o) => o.stdout + o.stderr).join('\n')
    expect(everything.split(secret!).length - 1).toBe(1)
    expect(cli.leaked([SWARM_PASSWORD])).toEqual([])
  })
})

const ERRORS_PASSWORD = 'WekaSim-Alice-2288'
const WRONG_PASSWORD = 'Wrong-Password-4711'

function expectCleanError(r: CliResult): void {
  expect(r.stderr).toMatch(/^tokendeck: /m)
  expect(r.stderr).not.toMatch(/\n\s+at /)
}

describe.skipIf(missing)(
  `tokendeck CLI — failures${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    let sim: WekaSim
    let cli: CliHarness
    let id: string

    beforeAll(async () => {
      sim = await startWekaSim()
      cli = new CliHarness()
      id = await cli.add(wekaFlags(sim, uniqueName('weka-err'), 'alice'))
    })
    afterAll(async () => {
      await cli?.close()
      await sim?.close()
    })

    it('usage errors exit 2: unknown cluster, no trust flag without a terminal, no password source, bad flags', async () => {
      const unknown = await cli.run(['token', 'no-such-cluster'])
      expect(unknown.code).toBe(2)
      expect(unknown.stdout).toBe('')
      expectCleanError(unknown)

      const unknownJson = await cli.run(['tokens', 'list', 'no-such-cluster', '--json'])
      expect(unknownJson.code).toBe(2)
      expect(JSON.parse(unknownJson.stdout)).toEqual({
        error: { code: 'INVALID_INPUT', message: expect.stringContaining('no-such-cluster') },
      })

      const noTrust = await cli.run([
        'clusters',
        'add',
        '--vendor',
        'weka',
        '--name',
        'x',
        '--url',
        sim.url,
        '--username',
        'alice',
      ])
      expect(noTrust.code).toBe(2)
      expect(noTrust.stderr).toMatch(/--trust-fingerprint/)

      const noPassword = await cli.run(['login', id])
      expect(noPassword.code).toBe(2)
      expect(noPassword.stderr).toMatch(/--password-stdin/)

      const badFlag = await cli.run(['tokens', 'create', id, '--expires-in', 'soon'])
      expect(badFlag.code).toBe(2)
      const unknownOption = await cli.run(['status', '--frobnicate', '--json'])
      expect(unknownOption.code).toBe(2)
      expect(JSON.parse(unknownOption.stdout).error.code).toBe('INVALID_INPUT')
      const both = await cli.run(['tokens', 'revoke', id, '--id', 'a', '--user', 'b', '--yes'])
      expect(both.code).toBe(2)
      // WEKA cannot list tokens: UNSUPPORTED is a usage error too, checked before the session.
      const unsupported = await cli.run(['tokens', 'list', id, '--json'])
      expect(unsupported.code).toBe(2)
      expect(JSON.parse(unsupported.stdout).error.code).toBe('UNSUPPORTED')
      for (const r of [noTrust, noPassword, badFlag, both, unsupported]) expectCleanError(r)
    })

    it('token for a cluster never signed in exits 3 (NOT_SIGNED_IN)', async () => {
      const r = await cli.run(['token', id, '--json'])
      expect(r.code).toBe(3)
      expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'NOT_SIGNED_IN' } })
      expectCleanError(r)
    })

    it('a wrong password exits 3 after exactly one login attempt', async () => {
      const before = sim.state.loginAttempts('alice')
      const r = await cli.run(['login', id, '--password-stdin', '--json'], `${WRONG_PASSWORD}\n`)
      expect(r.code).toBe(3)
      expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'BAD_CREDENTIALS' } })
      expect(sim.state.loginAttempts('alice') - before).toBe(1)
      expectCleanError(r)
    })

    it('a changed certificate exits 4 with TLS_PIN_MISMATCH, and retrust fixes it', async () => {
      const login = await cli.run(['login', id, '--password-stdin'], `${ERRORS_PASSWORD}\n`)
      expect(login.code, login.stderr).toBe(0)
      expect((await cli.run(['token', id])).code).toBe(0)

      const old = sim.fingerprint
      await sim.rotateCertificate()
      expect(sim.fingerprint).not.toBe(old)
      const r = await cli.run(['token', id, '--json'])
      expect(r.code).toBe(4)
      expect(JSON.parse(r.stdout)).toMatchObject({
        error: { code: 'TLS_PIN_MISMATCH', seenSha256: sim.fingerprint },
      })
      expectCleanError(r)
      const human = await cli.run(['token', id])
      expect(human.code).toBe(4)
      expect(human.stdout).toBe('')
      expect(human.stderr).toContain(sim.fingerprint)

      const retrust = await cli.run([
        'clusters',
        'retrust',
        id,
        '--trust-fingerprint',
        sim.fingerprint,
      ])
      expect(retrust.code, retrust.stderr).toBe(0)
      const again = await cli.run(['token', id])
      expect(again.code, again.stderr).toBe(0)
      expect(sim.state.liveTokens('alice').map((t) => t.token)).toContain(again.stdout.trim())
    })

    it('an unreachable cluster exits 4; removing a cluster removes it', async () => {
      const closed = await startWekaSim()
      const url = closed.url
      await closed.close()
      const gone = await cli.add(
        wekaFlags({ url, fingerprint: sim.fingerprint }, uniqueName('gone'), 'alice'),
      )
      const r = await cli.run(['login', gone, '--password-stdin'], `${ERRORS_PASSWORD}\n`)
      expect(r.code).toBe(4)
      expectCleanError(r)
      const removed = await cli.run(['clusters', 'remove', gone])
      expect(removed.code, removed.stderr).toBe(0)
      expect((await cli.run(['status', gone])).code).toBe(2)
    })

    it('never printed a password', () => {
      expect(cli.outputs.length).toBeGreaterThan(15)
      expect(cli.leaked([ERRORS_PASSWORD, WRONG_PASSWORD])).toEqual([])
    })
  },
)
