// Where the Electron binary is, found WITHOUT require('electron'): that call downloads the binary
// when it is missing, and nothing here may reach outside this machine.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const electronDir = fileURLToPath(new URL('../../node_modules/electron/', import.meta.url))

/** @returns {{ path?: string, reason?: string }} */
export function findElectronBinary() {
  const pathFile = join(electronDir, 'path.txt')
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
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
      reason: 'no Electron binary: npm installed electron with ELECTRON_SKIP_BINARY_DOWNLOAD=1',
    }
  }
  const full = join(electronDir, 'dist', relative)
  return existsSync(full) ? { path: full } : { reason: `no Electron binary at ${full}` }
}
