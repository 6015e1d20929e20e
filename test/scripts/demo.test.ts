import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { needsBuild, registerDemoClusters } from '../../scripts/lib/launch'
import { ClusterRegistry } from '../../src/main/core/clusters'
import type { Cluster } from '../../src/shared/model'
import { killAll, REPO_ROOT, runTs, type Child } from '../sim/cli/child'
import type { SimsInfo } from '../sim/cli/sims'

const temps: string[] = []
const temp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokendeck-demo-test-'))
  temps.push(dir)
  return dir
}
afterEach(killAll)
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true })
})

/** No Electron, even on a machine that has one: an override directory with no binary in it. */
const env = (home: string) => ({ TOKENDECK_HOME: home, ELECTRON_OVERRIDE_DIST_PATH: temp() })

const prodCluster = {
  vendor: 'weka',
  name: 'Prod',
  url: 'https://weka.example:14000',
  username: 'admin',
  trust: { sha256: `${'AB:'.repeat(31)}AB` },
} as const

const FP = '([0-9A-F]{2}(?::[0-9A-F]{2}){31})'

/** Wait until the demo is up; return the URL and pin it printed for each simulator, in order. */
async function demoUp(child: Child) {
  await child.waitForLine(/Simulators are running; press Ctrl-C/)
  const out = child.stdout()
  expect(out).toMatch(/Electron is missing/)
  // The override names an Electron that is not there: said so, and nothing is downloaded.
  expect(out.replace(/\s+/g, ' ')).toMatch(/ELECTRON_OVERRIDE_DIST_PATH=\S+ has no Electron binary/)
  expect(out).not.toMatch(/Downloading Electron/)
  expect(out).toContain('WekaSim-Admin-7341') // demo users and passwords are shown
  const urls = [...out.matchAll(/^ {2}URL\s+(\S+)$/gm)].map((m) => m[1])
  const pins = [...out.matchAll(new RegExp(`^  SHA-256\\s+${FP}$`, 'gm'))].map((m) => m[1])
  expect(urls).toHaveLength(3)
  expect(pins).toHaveLength(3)
  return { urls, pins }
}

async function demoClusters(home: string): Promise<Cluster[]> {
  const file = JSON.parse(await readFile(path.join(home, 'demo', 'clusters.json'), 'utf8')) as {
    clusters: Cluster[]
  }
  return file.clusters
}

function expectPinned(
  clusters: Cluster[],
  printed: { urls: (string | undefined)[]; pins: (string | undefined)[] },
) {
  expect(clusters.map((c) => [c.vendor, c.name])).toEqual([
    ['weka', 'Demo WEKA'],
    ['qumulo', 'Demo Qumulo'],
    ['swarm', 'Demo Swarm'],
  ])
  expect(clusters.map((c) => c.url)).toEqual(printed.urls)
  expect(clusters.map((c) => ('sha256' in c.trust ? c.trust.sha256 : undefined))).toEqual(
    printed.pins,
  )
  expect(clusters.map((c) => c.username)).toEqual(['admin', 'admin', 'admin@'])
  expect(clusters[2]?.domain).toBe('docs.acme.example')
}

describe('npm run demo (no Electron binary)', () => {
  it('registers three pinned demo clusters, says Electron is missing, keeps serving; a re-run updates them', async () => {
    const home = temp()
    const first = runTs('scripts/demo.ts', [], env(home))
    const printed1 = await demoUp(first)
    const firstIds = (await demoClusters(home)).map((c) => c.id)
    expectPinned(await demoClusters(home), printed1)
    first.signal('SIGINT')
    expect(await first.exited).toBe(0)

    const second = runTs('scripts/demo.ts', [], env(home))
    const printed2 = await demoUp(second)
    const clusters = await demoClusters(home)
    expectPinned(clusters, printed2)
    // The same three clusters, updated in place: not added again.
    expect(clusters.map((c) => c.id)).toEqual(firstIds)
    expect(clusters.map((c) => c.vendor)).toEqual(['weka', 'qumulo', 'swarm'])
    expect(printed2.pins).not.toEqual(printed1.pins) // new certificates, new pins
    // The demo profile never touches the default profile's registry.
    await expect(readFile(path.join(home, 'clusters.json'))).rejects.toThrow(/ENOENT/)
  })

  it('refuses arguments (exit 2)', async () => {
    const child = runTs('scripts/demo.ts', ['--fast'], env(temp()))
    expect(await child.exited).toBe(2)
    expect(child.stderr()).toContain('Usage: npm run demo')
  })
})

describe('npm start (no Electron binary)', () => {
  it('with no clusters yet, falls into the demo', async () => {
    const home = temp()
    const child = runTs('scripts/start.ts', [], env(home))
    const printed = await demoUp(child)
    expect(child.stdout()).toMatch(/No clusters registered yet/)
    expectPinned(await demoClusters(home), printed)
    child.signal('SIGTERM')
    expect(await child.exited).toBe(0)
  })

  it('with clusters, explains what still works and exits 1', async () => {
    const home = temp()
    const registry = await ClusterRegistry.open({ dir: home })
    await registry.add(prodCluster)
    const child = runTs('scripts/start.ts', [], env(home))
    expect(await child.exited).toBe(1)
    expect(child.stderr()).toMatch(/Electron is missing/)
    expect(child.stderr()).toMatch(/npm run demo/)
    expect(child.stderr()).toMatch(/npm test/)
    await expect(readFile(path.join(home, 'demo', 'clusters.json'))).rejects.toThrow(/ENOENT/)
  })

  it('with an unreadable cluster list, does not fall into the demo nor move the file', async () => {
    const home = temp()
    writeFileSync(path.join(home, 'clusters.json'), '{ not json')
    const child = runTs('scripts/start.ts', [], env(home))
    expect(await child.exited).toBe(1)
    expect(await readFile(path.join(home, 'clusters.json'), 'utf8')).toBe('{ not json')
  })
})

describe('with an Electron binary (a stand-in that records how it was run)', () => {
  /** ELECTRON_OVERRIDE_DIST_PATH holding an "electron" that writes its profile, cwd and args. */
  function fakeElectron(exitCode: number) {
    const dist = temp()
    const record = path.join(temp(), 'ran.txt')
    const bin = path.join(dist, 'electron')
    writeFileSync(
      bin,
      `#!/bin/sh\necho "$TOKENDECK_PROFILE|$PWD|$*" > "${record}"\nexit ${exitCode}\n`,
    )
    chmodSync(bin, 0o755)
    return { dist, record }
  }
  const launchEnv = (home: string, dist: string) => ({
    TOKENDECK_HOME: home,
    ELECTRON_OVERRIDE_DIST_PATH: dist,
    TOKENDECK_SKIP_BUILD: '1',
  })

  it.skipIf(process.platform === 'win32')(
    'the demo runs `<electron> .` on the demo profile, then stops the simulators',
    async () => {
      const home = temp()
      const { dist, record } = fakeElectron(0)
      const child = runTs('scripts/demo.ts', [], launchEnv(home, dist))
      expect(await child.exited).toBe(0)
      expect(child.stdout()).not.toMatch(/Electron is missing/)
      expect(await readFile(record, 'utf8')).toBe(`demo|${REPO_ROOT.replace(/\/$/, '')}|.\n`)
      expect(await demoClusters(home)).toHaveLength(3)
    },
  )

  it.skipIf(process.platform === 'win32')(
    'npm start with clusters runs the default profile and passes on its exit code',
    async () => {
      const home = temp()
      const registry = await ClusterRegistry.open({ dir: home })
      await registry.add(prodCluster)
      const { dist, record } = fakeElectron(3)
      const child = runTs('scripts/start.ts', [], launchEnv(home, dist))
      expect(await child.exited).toBe(3)
      expect(await readFile(record, 'utf8')).toMatch(/^default\|/)
    },
  )
})

describe('launch helpers', () => {
  it('registerDemoClusters updates by name and leaves other clusters alone', async () => {
    const dir = temp()
    const registry = await ClusterRegistry.open({ dir })
    const mine = await registry.add({
      vendor: 'qumulo',
      name: 'My lab',
      url: 'https://q.example',
      username: 'me',
      trust: { caPath: '/ca.pem' },
    })
    const fp = (c: string) => `${`${c}${c}:`.repeat(31)}${c}${c}`
    const info = (c: string, port: number): SimsInfo => {
      const sim = {
        url: `https://127.0.0.1:${port}`,
        fingerprint: fp(c),
        users: [{ username: 'root', password: 'x', role: 'admin' }],
      }
      return { weka: sim, qumulo: sim, swarm: { ...sim, s3Url: sim.url } }
    }
    await registerDemoClusters(dir, info('A', 1))
    const after = await registerDemoClusters(dir, info('B', 2))
    const all = (await ClusterRegistry.open({ dir })).list()
    expect(all).toHaveLength(4)
    expect(all[0]).toEqual(mine)
    expect(after.map((c) => c.url)).toEqual(Array(3).fill('https://127.0.0.1:2'))
    expect(after.every((c) => 'sha256' in c.trust && c.trust.sha256 === fp('B'))).toBe(true)
  })

  it('needsBuild: missing output or a source newer than the output', () => {
    const root = temp()
    expect(needsBuild(root)).toBe(true)
    for (const d of ['src/main', 'out/main', 'out/preload', 'out/renderer'])
      mkdirSync(path.join(root, d), { recursive: true })
    writeFileSync(path.join(root, 'src/main/index.ts'), '')
    writeFileSync(path.join(root, 'out/main/index.js'), '')
    writeFileSync(path.join(root, 'out/renderer/index.html'), '')
    const old = new Date(Date.now() - 60_000)
    for (const p of ['src/main/index.ts', 'src/main', 'src'])
      utimesSync(path.join(root, p), old, old)
    expect(needsBuild(root)).toBe(false)
    utimesSync(path.join(root, 'src/main/index.ts'), new Date(), new Date())
    expect(needsBuild(root)).toBe(true)
  })
})
