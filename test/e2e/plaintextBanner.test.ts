/**
 * The banner about sessions the weka CLI left in plaintext, in Chromium against the real core,
 * with a temp directory as the home it looks in: it names each file and the command that imports
 * it, never shows a file's content, can be put off, and is absent when there is nothing to say.
 * Screenshots light and dark land in test-results/views/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'
import { shot } from '../support/screenshots'

const missing = chromiumMissingReason() ?? rendererMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''
const REFRESH = 'eyJhbGciOiJSUzI1NiJ9.not-a-real-refresh-token-but-secret.sig'

describe.skipIf(missing)('plaintext credentials banner', () => {
  let browser: Browser
  const home = mkdtempSync(join(tmpdir(), 'tokendeck-home-'))
  const apps: AppHarness[] = []

  beforeAll(async () => {
    browser = await launchChromium()
    mkdirSync(join(home, '.weka'))
    for (const name of ['auth-token.json', 'auth-token-lab.json'])
      writeFileSync(
        join(home, '.weka', name),
        JSON.stringify({ access_token: 'a', refresh_token: REFRESH, token_type: 'Bearer' }),
      )
    writeFileSync(join(home, '.weka', 'notes.txt'), 'not a token file')
  })
  afterAll(async () => {
    for (const a of apps) await a.close()
    await browser?.close()
    rmSync(home, { recursive: true, force: true })
  })

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`names each file and its import command, ${colorScheme}${suffix}`, async () => {
      const app = await startAppHarness(browser, { homeDir: home, colorScheme })
      apps.push(app)
      const banner = app.page.getByRole('alert', { name: 'Plaintext sessions of the weka CLI' })
      await banner.waitFor()
      expect(
        await banner.getByText('The weka CLI left sessions in 2 plaintext files').isVisible(),
      ).toBe(true)
      const text = await banner.innerText()
      expect(text).toContain(join(home, '.weka', 'auth-token.json'))
      expect(text).toContain('tokendeck import weka-cli --cluster <name> --delete-plaintext')
      expect(text).toContain(
        'tokendeck import weka-cli --weka-profile lab --cluster <name> --delete-plaintext',
      )
      expect(text).not.toContain('notes.txt')
      expect(await app.page.content()).not.toContain(REFRESH)
      await shot(app.page, `plaintext-banner-${colorScheme}`)
      await banner.getByRole('button', { name: 'Not now' }).click()
      await banner.waitFor({ state: 'detached' })
      expect(app.consoleErrors).toEqual([])
    })
  }

  it(`shows nothing when the home holds no such file${suffix}`, async () => {
    const app = await startAppHarness(browser)
    apps.push(app)
    await app.page.getByRole('heading', { name: 'No clusters yet' }).waitFor()
    // The channel answered (empty) before the list rendered its empty state.
    const r = await app.core.dispatcher.invoke('app:plaintextCredentials', undefined)
    expect(r).toEqual({ ok: true, value: { files: [] } })
    expect(
      await app.page.getByRole('alert', { name: 'Plaintext sessions of the weka CLI' }).count(),
    ).toBe(0)
  })
})
