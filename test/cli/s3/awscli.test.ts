/**
 * Kept S3 keys with Debian's real AWS CLI (/usr/bin/aws, awscli 2.9) against the Swarm simulator:
 * `tokens create --s3-secret --keep-s3-key`, `s3 profile` into a private AWS config file, and
 * `aws s3api list-buckets` signing through `credential_process`; then the same through
 * `tokendeck exec`. Plus what credential-process says when it must refuse (not kept, forgotten,
 * revoked, expired). One file: processes using the keychain run one at a time.
 *
 * A kept key is named by its token's handle everywhere: on Swarm the access key id is the token
 * itself (docs/protocols/swarm.md §2.1), so it must be in no output but credential-process's and
 * the create reply's, nor in s3-keys.json, ~/.aws/config, the audit log or a keychain account.
 * A key kept by the previous version (named by access key id) keeps working and is moved.
 *
 * The pyenv shim `aws` that may come first on PATH is another AWS CLI; only /usr/bin/aws is used.
 * awscli 2.9 predates `endpoint_url` in the config file and AWS_ENDPOINT_URL_S3 (both 2.13), so
 * the endpoint is also given with --endpoint-url, as the README tells users of older versions.
 */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { keychainMissingReason } from '../../core/harness'
import { startSwarmSim, type SwarmSim } from '../../sim/swarm'
import { SEED_BUCKETS } from '../../sim/swarm/seed'
import { CliHarness, profileIdOf, swarmFlags, uniqueName } from '../cliHarness'
import { keyringItems, keyringListingMissingReason } from '../../support/keyringAccounts'

// Several CLI processes and AWS CLI runs per test (each seconds on a loaded machine); this only
// turns a hang into a failure.
vi.setConfig({ testTimeout: 5 * 60_000, hookTimeout: 5 * 60_000 })

const AWS = '/usr/bin/aws'
const keychainMissing = keychainMissingReason()
const awsMissing = existsSync(AWS)
  ? undefined
  : `${AWS} is not installed (Debian package awscli, in the apt line of .ci/run)`
const skipped = (what: string, reason = keychainMissing) =>
  `${what}${reason ? ` — SKIPPED: ${reason}` : ''}`

const SWARM_PASSWORD = 'acme-admin-demo'
const DOMAIN = 'docs.acme.example'

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** The environment of an AWS tool: ours minus every AWS_* (a developer's keys must not leak in). */
function awsEnv(scratch: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v
  return {
    ...env,
    HOME: scratch,
    AWS_CONFIG_FILE: join(scratch, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'credentials'),
    AWS_PAGER: '',
    ...extra,
  }
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

/** Keychain items whose account or label (what a keychain browser lists) names `id`. */
async function keyringNaming(id: string): Promise<string[]> {
  if (keyringListingMissingReason()) return []
  return (await keyringItems())
    .filter((i) => (i.account + i.label).includes(id))
    .map((i) => i.account)
}

/** What `tokens create --s3-secret --keep-s3-key --json` prints. */
interface CreatedKeptKey {
  token: { id: string; expiresAt: number }
  secrets: Array<{ kind: string; value: string; accessKeyId?: string; keepHandle?: string }>
  kept: Array<Record<string, unknown>>
}

const bucketNames = (json: string) =>
  (JSON.parse(json) as { Buckets: Array<{ Name: string }> }).Buckets.map((b) => b.Name).sort()

describe.skipIf(keychainMissing)(skipped('tokendeck s3 — kept keys for AWS tools'), () => {
  let swarm: SwarmSim
  let cli: CliHarness
  let scratch: string
  let id: string
  let accessKeyId: string
  /** What the CLI shows of the kept key: the token's listed handle, never the token. */
  let handle: string
  let secret: string

  /** `tokens create --s3-secret --keep-s3-key` on the Swarm cluster: the CLI's JSON reply. */
  async function createKeptKey(extra: string[] = []): Promise<CreatedKeptKey> {
    const created = await cli.run([
      'tokens',
      'create',
      id,
      '--s3-secret',
      '--keep-s3-key',
      ...extra,
      '--yes',
      '--json',
    ])
    expect(created.code, created.stderr).toBe(0)
    return JSON.parse(created.stdout) as CreatedKeptKey
  }

  beforeAll(async () => {
    swarm = await startSwarmSim()
    cli = new CliHarness()
    scratch = mkdtempSync(join(tmpdir(), 'tokendeck-aws-'))
    id = await cli.addSignedIn(
      swarmFlags(swarm, uniqueName('swarm'), { domain: DOMAIN, s3: true }),
      SWARM_PASSWORD,
    )
    const reply = await createKeptKey(['--expires-in', '2d'])
    const s3 = reply.secrets.find((s) => s.kind === 's3-secret')!
    accessKeyId = s3.accessKeyId!
    handle = reply.token.id
    secret = s3.value
    expect(reply.kept.map((k) => k['tokenId'])).toEqual([handle])
    expect(JSON.stringify(reply.kept)).not.toContain(accessKeyId)
    // The one-time handle is main's business, not the script's.
    expect(s3.keepHandle).toBeUndefined()
  })
  afterAll(async () => {
    for (const k of handle ? [handle] : [])
      await cli?.run(['s3', 'forget', id, k]).catch(() => undefined)
    await cli?.close()
    await swarm?.close()
    if (scratch) rmSync(scratch, { recursive: true, force: true })
  })

  it('the access key id is in no file and no keychain account name, only in the keychain entry', async () => {
    const index = readFileSync(join(cli.home, 's3-keys.json'), 'utf8')
    expect(index).toContain(handle)
    expect(index).not.toContain(accessKeyId)
    expect(index).not.toContain(secret)
    expect(readFileSync(join(cli.home, 'clusters.json'), 'utf8')).not.toContain(accessKeyId)
    expect(await keyringNaming(accessKeyId)).toEqual([])
    if (!keyringListingMissingReason())
      expect(await keyringNaming(`/s3key/${handle}`)).toHaveLength(1)
  })

  it('credential-process prints the AWS JSON: Version 1, the key, Expiration = the token’s expiry', async () => {
    const r = await cli.run(['s3', 'credential-process', id, handle])
    expect(r.code, r.stderr).toBe(0)
    const token = swarm.state.tokens.get(accessKeyId)!
    const json = JSON.parse(r.stdout) as Record<string, unknown>
    expect(json).toEqual({
      Version: 1,
      AccessKeyId: accessKeyId,
      SecretAccessKey: secret,
      Expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    })
    // Swarm lists expiry to the second (its lifepoint date, docs/protocols/swarm.md §2.3).
    expect(Math.abs(Date.parse(json['Expiration'] as string) - token.expiresAt)).toBeLessThan(1000)
    expect(r.stdout.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toBe('')
    // The audit log says it was served, with the key id hashed and never the secret.
    const audit = await cli.run(['audit', '--json'])
    expect(audit.code, audit.stderr).toBe(0)
    const served = audit.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((rec) => rec['event'] === 'credential-process:served')
    expect(served.length).toBeGreaterThan(0)
    expect(served.at(-1)).toMatchObject({
      clusterId: id,
      token: expect.stringMatching(/^hmac-sha256:/),
    })
    expect(audit.stdout).not.toContain(secret)
    expect(audit.stdout).not.toContain(accessKeyId)
  })

  it('s3 list shows the kept key, never its secret', async () => {
    const r = await cli.run(['s3', 'list', id])
    expect(r.code, r.stderr).toBe(0)
    // On Swarm the access key id is the token itself (docs/protocols/swarm.md §2.1): only its
    // handle is shown.
    expect(r.stdout).toContain(handle)
    expect(r.stdout).not.toContain(accessKeyId)
    expect(r.stdout).not.toContain(secret)
    const json = await cli.run(['s3', 'list', '--json'])
    expect(json.stdout).not.toContain(accessKeyId)
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ clusterId: id, key: handle, owner: 'acmeadmin+acme' }),
    ])
  })

  it.skipIf(awsMissing)(
    skipped('the real AWS CLI lists the buckets through credential_process', awsMissing),
    async () => {
      const profile = await cli.run(['s3', 'profile', id, handle, '--name', 'td-test'])
      expect(profile.code, profile.stderr).toBe(0)
      const block = profile.stdout
      expect(block).toMatch(/^\[profile td-test\]\n/)
      expect(block).toContain(`endpoint_url = ${swarm.s3Url}\n`)
      const caBundle = /^ca_bundle = (.+)$/m.exec(block)![1]!
      expect(caBundle.startsWith(cli.home)).toBe(true)
      expect(readFileSync(caBundle, 'utf8')).toContain('-----BEGIN CERTIFICATE-----')
      expect(block).not.toContain(secret)
      // ~/.aws/config and the command line `ps` shows name the key by its handle only.
      expect(block).not.toContain(accessKeyId)
      expect(block).toContain(handle)
      writeFileSync(join(scratch, 'config'), block)

      const before = swarm.requests.length
      // From another directory: the command in the profile is absolute.
      const aws = await run(
        AWS,
        [
          '--profile',
          'td-test',
          '--endpoint-url',
          swarm.s3Url,
          's3api',
          'list-buckets',
          '--output',
          'json',
        ],
        { ...awsEnv(scratch), PWD: scratch },
      )
      expect(aws.code, aws.stderr).toBe(0)
      expect(bucketNames(aws.stdout)).toEqual([...SEED_BUCKETS[DOMAIN]!].sort())
      // It really went to the simulator, signed with the kept key.
      const signed = swarm.requests
        .slice(before)
        .filter((q) => q.method === 'GET' && q.path === '/' && q.status === 200)
      expect(signed.length).toBeGreaterThan(0)
    },
  )

  it.skipIf(awsMissing)(
    skipped('tokendeck exec hands the kept key to the AWS CLI', awsMissing),
    async () => {
      writeFileSync(join(scratch, 'config'), '')
      const r = await cli.run([
        'exec',
        id,
        '--',
        'sh',
        '-c',
        `env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE HOME="${scratch}" AWS_CONFIG_FILE="${scratch}/config" AWS_SHARED_CREDENTIALS_FILE="${scratch}/credentials" AWS_PAGER= ` +
          `${AWS} --endpoint-url "$AWS_ENDPOINT_URL_S3" s3api list-buckets --output json; ` +
          `echo "ca=$AWS_CA_BUNDLE tdca=$TOKENDECK_CA_BUNDLE" >&2`,
      ])
      expect(r.code, r.stderr).toBe(0)
      expect(bucketNames(r.stdout)).toEqual([...SEED_BUCKETS[DOMAIN]!].sort())
      const [, ca, tdca] = /ca=(\S+) tdca=(\S+)/.exec(r.stderr)!
      expect(ca).toBe(tdca)
      expect(existsSync(ca!)).toBe(false) // gone with the private directory
    },
  )

  it('refuses with a clear message and exit code: unknown key, then forgotten, then revoked', async () => {
    const unknown = await cli.run(['s3', 'credential-process', id, 'a'.repeat(32)])
    expect(unknown.code).toBe(1)
    expect(unknown.stdout).toBe('')
    expect(unknown.stderr).toMatch(/No kept S3 key of .* has that id/)
    expect(unknown.stderr).not.toContain('a'.repeat(32))

    // The access key id does not name a kept key: the handle does.
    const byKeyId = await cli.run(['s3', 'credential-process', id, accessKeyId])
    expect(byKeyId.code).toBe(1)
    expect(byKeyId.stdout).toBe('')
    expect(byKeyId.stderr).not.toContain(accessKeyId)

    const forgot = await cli.run(['s3', 'forget', id, handle])
    expect(forgot.code, forgot.stderr).toBe(0)
    const afterForget = await cli.run(['s3', 'credential-process', id, handle])
    expect(afterForget.code).toBe(1)
    expect(afterForget.stdout).toBe('')
    expect(afterForget.stderr).toMatch(/No kept S3 key of .* has that id/)

    // A second key, kept, then its token revoked through the CLI: the kept key goes with it.
    const reply = await createKeptKey()
    const second = reply.kept[0]!['tokenId'] as string
    expect((await cli.run(['s3', 'credential-process', id, second])).code).toBe(0)
    // Revoked by the token itself (what a script may hold): its kept key is found all the same.
    const token = reply.secrets.find((s) => s.kind === 's3-secret')!.accessKeyId!
    const revoked = await cli.run(['tokens', 'revoke', id, '--id', token, '--yes'])
    expect(revoked.code, revoked.stderr).toBe(0)
    const afterRevoke = await cli.run(['s3', 'credential-process', id, second])
    expect(afterRevoke.code).toBe(1)
    expect(afterRevoke.stdout).toBe('')
    expect(afterRevoke.stderr).toMatch(/No kept S3 key of .*revoked/)
    const list = await cli.run(['s3', 'list', id, '--json'])
    expect(JSON.parse(list.stdout)).toEqual([])
  })

  it('refuses an expired key (exit 3) and exec then says nothing about S3', async () => {
    const key = (await createKeptKey()).kept[0]!['tokenId'] as string
    // Expiry as recorded at keeping time is what credential-process checks: rewrite it into the
    // past, as time passing would.
    const file = join(cli.home, 's3-keys.json')
    const index = JSON.parse(readFileSync(file, 'utf8')) as {
      keys: Array<{ tokenId: string; expiresAt?: number }>
    }
    for (const k of index.keys) if (k.tokenId === key) k.expiresAt = Date.now() - 60_000
    writeFileSync(file, JSON.stringify(index))
    const r = await cli.run(['s3', 'credential-process', id, key])
    expect(r.code).toBe(3)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/expired/)
    const named = await cli.run(['exec', id, '--s3-key', key, '--', 'true'])
    expect(named.code).toBe(3)
    const probe = await cli.run([
      'exec',
      id,
      '--',
      'sh',
      '-c',
      'echo "[${AWS_ACCESS_KEY_ID-none}]"',
    ])
    expect(probe.code, probe.stderr).toBe(0)
    expect(probe.stdout.trim()).toBe('[none]')
    expect(probe.stderr).not.toMatch(/S3/)
    await cli.run(['s3', 'forget', id, key])
  })

  it('a key kept by the previous version (named by access key id) still works, and is moved', async () => {
    const reply = await createKeptKey()
    const old = reply.secrets.find((s) => s.kind === 's3-secret')!
    const oldHandle = reply.token.id
    // Put it back as the previous version kept it: s3-keys.json version 1 with the access key
    // id, and the keychain entry under an account named by the access key id.
    const keytar = createRequire(import.meta.url)('keytar') as {
      getPassword(s: string, a: string): Promise<string | null>
      setPassword(s: string, a: string, p: string): Promise<void>
      deletePassword(s: string, a: string): Promise<boolean>
    }
    const ns = profileIdOf(cli.home)!
    const entry = (await keytar.getPassword('Tokendeck', `${ns}/${id}/s3key/${oldHandle}`))!
    expect(JSON.parse(entry)).toMatchObject({ for: { accessKeyId: old.accessKeyId } })
    await keytar.setPassword('Tokendeck', `${ns}/${id}/s3/${old.accessKeyId!}`, entry)
    await keytar.deletePassword('Tokendeck', `${ns}/${id}/s3key/${oldHandle}`)
    const file = join(cli.home, 's3-keys.json')
    const index = JSON.parse(readFileSync(file, 'utf8')) as { keys: Array<{ tokenId: string }> }
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        keys: index.keys.map((k) =>
          k.tokenId === oldHandle ? { ...k, accessKeyId: old.accessKeyId } : k,
        ),
      }),
    )

    // Listed by handle at once; the first use moves it, and it works.
    const list = await cli.run(['s3', 'list', id, '--json'])
    expect(list.stdout).toContain(oldHandle)
    expect(list.stdout).not.toContain(old.accessKeyId)
    const r = await cli.run(['s3', 'credential-process', id, oldHandle])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({
      AccessKeyId: old.accessKeyId,
      SecretAccessKey: old.value,
    })
    const moved = readFileSync(file, 'utf8')
    expect(JSON.parse(moved)).toMatchObject({ version: 2 })
    expect(moved).toContain(oldHandle)
    expect(moved).not.toContain(old.accessKeyId)
    expect(await keytar.getPassword('Tokendeck', `${ns}/${id}/s3/${old.accessKeyId!}`)).toBeNull()
    expect(await keyringNaming(old.accessKeyId!)).toEqual([])
    expect((await cli.run(['s3', 'forget', id, oldHandle])).code).toBe(0)
  })

  it('never printed a secret except where asked (create, credential-process)', () => {
    const asked = new Set(['create', 'credential-process'])
    const leaks = cli.outputs
      .filter((o) => !o.args.some((a) => asked.has(a)))
      .filter((o) => (o.stdout + o.stderr).includes(secret) || o.stderr.includes(SWARM_PASSWORD))
    expect(leaks.map((o) => o.args.join(' '))).toEqual([])
    // Nor the access key id (on Swarm the token itself): s3 list, profile, forget, audit, exec.
    const named = cli.outputs
      .filter((o) => !o.args.some((a) => asked.has(a)))
      .filter((o) => (o.stdout + o.stderr).includes(accessKeyId))
    expect(named.map((o) => o.args.join(' '))).toEqual([])
  })
})
