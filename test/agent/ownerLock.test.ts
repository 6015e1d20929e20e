/**
 * The OS decides who owns a profile's sessions: exactly one owner however many processes claim
 * at once, a killed owner's leftover socket is superseded, and the socket directory must be
 * private.
 */
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { agentEndpoint } from '../../src/main/core/agent/agentEndpoint'
import { claimOwnership, type Claim } from '../../src/main/core/agent/ownerLock'
import { ownSessions } from '../../src/main/core/agent/sessionOwner'
import { MemorySecretStore } from '../../src/main/core/secrets'
import { startCore } from '../../src/main/core/startCore'
import { REPO_ROOT } from '../cli/cliHarness'

const made: string[] = []
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true })
})

function release(claims: Claim[]): Promise<void[]> {
  return Promise.all(
    claims.map(async (c) => (c.role === 'owner' ? c.release() : void c.socket.destroy())),
  )
}

describe.skipIf(process.platform === 'win32')('owner lock (Unix sockets)', () => {
  it('ten processes claiming at once: exactly one owner, nine clients connected to it', async () => {
    const dataDir = tempDir('tokendeck-lock-')
    const endpoint = await agentEndpoint({ dataDir })
    let served = 0
    const claims = await Promise.all(
      Array.from({ length: 10 }, () =>
        claimOwnership(endpoint, {
          onConnection: (s) => {
            served++
            s.on('error', () => undefined)
          },
        }),
      ),
    )
    const owners = claims.filter((c) => c.role === 'owner')
    expect(owners).toHaveLength(1)
    const clients = claims.filter((c) => c.role === 'client')
    expect(clients).toHaveLength(9)
    expect(new Set(clients.map((c) => c.path))).toEqual(new Set([owners[0]!.path]))
    // Every client is connected to the one owner's socket.
    await expect.poll(() => served).toBe(9)
    await release(claims)
  })

  it('a killed owner leaves its socket behind; the next claim supersedes it', async () => {
    const dataDir = tempDir('tokendeck-lock-')
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/agent/fixtures/claimThenDie.ts', dataDir],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, sig) => resolve(sig)),
    )
    expect(signal).toBe('SIGKILL')
    const dead = JSON.parse(out) as { role: string; path: string }
    expect(dead.role).toBe('owner')
    expect(existsSync(dead.path)).toBe(true) // stale: nobody listens on it

    const claim = await claimOwnership(await agentEndpoint({ dataDir }), {
      onConnection: (s) => s.destroy(),
    })
    expect(claim.role).toBe('owner')
    expect(claim.path).not.toBe(dead.path)
    expect(existsSync(dead.path)).toBe(false) // the stale name was cleared
    await release([claim])
    expect(existsSync(claim.path)).toBe(false) // a clean release leaves nothing behind
  })

  it('refuses a socket directory that other users can enter', async () => {
    const base = tempDir('tokendeck-agentdir-')
    const open = join(base, 'open')
    mkdirSync(open, { mode: 0o755 })
    chmodSync(open, 0o755)
    await expect(
      agentEndpoint({ dataDir: tempDir('tokendeck-lock-'), env: { TOKENDECK_AGENT_DIR: open } }),
    ).rejects.toThrow(/other users can enter it \(mode 755\); run: chmod 700/)
  })
})

describe.skipIf(process.platform === 'win32')('the app without a usable socket directory', () => {
  it('still starts, owns in-process only, and says why the command line cannot reach it', async () => {
    const base = tempDir('tokendeck-agentdir-')
    const open = join(base, 'open')
    mkdirSync(open, { mode: 0o755 })
    chmodSync(open, 0o755)
    const dataDir = tempDir('tokendeck-lock-')
    const before = process.env['TOKENDECK_AGENT_DIR']
    process.env['TOKENDECK_AGENT_DIR'] = open
    try {
      const owned = await ownSessions({
        role: 'app',
        dataDir,
        version: '0.0.0-test',
        runWithoutAgentIfUnavailable: true,
        startCore: () =>
          startCore({
            profile: 'default',
            appVersion: '0.0.0-test',
            dataDir,
            secretStore: new MemorySecretStore(),
            ticker: null,
          }),
      })
      expect(owned.core.startupProblems.map((p) => p.message)).toContainEqual(
        expect.stringMatching(/other users can enter it.*command line cannot use its sessions/),
      )
      await owned.close()
      // The agent itself has no such fallback: serving is its whole job.
      await expect(
        ownSessions({
          role: 'agent',
          dataDir,
          version: '0.0.0-test',
          startCore: () => Promise.reject(new Error('must not start')),
        }),
      ).rejects.toThrow(/other users can enter it/)
    } finally {
      if (before === undefined) delete process.env['TOKENDECK_AGENT_DIR']
      else process.env['TOKENDECK_AGENT_DIR'] = before
    }
  })
})
