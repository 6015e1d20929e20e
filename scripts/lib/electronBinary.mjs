// Where the Electron binary is, found WITHOUT require('electron'): that call downloads the binary
// when it is missing, behind our back. Downloading is `ensureElectron`'s job (electronDownload.ts),
// which says what it does and why it failed; the tests only ever look.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoElectronDir = fileURLToPath(new URL('../../node_modules/electron/', import.meta.url))

/**
 * The electron package to use: node_modules/electron, or TOKENDECK_ELECTRON_DIR. The variable
 * exists for the tests, which run Electron's real installer against a throwaway copy of the
 * package so that the repository's own node_modules never changes.
 * @param {NodeJS.ProcessEnv} [env]
 */
export function electronPackageDir(env = process.env) {
  return env.TOKENDECK_ELECTRON_DIR ? resolve(env.TOKENDECK_ELECTRON_DIR) : repoElectronDir
}

/**
 * @param {string} [electronDir]
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{ path?: string, reason?: string }}
 */
export function findElectronBinary(electronDir = electronPackageDir(), env = process.env) {
  const pathFile = join(electronDir, 'path.txt')
  const override = env.ELECTRON_OVERRIDE_DIST_PATH
  if (!existsSync(join(electronDir, 'package.json')))
    return { reason: 'the electron package is not installed (npm ci)' }
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined
  if (override) {
    const p = join(override, relative || 'electron')
    return existsSync(p)
      ? { path: p }
      : { reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary at ${p}` }
  }
  if (!relative) {
    return {
      reason:
        'no Electron binary yet: Electron 45 downloads it on first use, not at npm ci (npm start does)',
    }
  }
  const full = join(electronDir, 'dist', relative)
  return existsSync(full) ? { path: full } : { reason: `no Electron binary at ${full}` }
}
