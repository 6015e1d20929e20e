/**
 * `tokendeck import weka-cli` through the real CLI against the WEKA simulator, with HOME a temp
 * directory holding the `~/.weka/auth-token*.json` files `weka user login` writes (never the real
 * one): the cluster must be named; a new one needs trust; the session is proved with exactly one
 * refresh and then lives in the keychain; a refused token stores nothing (not even the cluster
 * added for it) and leaves the file; the plaintext file goes only with consent.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { login, type Tokens } from '../sim/weka/testClient'
import { keychainMissingReason } from '../core/harness'
import { CliHarness } from './cliHarness'

const missing = keychainMissingReason()

describe.skipIf(missing)(
  `tokendeck import weka-cli${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    let sim: WekaSim
    const cli = new CliHarness()
    const home = mkdtempSync(join(tmpdir(), 'tokendeck-home-'))
    const wekaDir = join(home, '.weka')
    const secrets: string[] = []
    const run = (args: string[]) =>
      cli.run(['import', 'weka-cli', ...args], undefined, cli.home, { HOME: home })
    const writeFile = (name: string, t: Pick<Tokens, 'access_token' | 'refresh_token'>) => {
      mkdirSync(wekaDir, { recursive: true, mode: 0o700 })
      const file = join(wekaDir, name)
      // The weka CLI's format: three keys, in alphabetical order (docs/protocols/weka.md §6).
      writeFileSync(
        file,
        JSON.stringify({
          access_token: t.access_token,
          refresh_token: t.refresh_token,
          token_type: 'Bearer',
        }),
        { mode: 0o600 },
      )
      secrets.push(t.access_token, t.refresh_token)
      return file
    }
    const refreshTokens = () => sim.state.allTokens().filter((t) => t.kind === 'refresh').length

    beforeAll(async () => {
      sim = await startWekaSim()
    })
    afterAll(async () => {
      expect(cli.leaked(secrets)).toEqual([])
      await cli.close()
      await sim?.close()
      rmSync(home, { recursive: true, force: true })
    })

    it('asks which cluster when it cannot tell, and sends nothing', async () => {
      const file = writeFile('auth-token.json', await login(sim, 'admin'))
      const before = refreshTokens()
      const r = await run([])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(
        /does not say which cluster it belongs to: pass --cluster <name>.* or --url/,
      )
      expect(refreshTokens()).toBe(before)
      expect(existsSync(file)).toBe(true)
      // A new cluster needs trust, and there is no terminal to confirm a certificate on.
      const untrusted = await run(['--url', sim.url])
      expect(untrusted.code).toBe(2)
      expect(untrusted.stderr).toMatch(/--trust-fingerprint/)
      expect(refreshTokens()).toBe(before)
    })

    it('adds the cluster, proves the session with one refresh, keeps it in the keychain and deletes the file on request', async () => {
      const file = join(wekaDir, 'auth-token.json')
      const before = refreshTokens()
      const r = await run([
        '--url',
        sim.url,
        '--name',
        'Imported',
        '--trust-fingerprint',
        sim.fingerprint,
        '--delete-plaintext',
        '--json',
      ])
      expect(r.stderr).toBe(
        'Added Imported (id ' + (JSON.parse(r.stdout) as { clusterId: string }).clusterId + ').\n',
      )
      expect(r.code).toBe(0)
      const out = JSON.parse(r.stdout) as {
        clusterId: string
        deleted: boolean
        session: { state: string }
      }
      cli.track(out.clusterId)
      expect(out).toMatchObject({ deleted: true, session: { state: 'active' }, file })
      expect(refreshTokens()).toBe(before + 1) // exactly one refresh
      expect(existsSync(file)).toBe(false)
      // The session works from the keychain in a new process, and the import is in the audit log.
      const token = await cli.run(['token', 'Imported'])
      expect(token.code).toBe(0)
      const status = await cli.run(['status', 'Imported', '--json'])
      expect(JSON.parse(status.stdout)).toMatchObject({
        username: 'admin',
        session: { state: 'active' },
      })
      const audit = await cli.run(['audit', '--json', '--cluster', 'Imported'])
      expect(audit.stdout).toContain(`"event":"import","actor":"cli","outcome":"ok"`)
      expect(audit.stdout).toContain(`"source":${JSON.stringify(file)}`)
    })

    it('matches a registered cluster by --url, or takes --cluster; keeps the file without consent', async () => {
      const file = writeFile('auth-token-lab.json', await login(sim, 'admin'))
      const r = await run(['--weka-profile', 'lab', '--url', sim.url])
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(
        /Imported the weka CLI session of admin from .*auth-token-lab\.json into Imported/,
      )
      // No terminal to ask on and no --delete-plaintext: the file stays, and the user is told why it matters.
      expect(existsSync(file)).toBe(true)
      expect(r.stderr).toMatch(/still holds a refresh token in plaintext.*--delete-plaintext/)
    })

    it('refuses a token the server does not accept: nothing stored, no cluster left behind, the file kept', async () => {
      const alice = await login(sim, 'alice')
      const file = writeFile('auth-token-alice.json', alice)
      // Another user than the cluster is set up for: refused before anything is sent.
      const before = refreshTokens()
      const wrongUser = await run(['--weka-profile', 'alice', '--cluster', 'Imported'])
      expect(wrongUser.code).toBe(2)
      expect(wrongUser.stderr).toMatch(
        /is for user "alice", but Imported is set up for "admin"; nothing was sent/,
      )
      expect(refreshTokens()).toBe(before)

      sim.state.revokeTokens(sim.state.user('alice')!)
      const revoked = await run([
        '--weka-profile',
        'alice',
        '--url',
        sim.url,
        '--name',
        'Alice lab',
        '--trust-fingerprint',
        sim.fingerprint,
        '--delete-plaintext',
      ])
      expect(revoked.code).not.toBe(0)
      expect(revoked.stderr).toMatch(/did not accept the imported token .*nothing was stored/)
      expect(existsSync(file)).toBe(true)
      const list = await cli.run(['clusters', 'list', '--json'])
      expect((JSON.parse(list.stdout) as Array<{ name: string }>).map((c) => c.name)).not.toContain(
        'Alice lab',
      )
      const audit = await cli.run(['audit', '--json'])
      expect(audit.stdout).toMatch(/"event":"import","actor":"cli","outcome":"REFRESH_EXPIRED"/)
    })

    it('says plainly what is wrong with a file that is not a weka token file', async () => {
      mkdirSync(wekaDir, { recursive: true })
      writeFileSync(
        join(wekaDir, 'auth-token-empty.json'),
        JSON.stringify({ access_token: 'x', refresh_token: '', token_type: 'Bearer' }),
      )
      const empty = await run(['--weka-profile', 'empty', '--cluster', 'Imported'])
      expect(empty.code).toBe(2)
      expect(empty.stderr).toMatch(/its refresh_token is empty/)
      const none = await run(['--weka-profile', 'nosuch', '--cluster', 'Imported'])
      expect(none.stderr).toMatch(/There is no .*auth-token-nosuch\.json: nothing to import/)
      const bad = await run(['--weka-profile', '../x'])
      expect(bad.code).toBe(2)
      expect(bad.stderr).toMatch(/A weka profile name is/)
    })
  },
)
