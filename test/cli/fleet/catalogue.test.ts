/**
 * A catalogue a team shares, through the real CLI against the simulators: `clusters export`
 * from one admin's data directory, `clusters import` into another's — no secret ever in the
 * file, certificates confirmed (or checked against the live server), merged without duplicates,
 * and a bad file refused naming the entry and the field.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { startQumuloSim, type QumuloSim } from '../../sim/qumulo'
import { keychainMissingReason } from '../../core/harness'
import { CliHarness } from '../cliHarness'

const missing = keychainMissingReason()
const WEKA_PASSWORD = 'WekaSim-Admin-7341'

interface Entry {
  name: string
  vendor: string
  url: string
  username?: string
  trust: { sha256?: string; caPem?: string }
  tags?: string[]
}

/** Looks like a key to anything that greps for one; exports must drop it whatever it holds. */
const PRIVATE_KEY_BLOCK =
  '-----BEGIN PRIVATE KEY-----\nTk9ULUEtUkVBTC1LRVktYnV0LXNoYXBlZC1saWtlLW9uZQ==\n-----END PRIVATE KEY-----\n'

describe.skipIf(missing)(
  `tokendeck clusters export / import${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    let weka: WekaSim
    let qumulo: QumuloSim
    let cli: CliHarness
    let other: string
    let files: string
    let token = ''

    beforeAll(async () => {
      weka = await startWekaSim()
      qumulo = await startQumuloSim()
      cli = new CliHarness()
      other = mkdtempSync(join(tmpdir(), 'tokendeck-cli-colleague-'))
      files = mkdtempSync(join(tmpdir(), 'tokendeck-cli-files-'))
    })
    afterAll(async () => {
      await cli?.close()
      rmSync(other, { recursive: true, force: true })
      rmSync(files, { recursive: true, force: true })
      await weka?.close()
      await qumulo?.close()
    })

    const importInto = (home: string, file: string, ...flags: string[]) =>
      cli.run(['clusters', 'import', file, ...flags], undefined, home)

    it('exports pins, CA certificates and tags — never a password, token or local path', async () => {
      await cli.add([
        '--vendor',
        'weka',
        '--name',
        'Prod WEKA',
        '--url',
        weka.url,
        '--username',
        'admin',
        '--trust-fingerprint',
        weka.fingerprint,
        '--tag',
        'prod',
        '--tag',
        'site-a',
      ])
      const caFile = join(files, 'qumulo-ca.pem')
      // A bundle with a private key beside the certificate: the key must never be exported.
      writeFileSync(caFile, `${qumulo.certificate.trim()}\n${PRIVATE_KEY_BLOCK}`)
      const qUser = qumulo.users[0]!
      await cli.add([
        '--vendor',
        'qumulo',
        '--name',
        'Lab Qumulo',
        '--url',
        qumulo.url,
        '--username',
        qUser.username,
        '--ca-file',
        caFile,
        '--tag',
        'lab',
      ])
      const login = await cli.run(['login', 'Prod WEKA', '--password-stdin'], `${WEKA_PASSWORD}\n`)
      expect(login.code, login.stderr).toBe(0)
      token = (await cli.run(['token', 'Prod WEKA'])).stdout.trim()
      expect(token.length).toBeGreaterThan(20)

      const all = await cli.run(['clusters', 'export'])
      expect(all.code, all.stderr).toBe(0)
      expect(all.stderr).toContain('Exported 2 clusters')
      for (const secret of [WEKA_PASSWORD, token, qUser.password, caFile, cli.home, files])
        expect(all.stdout).not.toContain(secret)
      expect(all.stdout).not.toContain('PRIVATE KEY')
      const catalogue = JSON.parse(all.stdout) as { format: string; clusters: Entry[] }
      expect(catalogue.format).toBe('tokendeck-catalogue')
      expect(catalogue.clusters).toEqual([
        {
          vendor: 'weka',
          name: 'Prod WEKA',
          url: weka.url,
          username: 'admin',
          trust: { sha256: weka.fingerprint },
          tags: ['prod', 'site-a'],
        },
        {
          vendor: 'qumulo',
          name: 'Lab Qumulo',
          url: qumulo.url,
          username: qUser.username,
          trust: { caPem: qumulo.certificate.trim() },
          tags: ['lab'],
        },
      ])
      writeFileSync(join(files, 'all.json'), all.stdout)

      const prod = await cli.run(['clusters', 'export', '--tag', 'prod'])
      expect(
        (JSON.parse(prod.stdout) as { clusters: Entry[] }).clusters.map((c) => c.name),
      ).toEqual(['Prod WEKA'])
    })

    it('imports only what was confirmed: no terminal and no --yes adds nothing', async () => {
      const r = await importInto(other, join(files, 'all.json'))
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('2 entries need its certificate confirmed')
      expect(r.stderr).toContain(`pinned certificate SHA-256: ${weka.fingerprint}`)
      expect(r.stderr).toMatch(/CA certificate: .*\n.*valid .* to .*; SHA-256 /)
      const listed = await cli.run(['clusters', 'list', '--json'], undefined, other)
      expect(JSON.parse(listed.stdout)).toEqual([])
    })

    it('--check probes each server and says match; --yes adds them, the CA written into the data directory', async () => {
      const r = await importInto(other, join(files, 'all.json'), '--yes', '--check')
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr.match(/check: the server presents .*: match/g)?.length).toBe(2)
      expect(r.stdout).toContain('Imported: 2 added, 0 unchanged, 0 updated, 0 skipped.')
      const listed = JSON.parse(
        (await cli.run(['clusters', 'list', '--json'], undefined, other)).stdout,
      ) as { name: string; tags?: string[]; trust: { caPath?: string; sha256?: string } }[]
      expect(listed.map((c) => [c.name, c.tags])).toEqual([
        ['Prod WEKA', ['prod', 'site-a']],
        ['Lab Qumulo', ['lab']],
      ])
      const caPath = listed[1]!.trust.caPath!
      expect(caPath.startsWith(join(other, 'ca'))).toBe(true)
      expect(readFileSync(caPath, 'utf8').trim()).toBe(qumulo.certificate.trim())

      // The imported CA works: the colleague signs in with their own password.
      const qUser = qumulo.users[0]!
      const login = await cli.run(
        ['login', 'Lab Qumulo', '--password-stdin'],
        `${qUser.password}\n`,
        other,
      )
      expect(login.code, login.stderr).toBe(0)
      const id = listed[1] as unknown as { id: string }
      cli.track(id.id)

      const again = await importInto(other, join(files, 'all.json'), '--yes')
      expect(again.stdout).toContain('Imported: 0 added, 2 unchanged, 0 updated, 0 skipped.')
    })

    it('merges a changed entry: new tags added, a certificate that does not match is not accepted', async () => {
      const catalogue = JSON.parse(readFileSync(join(files, 'all.json'), 'utf8')) as {
        clusters: Entry[]
      }
      const first = catalogue.clusters[0]!
      first.tags = ['prod', 'dc-2']
      first.trust = { sha256: 'AB:'.repeat(31) + 'AB' }
      // The same cluster twice (another display name): one cluster, never a duplicate.
      catalogue.clusters.push({ ...catalogue.clusters[1]!, name: 'Qumulo again', tags: [] })
      const file = join(files, 'changed.json')
      writeFileSync(file, JSON.stringify(catalogue))
      const r = await importInto(other, file, '--yes', '--check')
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toContain('check: MISMATCH: the server presents')
      expect(r.stderr).toContain('Prod WEKA: not accepted, the check did not match.')
      expect(r.stdout).toContain(
        'Prod WEKA: updated (tags dc-2; its changed certificate was not confirmed, kept the trusted one)',
      )
      expect(r.stdout).toContain('Qumulo again: skipped (it is the same cluster as entry 2)')
      expect(r.stdout).toContain('Imported: 0 added, 1 unchanged, 1 updated, 1 skipped.')
      const listed = JSON.parse(
        (await cli.run(['clusters', 'list', '--json'], undefined, other)).stdout,
      ) as { name: string; tags?: string[]; trust: { sha256?: string } }[]
      expect(listed[0]).toMatchObject({
        name: 'Prod WEKA',
        tags: ['dc-2', 'prod', 'site-a'],
        trust: { sha256: weka.fingerprint },
      })
      expect(listed).toHaveLength(2)
    })

    it('refuses a bad file naming the entry and the field, without repeating a secret in it', async () => {
      const file = join(files, 'bad.json')
      writeFileSync(
        file,
        JSON.stringify({
          format: 'tokendeck-catalogue',
          version: 1,
          clusters: [
            {
              vendor: 'weka',
              name: 'Fine',
              url: weka.url,
              username: 'admin',
              trust: { sha256: weka.fingerprint },
            },
            {
              vendor: 'qumulo',
              name: 'Leaky',
              url: 'http://qumulo.example',
              username: 'admin',
              password: 'Hunter2-Secret',
              org: 'Root',
              trust: { caPath: '/etc/ssl/ca.pem' },
            },
            {
              vendor: 'qumulo',
              name: 'Orgless',
              url: qumulo.url,
              username: 'admin',
              org: 'Root',
              trust: { sha256: qumulo.fingerprint },
            },
          ],
        }),
      )
      const r = await importInto(other, file, '--yes')
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('entry 2 (“Leaky”): unknown field "password"')
      expect(r.stderr).toContain('entry 2 (“Leaky”): url: the cluster URL must use https://')
      expect(r.stderr).toContain(
        'entry 2 (“Leaky”): trust: a catalogue carries the CA certificate itself ("caPem"), not a path on one machine ("caPath")',
      )
      expect(r.stderr).toContain('entry 3 (“Orgless”): org: only WEKA clusters have it')
      expect(r.stderr).not.toContain('Hunter2-Secret')

      const future = join(files, 'future.json')
      writeFileSync(
        future,
        JSON.stringify({ format: 'tokendeck-catalogue', version: 7, clusters: [] }),
      )
      const f = await importInto(other, future, '--yes')
      expect(f.code).toBe(2)
      expect(f.stderr).toContain(
        'version 7; this Tokendeck reads version 1 (a newer Tokendeck wrote it)',
      )
      // (The token itself was printed once, by `tokendeck token`, on purpose.)
      expect(cli.leaked([WEKA_PASSWORD, 'Hunter2-Secret'])).toEqual([])
    })
  },
)
