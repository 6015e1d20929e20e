/**
 * The window's security settings, checked as data (the Electron runtime is not needed to read
 * them), and the CSP every renderer response carries.
 */
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
