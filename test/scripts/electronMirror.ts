/**
 * For the Electron download tests: a throwaway copy of the electron package (Electron's real
 * installer writes dist/ and path.txt beside itself, and the repository's copy must never
 * change), a loopback HTTP "mirror" that records what it was asked for, a tiny zip writer for a
 * stand-in Electron, and an environment in which nothing but that mirror can be reached.
 */
import { cpSync, mkdirSync, symlinkSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { REPO_ROOT } from '../sim/cli/child'

export const REPO_ELECTRON = path.join(REPO_ROOT, 'node_modules', 'electron')

/**
 * `<root>/pkgs/electron`: the repository's electron package without any binary, next to a
 * `node_modules` link to the repository's, so `require('@electron/get')` in its install.js
 * resolves exactly as it does in place.
 */
export function electronCopy(root: string): string {
  const pkgs = path.join(root, 'pkgs')
  mkdirSync(pkgs, { recursive: true })
  const dir = path.join(pkgs, 'electron')
  cpSync(REPO_ELECTRON, dir, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(REPO_ELECTRON, src)
      return rel !== 'dist' && rel !== 'path.txt'
    },
  })
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(pkgs, 'node_modules'), 'junction')
  return dir
}

export interface Mirror {
  url: string
  /** Every path asked for, in order. */
  requests: string[]
  close(): Promise<void>
}

export async function startMirror(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Mirror> {
  const requests: string[] = []
  const server = createServer((req, res) => {
    requests.push(req.url ?? '')
    handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A loopback URL nothing listens on: a port that was free a moment ago. */
export async function deadMirrorUrl(): Promise<string> {
  const m = await startMirror(() => undefined)
  await m.close()
  return m.url
}

/** A zip of stored (uncompressed) files with Unix modes, as Electron's release zips carry. */
export function zipOf(files: Array<{ name: string; content: string; mode: number }>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const f of files) {
    const data = Buffer.from(f.content)
    const name = Buffer.from(f.name)
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed
    local.writeUInt16LE(0x21, 12) // date: 1980-01-01
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE((3 << 8) | 20, 4) // made by Unix: the external attributes hold a mode
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x21, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(((0o100000 | f.mode) << 16) >>> 0, 38)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, data)
    centrals.push(central, name)
    offset += local.length + name.length + data.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(files.length, 8)
  end.writeUInt16LE(files.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

/**
 * Every variable that steers Electron's installer, blanked (empty counts as unset both for it
 * and for us), so a developer's own mirror, proxy or skip setting cannot leak into a test; then
 * the test's own. NODE_OPTIONS preloads the offline guard into the script AND the installer it
 * spawns: a wrong URL fails in-process instead of leaving the machine.
 */
export function hermeticEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const blank = [
    'ELECTRON_SKIP_BINARY_DOWNLOAD',
    'npm_config_electron_skip_binary_download',
    'ELECTRON_OVERRIDE_DIST_PATH',
    'ELECTRON_MIRROR',
    'ELECTRON_NIGHTLY_MIRROR',
    'ELECTRON_CUSTOM_DIR',
    'ELECTRON_CUSTOM_FILENAME',
    'ELECTRON_CUSTOM_VERSION',
    'ELECTRON_INSTALL_PLATFORM',
    'ELECTRON_INSTALL_ARCH',
    'ELECTRON_GET_USE_PROXY',
    'ELECTRON_EXEC_PATH',
    'npm_config_electron_mirror',
    'NPM_CONFIG_ELECTRON_MIRROR',
    'npm_package_config_electron_mirror',
    'npm_config_electron_custom_dir',
    'npm_config_platform',
    'npm_config_arch',
    'electron_use_remote_checksums',
    'npm_config_electron_use_remote_checksums',
    'force_no_cache',
    'HTTPS_PROXY',
    'https_proxy',
    'HTTP_PROXY',
    'http_proxy',
  ]
  const env: NodeJS.ProcessEnv = Object.fromEntries(blank.map((name) => [name, '']))
  env.NODE_OPTIONS = `--require ${path.join(REPO_ROOT, 'scripts', 'offline-guard.cjs')}`
  env.ELECTRON_GET_NO_PROGRESS = '1'
  return { ...env, ...extra }
}
