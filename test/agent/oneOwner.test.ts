/**
 * The app, `tokendeck` in several terminals and scripts share one keychain and one data
 * directory. Through the real CLI (child processes) against a WEKA simulator whose refresh tokens
 * are single-use: concurrent commands never sign a session out, never crash, never lose a
 * cluster; a running owner serves tokens without a refresh; and a stored credential is never sent
 * to any server but the one it was issued for.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { ownSessions, type OwnedSessions } from '../../src/main/core/agent/sessionOwner'
import { startCore } from '../../src/main/core/startCore'
import { addWekaArgs, CliHarness, uniqueName, type CliResult } from '../cli/cliHarness'
import { keychainMissingReason } from '../core/harness'

const missing = keychainMissingReason()
const PASSWORD = 'WekaSim-Admin-7341'
/**
 * Not a speed budget: these tests run a hundred CLI processes and wait for each to exit. The
 * bound only turns a hang into a failure; a slow or loaded machine stays far inside it.
 */
const HANG_GUARD_MS = 15 * 60_000

function refreshes(sim: WekaSim): number {
  return sim.requests.filter((r) => r.path.endsWith('/login/refresh')).length
}

function liveRefreshToken(sim: WekaSim): string[] {
  return sim.state
    .liveTokens('admin')
    .filter((t) => t.kind === 'refresh')
    .map((t) => t.token)
}

async function addAndLogin(cli: CliHarness, sim: WekaSim, name: string, home?: string) {
  const add = await cli.run(addWekaArgs(sim, name), undefined, home)
  expect(add.code, add.stderr).toBe(0)
  const id = (JSON.parse(add.stdout) as { id: string }).id
  cli.track(id)
  const login = await cli.run(['login', id, '--password-stdin'], `${PASSWORD}\n`, home)
  expect(login.code, login.stderr).toBe(0)
  return id
}

function expectClean(results: CliResult[]): void {
  const bad = results.filter((r) => r.code !== 0 || r.signal !== null)
  expect(bad.map((r) => `${r.args.join(' ')} → ${r.signal ?? r.code}: ${r.stderr.trim()}`)).toEqual(
    [],
  )
}

describe.skipIf(missing)(
  `one owner of every session${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    let sim: WekaSim
    let other: WekaSim
    const harnesses: CliHarness[] = []
    const cliHarness = () => {
      const h = new CliHarness()
      harnesses.push(h)
      return h
    }

    beforeAll(async () => {
      sim = await startWekaSim({ refreshTokenSingleUse: true })
      other = await startWekaSim({ refreshTokenSingleUse: true })
    })
    afterAll(async () => {
      for (const h of harnesses) await h.close()
      await sim?.close()
      await other?.close()
    })

    it(
      'three terminals × 35 `token` calls on single-use refresh tokens: no false sign-out, no crash, session alive',
      async () => {
        const cli = cliHarness()
        const id = await addAndLogin(cli, sim, uniqueName('hammer'))
        const loop = async () => {
          const results: CliResult[] = []
          for (let i = 0; i < 35; i++) results.push(await cli.run(['token', id]))
          return results
        }
        const results = (await Promise.all([loop(), loop(), loop()])).flat()
        expect(results).toHaveLength(105)
        expectClean(results)
        // Each printed exactly one token, and the server issued it.
        const issued = new Set(sim.state.issuedSecrets())
        for (const r of results) expect(issued.has(r.stdout.trim())).toBe(true)

        // The session survived: the keychain's refresh token is the one the server still honours.
        const status = await cli.run(['status', id, '--json'])
        expect(status.code, status.stderr).toBe(0)
        expect(liveRefreshToken(sim)).toHaveLength(1)
        expect(cli.leaked([PASSWORD])).toEqual([])
      },
      HANG_GUARD_MS,
    )

    it(
      'with an owner running (the app core), 105 CLI calls from three terminals are served by it: no refresh',
      async () => {
        const cli = cliHarness()
        const id = await addAndLogin(cli, sim, uniqueName('served'))
        let owned: OwnedSessions | undefined
        try {
          owned = await ownSessions({
            role: 'app',
            dataDir: cli.home,
            version: '0.0.0-test',
            startCore: () =>
              startCore({ profile: 'default', appVersion: '0.0.0-test', dataDir: cli.home }),
          })
          const token = (await owned.api.accessToken(id)).token
          const before = refreshes(sim)
          const loop = async () => {
            const results: CliResult[] = []
            for (let i = 0; i < 35; i++) results.push(await cli.run(['token', id]))
            return results
          }
          const results = (await Promise.all([loop(), loop(), loop()])).flat()
          expectClean(results)
          expect(refreshes(sim) - before).toBe(0)
          for (const r of results) expect(r.stdout.trim()).toBe(token)
          expect(owned.server.served).toBeGreaterThanOrEqual(105)

          const who = await cli.run(['agent', 'status', '--json'])
          expect(JSON.parse(who.stdout)).toMatchObject({ owner: { role: 'app', pid: process.pid } })
        } finally {
          await owned?.close()
        }
        // Once the app is gone, a terminal owns for itself again.
        const after = await cli.run(['token', id])
        expect(after.code, after.stderr).toBe(0)
      },
      HANG_GUARD_MS,
    )

    it(
      '8 parallel `clusters add` leave 8 clusters; two adds of one name: one wins',
      async () => {
        const cli = cliHarness()
        const names = Array.from({ length: 8 }, (_, i) => `par-${i}`)
        const add = (name: string) => cli.run(addWekaArgs(sim, name))
        const results = await Promise.all([...names.map(add), add('dup'), add('dup')])
        expectClean(results.slice(0, 8))
        const dups = results.slice(8)
        expect(dups.map((r) => r.code).sort()).toEqual([0, 2])
        const list = await cli.run(['clusters', 'list', '--json'])
        const clusters = JSON.parse(list.stdout) as Array<{ id: string; name: string }>
        expect(clusters.map((c) => c.name).sort()).toEqual([...names, 'dup'].sort())
        expect(new Set(clusters.map((c) => c.id)).size).toBe(9)
      },
      HANG_GUARD_MS,
    )

    describe('a credential is only ever sent to the cluster it was issued for', () => {
      const refreshesTo = (s: WekaSim) => s.requests.filter((r) => r.path.includes('/login')).length

      it('a second data directory with a cluster of the same name', async () => {
        const cli = cliHarness()
        await addAndLogin(cli, sim, 'prod')
        const second = cliHarness()
        const add = await second.run(addWekaArgs(other, 'prod'))
        expect(add.code, add.stderr).toBe(0)
        const before = refreshesTo(other)
        const token = await second.run(['token', 'prod'])
        expect(token.code).toBe(3)
        expect(token.stderr).toMatch(/Not signed in/)
        expect(refreshesTo(other)).toBe(before)
      })

      it('a corrupt cluster list moved aside, then the same name added for another server', async () => {
        const cli = cliHarness()
        await addAndLogin(cli, sim, 'prod')
        writeFileSync(join(cli.home, 'clusters.json'), '{ not json')
        const addProd = () => cli.run(addWekaArgs(other, 'prod'))
        const first = await addProd() // reports the broken list (exit 5) and moves it aside
        expect(first.code).toBe(5)
        expect(first.stderr).toMatch(/moved aside/)
        const add = await addProd()
        expect(add.code, add.stderr).toBe(0)
        const before = refreshesTo(other)
        const token = await cli.run(['token', 'prod'])
        expect(token.code).toBe(3)
        expect(refreshesTo(other)).toBe(before)
      })

      it('an id reused for another server (hand-edited list): the saved credential is not used, and says why', async () => {
        const cli = cliHarness()
        const id = await addAndLogin(cli, sim, 'edited')
        const file = join(cli.home, 'clusters.json')
        const config = JSON.parse(readFileSync(file, 'utf8')) as {
          clusters: Array<{ id: string; url: string; trust: unknown }>
        }
        const cluster = config.clusters.find((c) => c.id === id)!
        cluster.url = other.url
        cluster.trust = { sha256: other.fingerprint }
        writeFileSync(file, JSON.stringify(config, null, 2))
        const before = refreshesTo(other)
        const token = await cli.run(['token', id])
        expect(token.code).toBe(3)
        expect(token.stderr).toMatch(/did not use the credential saved for edited/)
        expect(refreshesTo(other)).toBe(before)
        // Nothing was sent, and nothing was lost: pointing it back restores the session.
        cluster.url = sim.url
        cluster.trust = { sha256: sim.fingerprint }
        writeFileSync(file, JSON.stringify(config, null, 2))
        const back = await cli.run(['token', id])
        expect(back.code, back.stderr).toBe(0)
      })
    })
  },
)
