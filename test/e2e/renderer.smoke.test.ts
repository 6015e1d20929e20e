/**
 * The built renderer in Debian's Chromium, talking to the real core through the bridge.
 */
import { mkdirSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'

const missing = chromiumMissingReason() ?? rendererMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''

describe.skipIf(missing)('renderer in Chromium', () => {
  let browser: Browser
  let app: AppHarness

  beforeAll(async () => {
    browser = await launchChromium()
    app = await startAppHarness(browser)
  })
  afterAll(async () => {
    await app?.close()
    await browser?.close()
  })

  it(`shows the empty state with an Add cluster action and logs no console error${suffix}`, async () => {
    const { page } = app
    await expect
      .poll(() => page.getByRole('heading', { name: 'No clusters yet' }).isVisible())
      .toBe(true)
    expect(await page.getByRole('button', { name: 'Add cluster' }).isVisible()).toBe(true)
    // app:info came from the core through the bridge.
    expect(await page.getByText('v0.0.0-test').isVisible()).toBe(true)
    mkdirSync('test-results', { recursive: true })
    await page.screenshot({ path: 'test-results/empty-state-light.png' })
    expect(app.consoleErrors).toEqual([])
  })

  it(`lists a cluster registered in the core${suffix}`, async () => {
    await app.core.registry.add({
      vendor: 'weka',
      name: 'Lab WEKA',
      url: 'https://127.0.0.1:14000',
      username: 'admin',
      trust: { sha256: 'AB:'.repeat(31) + 'AB' },
    })
    await app.page.reload()
    await expect.poll(() => app.page.getByText('Lab WEKA').isVisible()).toBe(true)
  })

  it(`enforces the CSP: an injected inline script does not run${suffix}`, async () => {
    const ran = await app.page.evaluate(() => {
      const s = document.createElement('script')
      s.textContent = 'window.__inlineRan = true'
      document.body.appendChild(s)
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true
    })
    expect(ran).toBe(false)
  })
})
