/**
 * `tokendeck s3 credential-process` runs on every AWS call, so with an owner running (here the
 * app's core, in this process) it asks the owner for the key by its handle and nothing else: no
 * listing of the kept keys first. Counted on the owner's agent server: the cluster lookup every
 * command makes (clusters:list) and one s3Credential.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ownSessions, type OwnedSessions } from '../../../src/main/core/agent/sessionOwner'
import { startCore } from '../../../src/main/core/startCore'
import { keychainMissingReason } from '../../core/harness'
import { startSwarmSim, type SwarmSim } from '../../sim/swarm'
import { CliHarness, uniqueName } from '../cliHarness'

// A few CLI processes (seconds each on a loaded machine): this only turns a hang into a failure.
vi.setConfig({ testTimeout: 5 * 60_000, hookTimeout: 5 * 60_000 })

const missing = keychainMissingReason()

describe.skipIf(missing)(
  `s3 credential-process through a running owner${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    let swarm: SwarmSim
    let cli: CliHarness
    let owned: OwnedSessions | undefined
    let id: string
    let handle: string

    beforeAll(async () => {
      swarm = await startSwarmSim()
      cli = new CliHarness()
      id = await cli.add([
        '--vendor',
        'swarm',
        '--name',
        uniqueName('swarm'),
        '--url',
        swarm.url,
        '--s3-url',
        swarm.s3Url,
        '--username',
        'acmeadmin',
        '--tenant',
        'acme',
        '--domain',
        'docs.acme.example',
        '--trust-fingerprint',
        swarm.fingerprint,
      ])
      const login = await cli.run(['login', id, '--password-stdin'], 'acme-admin-demo\n')
      expect(login.code, login.stderr).toBe(0)
      owned = await ownSessions({
        role: 'app',
        dataDir: cli.home,
        version: '0.0.0-test',
        startCore: () =>
          startCore({ profile: 'default', appVersion: '0.0.0-test', dataDir: cli.home }),
      })
      const created = await cli.run([
        'tokens',
        'create',
        id,
        '--s3-secret',
        '--keep-s3-key',
        '--yes',
        '--json',
      ])
      expect(created.code, created.stderr).toBe(0)
      handle = (JSON.parse(created.stdout) as { token: { id: string } }).token.id
    })
    afterAll(async () => {
      if (handle) await cli?.run(['s3', 'forget', id, handle]).catch(() => undefined)
      await owned?.close()
      await cli?.close()
      await swarm?.close()
    })

    it('asks the owner for the key by its handle: no listing of kept keys first', async () => {
      const before = owned!.server.served
      const r = await cli.run(['s3', 'credential-process', id, handle])
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ Version: 1 })
      // clusters:list (the cluster by id or name, as every command) + s3Credential.
      expect(owned!.server.served - before).toBe(2)
    })
  },
)
