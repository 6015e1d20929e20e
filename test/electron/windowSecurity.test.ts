/**
 * The window's security settings, checked as data (the Electron runtime is not needed to read
 * them), and the CSP every renderer response carries.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { secureWebPreferences } from '../../src/main/electron/webPreferences'
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp'
import { appUrlCheck, isTrustedSender } from '../../src/main/electron/appUrl'

describe('main window security', () => {
  const prefs = secureWebPreferences('/app/preload/index.cjs')

  it('isolates and sandboxes the renderer with no Node access', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    })
    expect(prefs.preload).toBe('/app/preload/index.cjs')
    expect(prefs.disableBlinkFeatures).toBe('Auxclick')
  })

  it('has a CSP with no inline script, no remote origin and no network from the page', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/)
        return [name!, values]
      }),
    )
    expect(directives.get('default-src')).toEqual(["'none'"])
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(directives.get('connect-src')).toEqual(["'none'"])
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(directives.get('img-src')).toEqual(["'self'"])
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/)
  })
})

describe('which pages are the app', () => {
  const built = appUrlCheck()
  const dev = appUrlCheck('http://localhost:5173')

  it('admits only app://tokendeck in a build', () => {
    expect(built('app://tokendeck/index.html')).toBe(true)
    expect(built('app://tokendeck/assets/index.js')).toBe(true)
    for (const url of [
      'app://tokendeck.evil/index.html',
      'app://evil/index.html',
      'app://user:pw@tokendeck/index.html',
      'file:///work/out/renderer/index.html',
      'https://tokendeck/index.html',
      'http://localhost:5173/',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(built(url), url).toBe(false)
    }
  })

  it('admits the dev server by origin, not by string prefix', () => {
    expect(dev('http://localhost:5173/')).toBe(true)
    expect(dev('http://localhost:5173.evil.example/')).toBe(false)
    expect(dev('http://localhost:51730/')).toBe(false)
    expect(dev('app://tokendeck/index.html')).toBe(true)
  })

  it('answers IPC only from the app’s own top-level page', () => {
    expect(isTrustedSender({ url: 'app://tokendeck/index.html', isTopFrame: true }, built)).toBe(
      true,
    )
    expect(isTrustedSender({ url: 'app://tokendeck/index.html', isTopFrame: false }, built)).toBe(
      false,
    )
    expect(isTrustedSender({ url: 'https://evil.example/', isTopFrame: true }, built)).toBe(false)
    expect(isTrustedSender(null, built)).toBe(false)
  })
})

describe('packaging: Electron fuses', () => {
  const config = JSON.parse(
    readFileSync(new URL('../../electron-builder.json', import.meta.url), 'utf8'),
  ) as {
    asar: boolean
    files: string[]
    electronFuses: Record<string, boolean>
  }

  it('turns off every way to run the packaged binary as something else', () => {
    expect(config.electronFuses).toMatchObject({
      // ELECTRON_RUN_AS_NODE would turn Tokendeck into a Node interpreter with keychain access.
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      grantFileProtocolExtraPrivileges: false,
    })
  })

  it('loads the app only from an integrity-checked asar, with encrypted cookies', () => {
    expect(config.asar).toBe(true)
    expect(config.electronFuses).toMatchObject({
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    })
  })

  it('is a configuration electron-builder accepts (its own schema), and a misspelt fuse is not', async () => {
    // app-builder-lib validates offline; packaging itself needs the Electron binary.
    const require = createRequire(import.meta.url)
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>
    }
    const { DebugLogger } = require('builder-util') as {
      DebugLogger: new (enabled: boolean) => unknown
    }
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
    await expect(
      validateConfiguration(
        { ...config, electronFuses: { runAsNod: false } },
        new DebugLogger(false),
      ),
    ).rejects.toThrow(/Invalid configuration/)
  })

  it('packages the built app and the icons the window and tray load', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**/*', 'build/*.png']))
  })
})
