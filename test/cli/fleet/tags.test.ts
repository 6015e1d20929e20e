/**
 * Tags on clusters through the real CLI: set on add, changed with `clusters tag`, shown by
 * `clusters list`, refused when they could hold something else than a label, and kept by a
 * read-modify-write when two processes tag at once.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWekaSim, type WekaSim } from '../../sim/weka'
import { CliHarness, uniqueName, wekaFlags } from '../cliHarness'

describe('tokendeck clusters — tags', () => {
  let sim: WekaSim
  let cli: CliHarness

  beforeAll(async () => {
    sim = await startWekaSim()
    cli = new CliHarness()
  })
  afterAll(async () => {
    await cli?.close()
    await sim?.close()
  })

  const addArgs = (name: string, ...tags: string[]) => [
    ...wekaFlags(sim, name),
    ...tags.flatMap((t) => ['--tag', t]),
  ]

  it('sets tags on add (normalised, sorted), changes them with `clusters tag`, lists them', async () => {
    const name = uniqueName('tagged')
    const id = await cli.add(addArgs(name, 'Site-A', 'prod'))
    const listed = await cli.run(['clusters', 'list', '--json'])
    const mine = (JSON.parse(listed.stdout) as { id: string; tags?: string[] }[]).find(
      (c) => c.id === id,
    )
    expect(mine?.tags).toEqual(['prod', 'site-a'])

    const changed = await cli.run(['clusters', 'tag', name, '--add', 'lab', '--remove', 'prod'])
    expect(changed.code, changed.stderr).toBe(0)
    expect(changed.stdout).toContain(`${name} is tagged lab, site-a.`)

    const table = await cli.run(['clusters', 'list'])
    expect(table.stdout).toMatch(/TAGS/)
    expect(table.stdout).toContain('lab,site-a')

    const cleared = await cli.run(['clusters', 'tag', id, '--remove', 'lab', '--remove', 'site-a'])
    expect(cleared.stdout).toContain('has no tags')
    // No tags left: the cluster has no `tags` key, like files from before tags.
    const file = JSON.parse(readFileSync(join(cli.home, 'clusters.json'), 'utf8')) as {
      clusters: Record<string, unknown>[]
    }
    expect(file.clusters.find((c) => c['id'] === id)).not.toHaveProperty('tags')
  })

  it('refuses a tag that is not a short label, naming it, and changes nothing', async () => {
    const name = uniqueName('badtag')
    const bad = await cli.run([
      'clusters',
      'add',
      ...addArgs(name, 'eyJhbGciOiJIUzI1NiJ9.secret-looking-token-value'),
    ])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--tag "eyJhbGciOiJIUzI1NiJ9.secret-looking-token-value"')
    expect(bad.stderr).toMatch(/a tag is 1–32/)
    const listed = await cli.run(['clusters', 'list', '--json'])
    expect(listed.stdout).not.toContain(name)

    const id = await cli.add(addArgs(uniqueName('ok')))
    const spaced = await cli.run(['clusters', 'tag', id, '--add', 'two words'])
    expect(spaced.code).toBe(2)
    expect(spaced.stderr).toContain('--add "two words"')
    const none = await cli.run(['clusters', 'tag', id])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('Give --add <tag> or --remove <tag>')
  })

  it('two processes tagging one cluster at once both keep their tag', async () => {
    const id = await cli.add(addArgs(uniqueName('race')))
    const [a, b] = await Promise.all([
      cli.run(['clusters', 'tag', id, '--add', 'alpha']),
      cli.run(['clusters', 'tag', id, '--add', 'beta']),
    ])
    expect(a.code, a.stderr).toBe(0)
    expect(b.code, b.stderr).toBe(0)
    const listed = await cli.run(['clusters', 'list', '--json'])
    const mine = (JSON.parse(listed.stdout) as { id: string; tags?: string[] }[]).find(
      (c) => c.id === id,
    )
    expect(mine?.tags).toEqual(['alpha', 'beta'])
  })

  it('reads a clusters.json from before tags', async () => {
    const home = join(cli.home, 'old')
    const cluster = {
      id: 'old-weka-abc123',
      vendor: 'weka',
      name: 'Old',
      url: sim.url,
      username: 'admin',
      trust: { sha256: sim.fingerprint },
    }
    const { mkdirSync } = await import('node:fs')
    mkdirSync(home, { recursive: true })
    writeFileSync(join(home, 'clusters.json'), JSON.stringify({ version: 1, clusters: [cluster] }))
    const listed = await cli.run(['clusters', 'list', '--json'], undefined, home)
    expect(listed.code, listed.stderr).toBe(0)
    expect(JSON.parse(listed.stdout)).toEqual([cluster])
    const tagged = await cli.run(['clusters', 'tag', 'Old', '--add', 'legacy'], undefined, home)
    expect(tagged.code, tagged.stderr).toBe(0)
  })
})
