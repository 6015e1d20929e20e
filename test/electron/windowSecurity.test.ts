/**
 * The window's security settings, checked as data (the Electron runtime is not needed to read
 * them), and the CSP every renderer response carries.
 */
import { describe, expect, it } from 'vitest'
import { secureWebPreferences } from '../../src/main/electron/webPreferences'
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp'

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
