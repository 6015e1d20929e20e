// Several Tokendeck processes on one keychain at once (the app, `tokendeck` in terminals,
// scripts): 6 child processes, each doing set/get/delete rounds on its own cluster and reading a
// shared one, concurrently, through the real keytar on the private keyring. Before this store,
// startup probes (write + delete of a canary) racing findCredentials crashed processes with
// SIGSEGV (node-keytar issue 477) or failed as "the keychain is locked".
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { KeytarSecretStore } from '../../../src/main/core/secrets/keytarStore'

const privateKeyring = process.platform !== 'linux' || process.env.TOKENDECK_PRIVATE_KEYRING === '1'
const root = resolve(__dirname, '../../..')
const child = 'test/core/secrets/multiProcessChild.ts'
const PROCESSES = 6
const ROUNDS = 30

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

function run(options: object): Promise<Exit> {
  return new Promise((done, fail) => {
    // The child inherits this process's environment, so DBUS_SESSION_BUS_ADDRESS points at the
    // private keyring's bus.
    const p = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(options)], {
      cwd: root,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    p.on('error', fail)
    p.on('close', (code, signal) => done({ code, signal, stdout, stderr }))
  })
}

describe.skipIf(!privateKeyring)('several processes on one keychain at once', () => {
  const service = `Tokendeck Test multi ${randomUUID()}`
  const namespace = randomUUID()
  const store = new KeytarSecretStore({ service, namespace })
  const sharedClusterId = 'shared'
  const sharedValue = 'shared-refresh-token'

  afterAll(async () => {
    await store.deleteCredential(sharedClusterId)
  })

  it(`${PROCESSES} processes × ${ROUNDS} rounds: all exit 0, none killed by a signal, no KEYCHAIN_UNAVAILABLE`, async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS ?? process.platform).toBeTruthy()
    await store.setCredential(sharedClusterId, {
      kind: 'refresh-token',
      value: sharedValue,
      binding: { vendor: 'weka', origin: 'https://weka01:14000', username: 'admin' },
    })
    const exits = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) =>
        run({
          service,
          namespace,
          clusterId: `proc-${i + 1}`,
          sharedClusterId,
          sharedValue,
          rounds: ROUNDS,
        }),
      ),
    )
    for (const [i, exit] of exits.entries()) {
      const context = `process ${i + 1}: ${exit.stdout.trim()} ${exit.stderr.slice(-2000)}`
      expect(exit.signal, context).toBeNull()
      expect(exit.code, context).toBe(0)
      expect(exit.stdout, context).not.toContain('KEYCHAIN_UNAVAILABLE')
      expect(JSON.parse(exit.stdout.trim().split('\n').pop() ?? '{}'), context).toEqual({
        ok: true,
        rounds: ROUNDS,
      })
    }
    // Every process cleaned up after itself; the shared credential is intact.
    for (let i = 1; i <= PROCESSES; i++)
      expect(await store.getCredential(`proc-${i}`)).toBeUndefined()
    expect((await store.getCredential(sharedClusterId))?.value).toBe(sharedValue)
  }, 120_000)
})
