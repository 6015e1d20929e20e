/**
 * A clusters.json written by hand with `https://admin:password@host`: the real CLI lists the
 * cluster without the userinfo, warns once naming it, and the password leaves the file.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CliHarness } from './cliHarness'

const PASSWORD = 'Pa55-in-the-URL'
const cli = new CliHarness()
afterAll(() => cli.close())

describe('tokendeck with a cluster URL that carries a password', () => {
  it('lists it without the password, warns once, and removes the password from the file', async () => {
    writeFileSync(
      join(cli.home, 'clusters.json'),
      JSON.stringify({
        version: 1,
        clusters: [
          {
            id: 'prod-1a2b3c',
            vendor: 'weka',
            name: 'prod',
            url: `https://admin:${PASSWORD}@weka01.example:14000`,
            username: 'admin',
            trust: { sha256: Array.from({ length: 32 }, () => '0F').join(':') },
          },
        ],
      }),
    )
    const first = await cli.run(['clusters', 'list'])
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('https://weka01.example:14000')
    expect(first.stderr.split('"prod"').length - 1).toBe(1)
    expect(first.stderr).toContain('user name or password')
    expect(readFileSync(join(cli.home, 'clusters.json'), 'utf8')).not.toContain(PASSWORD)

    const second = await cli.run(['clusters', 'list'])
    expect(second.code).toBe(0)
    expect(second.stderr).not.toContain('user name or password')
    expect(cli.leaked([PASSWORD])).toEqual([])
  })
})
