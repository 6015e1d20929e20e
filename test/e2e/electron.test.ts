/**
 * The built app under real Electron: runs wherever an Electron binary exists, and says in its
 * name why it skipped where none does (npm installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1 here).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { findElectronBinary } from '../../scripts/lib/electronBinary.mjs'

const electron = findElectronBinary()
const title = electron.path
  ? 'launches the built app: secure window, preload bridge, empty state'
  : `launches the built app — SKIPPED: ${electron.reason}`

let xvfb: ChildProcess | undefined
afterAll(() => {
  xvfb?.kill()
})

describe('Electron end-to-end', () => {
  it.skipIf(!electron.path)(title, async () => {
    const env: Record<string, string> = { ...(process.env as Record<string, string>) }
    if (process.platform === 'linux' && !env['DISPLAY']) {
      xvfb = spawn('Xvfb', [':97', '-screen', '0', '1280x800x24'], { stdio: 'ignore' })
      env['DISPLAY'] = ':97'
      await new Promise((r) => setTimeout(r, 500))
    }
    const home = mkdtempSync(join(tmpdir(), 'tokendeck-electron-'))
    env['TOKENDECK_HOME'] = home
    const app = await _electron.launch({
      executablePath: electron.path!,
      args: ['--no-sandbox', '.'],
      env,
    })
    try {
      const page = await app.firstWindow()
      await page.getByRole('button', { name: 'Add cluster' }).waitFor()
      expect(page.url()).toBe('app://tokendeck/index.html')
      const page_ = await page.evaluate(() => ({
        bridge: Object.keys((window as unknown as { tokendeck: object }).tokendeck).sort(),
        hasRequire: typeof (window as unknown as { require?: unknown }).require,
        hasProcess: typeof (window as unknown as { process?: unknown }).process,
        popup: window.open('https://example.com') === null,
      }))
      expect(page_).toEqual({
        bridge: ['invoke', 'onEvent'],
        hasRequire: 'undefined',
        hasProcess: 'undefined',
        popup: true,
      })
    } finally {
      await app.close()
      rmSync(home, { recursive: true, force: true })
    }
  })
})
