/**
 * The CLI takes a vendor's connection fields from the vendor table: a fake fourth vendor
 * (test/support/fakeVendor), registered through the table alone, gets `--vendor acme` and its
 * `--acme-region` flag in `tokendeck clusters add`, the cluster is stored with the region, and a
 * flag of another vendor's field is refused by name. Runs the real command line in this process
 * (the fake vendor exists only here), against a throwaway data directory.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/main/cli/program'
import { registerAcme } from '../support/fakeVendor/client'

const FP = `${'AB:'.repeat(31)}AB`

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: Buffer[] = []
  const err: Buffer[] = []
  stdout.on('data', (b: Buffer) => out.push(b))
  stderr.on('data', (b: Buffer) => err.push(b))
  const code = await main(['node', 'tokendeck', ...args], { stdout, stderr })
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }
}

describe('tokendeck clusters add with a vendor registered through the table', () => {
  let home: string
  const saved = process.env['TOKENDECK_HOME']

  beforeAll(() => {
    registerAcme()
    home = mkdtempSync(join(tmpdir(), 'tokendeck-acme-cli-'))
    process.env['TOKENDECK_HOME'] = home
  })
  afterAll(() => {
    if (saved === undefined) delete process.env['TOKENDECK_HOME']
    else process.env['TOKENDECK_HOME'] = saved
    rmSync(home, { recursive: true, force: true })
  })

  it('lists the vendor and its flag in --help', async () => {
    const help = await run(['clusters', 'add', '--help'])
    expect(help.stdout).toContain('--acme-region <value>')
    expect(help.stdout).toMatch(/acme/)
  })

  it('adds the cluster with its region, stored in clusters.json', async () => {
    const r = await run([
      'clusters',
      'add',
      '--vendor',
      'acme',
      '--name',
      'Acme EU',
      '--url',
      'https://127.0.0.1:1',
      '--username',
      'ops',
      '--acme-region',
      'eu-1',
      '--trust-fingerprint',
      FP,
    ])
    expect(r.code).toBe(0)
    const file = JSON.parse(readFileSync(join(home, 'clusters.json'), 'utf8')) as {
      clusters: unknown[]
    }
    expect(file.clusters).toEqual([expect.objectContaining({ vendor: 'acme', region: 'eu-1' })])
  })

  it("refuses another vendor's field by its flag, and changes nothing", async () => {
    const before = readFileSync(join(home, 'clusters.json'), 'utf8')
    const r = await run([
      'clusters',
      'add',
      '--vendor',
      'acme',
      '--name',
      'Acme org',
      '--url',
      'https://127.0.0.1:1',
      '--username',
      'ops',
      '--org',
      'Root',
      '--trust-fingerprint',
      FP,
    ])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('--org is not a setting of Acme Store clusters')
    expect(readFileSync(join(home, 'clusters.json'), 'utf8')).toBe(before)
  })
})
