/**
 * `npm start` / `npm run demo` on an install without Electron's binary (what plain `npm ci` gives
 * with Electron 45) run Electron's REAL installer against a loopback mirror (ELECTRON_MIRROR),
 * with a throwaway copy of the electron package and a temporary cache, and turn each way it can
 * fail into one message. Nothing here reaches past 127.0.0.1 (see hermeticEnv).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { ClusterRegistry } from '../../src/main/core/clusters'
import { killAll, runTs } from '../sim/cli/child'
import {
  deadMirrorUrl,
  electronCopy,
  hermeticEnv,
  REPO_ELECTRON,
  startMirror,
  zipOf,
  type Mirror,
} from './electronMirror'

const VERSION = (
  JSON.parse(readFileSync(path.join(REPO_ELECTRON, 'package.json'), 'utf8')) as { version: string }
).version
const ARCH = process.arch
const PLATFORM = process.platform
const ZIP = `electron-v${VERSION}-${PLATFORM}-${ARCH}.zip`
/** Where @electron/get asks a mirror for this version's zip: <mirror>v<version>/<zip>. */
const ZIP_PATH = `/v${VERSION}/${ZIP}`

const temps: string[] = []
const mirrors: Mirror[] = []
const temp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tokendeck-electron-dl-test-'))
  temps.push(dir)
  return dir
}
const mirror = async (handler: Parameters<typeof startMirror>[0]) => {
  const m = await startMirror(handler)
  mirrors.push(m)
  return m
}
afterEach(async () => {
  await killAll()
  await Promise.all(mirrors.splice(0).map((m) => m.close()))
})
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true })
})

/** The repository's electron package must look the same after every test. */
const repoElectronState = () =>
  JSON.stringify([existsSync(path.join(REPO_ELECTRON, 'path.txt')), readdirSync(REPO_ELECTRON)])
const repoBefore = repoElectronState()

/** A profile with a cluster (so `npm start` opens the app, not the demo) and an Electron copy. */
async function setup(env: NodeJS.ProcessEnv = {}) {
  const root = temp()
  const home = path.join(root, 'home')
  const registry = await ClusterRegistry.open({ dir: home })
  await registry.add({
    vendor: 'weka',
    name: 'Prod',
    url: 'https://weka.example:14000',
    username: 'admin',
    trust: { sha256: `${'AB:'.repeat(31)}AB` },
  })
  const electronDir = electronCopy(root)
  const cache = path.join(root, 'cache')
  return {
    root,
    home,
    electronDir,
    cache,
    env: hermeticEnv({
      TOKENDECK_HOME: home,
      TOKENDECK_ELECTRON_DIR: electronDir,
      TOKENDECK_SKIP_BUILD: '1',
      electron_config_cache: cache,
      ...env,
    }),
  }
}

/**
 * Exactly one "Electron is missing" message, with no stack trace from the installer; returned
 * with runs of whitespace as one space (the message is word-wrapped; URLs keep a line each).
 */
function oneMessage(text: string): string {
  expect(text.match(/Electron is missing/g)).toHaveLength(1)
  expect(text).not.toMatch(/^\s+at /m)
  expect(text).not.toMatch(/HTTPError|TypeError/)
  return text.replace(/\s+/g, ' ')
}

describe('npm start downloads Electron with its own installer from ELECTRON_MIRROR', () => {
  it('a mirror answering 404: asks it for the zip, names it and the 404, exits 1', async () => {
    const m = await mirror((_req, res) => {
      res.statusCode = 404
      res.end('not here')
    })
    const s = await setup({ ELECTRON_MIRROR: m.url })
    const child = runTs('scripts/start.ts', [], s.env)
    expect(await child.exited).toBe(1)
    expect(m.requests).toEqual([ZIP_PATH])
    const err = oneMessage(child.stderr())
    expect(err).toContain(`Electron is missing: downloading Electron ${VERSION} failed: ${m.url}`)
    expect(err).toContain(`answered 404 Not Found (no such file there) for`)
    expect(child.stderr()).toContain(`\n  ${m.url.replace(/\/$/, '')}${ZIP_PATH}\n`)
    expect(err).toContain(`That address comes from ELECTRON_MIRROR=${m.url}.`)
    expect(err).toMatch(/npm run tokendeck/)
    expect(err).toMatch(/npm run sim/)
    expect(err).toMatch(/npm test/)
    expect(child.stdout()).toContain(`Downloading Electron ${VERSION}`)
    expect(existsSync(path.join(s.electronDir, 'path.txt'))).toBe(false)
    expect(repoElectronState()).toBe(repoBefore)
  })

  it('the mirror serving something else: the checksum message; nothing installed or cached', async () => {
    const m = await mirror((_req, res) => res.end('this is not Electron'))
    const s = await setup({ ELECTRON_MIRROR: m.url })
    const child = runTs('scripts/start.ts', [], s.env)
    expect(await child.exited).toBe(1)
    expect(m.requests).toEqual([ZIP_PATH])
    const err = oneMessage(child.stderr())
    expect(err).toContain(
      `Electron is missing: the file downloaded from ${m.url.replace(/\/$/, '')}${ZIP_PATH} ` +
        `does not match Electron ${VERSION}'s published SHA-256 checksum`,
    )
    expect(err).toContain(`checksums.json`)
    expect(err).toContain(`Generated checksum for "${ZIP}" did not match expected checksum.`)
    expect(existsSync(path.join(s.electronDir, 'path.txt'))).toBe(false)
    expect(existsSync(s.cache) ? readdirSync(s.cache) : []).toEqual([])
  })

  it('nothing listening at the mirror: "could not connect … connection refused"', async () => {
    const url = await deadMirrorUrl()
    const s = await setup({ ELECTRON_MIRROR: url })
    const child = runTs('scripts/start.ts', [], s.env)
    expect(await child.exited).toBe(1)
    const err = oneMessage(child.stderr())
    expect(err).toContain(
      `downloading Electron ${VERSION} failed: could not connect to ${new URL(url).host} ` +
        '(connection refused, ECONNREFUSED) for',
    )
    expect(err).toContain(`${url.replace(/\/$/, '')}${ZIP_PATH}`)
    expect(err).toContain('Is that mirror running, and reachable from here?')
  })

  it('credentials in the mirror URL are never printed', async () => {
    const m = await mirror((_req, res) => {
      res.statusCode = 404
      res.end()
    })
    const withSecret = m.url.replace('http://', 'http://mirror-user:s3cret-Pa55@')
    const s = await setup({ ELECTRON_MIRROR: withSecret })
    const child = runTs('scripts/start.ts', [], s.env)
    expect(await child.exited).toBe(1)
    expect(child.stderr()).toMatch(/Electron is missing/)
    expect(child.stdout() + child.stderr()).not.toMatch(/s3cret-Pa55|mirror-user/)
  })

  it('ELECTRON_SKIP_BINARY_DOWNLOAD=1: names the variable, never asks the mirror', async () => {
    const m = await mirror((_req, res) => res.end())
    const s = await setup({ ELECTRON_MIRROR: m.url, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })
    const child = runTs('scripts/start.ts', [], s.env)
    expect(await child.exited).toBe(1)
    const err = oneMessage(child.stderr())
    expect(err).toContain(
      `Electron is missing: ELECTRON_SKIP_BINARY_DOWNLOAD=1 is set in the environment, so Electron ${VERSION} was not downloaded.`,
    )
    expect(err).toContain('unset ELECTRON_SKIP_BINARY_DOWNLOAD')
    expect(err).toContain('Then run `npm start` again.')
    expect(child.stdout()).not.toMatch(/Downloading/)
    expect(m.requests).toEqual([])
  })

  it.skipIf(PLATFORM === 'win32')(
    'a mirror with a (stand-in) Electron: downloads, checks, unpacks it, then runs it',
    async () => {
      const root = temp()
      const record = path.join(root, 'ran.txt')
      const zip = zipOf([
        {
          name: 'electron',
          content: `#!/bin/sh\necho "$TOKENDECK_PROFILE|$*" > "${record}"\nexit 7\n`,
          mode: 0o755,
        },
        { name: 'version', content: `v${VERSION}`, mode: 0o644 },
      ])
      const { createHash } = await import('node:crypto')
      const sum = createHash('sha256').update(zip).digest('hex')
      const m = await mirror((req, res) => {
        if (req.url === ZIP_PATH) res.end(zip)
        else if (req.url === `/v${VERSION}/SHASUMS256.txt`) res.end(`${sum} *${ZIP}\n`)
        else {
          res.statusCode = 404
          res.end()
        }
      })
      // The mirror's own SHASUMS256.txt vouches for the stand-in (the shipped sums would not).
      const s = await setup({ ELECTRON_MIRROR: m.url, electron_use_remote_checksums: '1' })
      const child = runTs('scripts/start.ts', [], s.env)
      expect(await child.exited).toBe(7)
      expect(m.requests).toEqual([ZIP_PATH, `/v${VERSION}/SHASUMS256.txt`])
      expect(readFileSync(path.join(s.electronDir, 'path.txt'), 'utf8')).toBe('electron')
      expect(await readFile(record, 'utf8')).toBe('default|.\n')
      expect(child.stderr()).not.toMatch(/Electron is missing/)
      // In the cache the test chose, not the user's.
      expect(readdirSync(s.cache)).toHaveLength(1)
      // A second start finds it: no second download.
      const again = runTs('scripts/start.ts', [], s.env)
      expect(await again.exited).toBe(7)
      expect(m.requests).toHaveLength(2)
      expect(again.stdout()).not.toMatch(/Downloading/)
    },
  )
})

describe('npm run dev makes sure of Electron first, as npm start does', () => {
  it('with the download turned off: the same message, for `npm run dev`, and exit 1', async () => {
    const m = await mirror((_req, res) => res.end())
    const s = await setup({ ELECTRON_MIRROR: m.url, ELECTRON_SKIP_BINARY_DOWNLOAD: 'yes' })
    const child = runTs('scripts/dev.ts', [], s.env)
    expect(await child.exited).toBe(1)
    const err = oneMessage(child.stderr())
    expect(err).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD=yes is set in the environment')
    expect(err).toContain('Then run `npm run dev` again.')
    expect(err).toMatch(/npm run tokendeck/)
    expect(m.requests).toEqual([])
  })

  it('a mirror answering 404: asks it, says so, never starts electron-vite', async () => {
    const m = await mirror((_req, res) => {
      res.statusCode = 404
      res.end()
    })
    const s = await setup({ ELECTRON_MIRROR: m.url })
    const child = runTs('scripts/dev.ts', [], s.env)
    expect(await child.exited).toBe(1)
    expect(m.requests).toEqual([ZIP_PATH])
    expect(oneMessage(child.stderr())).toContain('answered 404 Not Found')
    expect(child.stdout()).not.toMatch(/vite|dev server/i)
  })
})

describe('npm run demo when the download fails', () => {
  it('says why (the 404 from the mirror) on stdout and keeps serving the simulators', async () => {
    const m = await mirror((_req, res) => {
      res.statusCode = 404
      res.end()
    })
    const s = await setup({ ELECTRON_MIRROR: m.url })
    const child = runTs('scripts/demo.ts', [], s.env)
    await child.waitForLine(/Simulators are running; press Ctrl-C/)
    expect(m.requests).toEqual([ZIP_PATH])
    const out = oneMessage(child.stdout())
    expect(out).toContain('answered 404 Not Found')
    expect(out).toContain(`${m.url.replace(/\/$/, '')}${ZIP_PATH}`)
    expect(out).toMatch(/The simulators keep running/)
    child.signal('SIGINT')
    expect(await child.exited).toBe(0)
  })
})
