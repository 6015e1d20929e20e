/**
 * The add-cluster dialog draws a vendor's fields from the vendor table: with a fake fourth vendor
 * registered through the table alone (test/support/fakeVendor), the dialog in Chromium offers it,
 * shows its Region field with its hint (and not another vendor's fields), fills its default port,
 * and adding sends the region to the real core, which stores it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemorySecretStore } from '../../../src/main/core/secrets'
import { systemClock } from '../../../src/main/core/time'
import { installBridge } from '../../support/bridge'
import { chromiumMissingReason, launchChromium } from '../../support/chromium'
import { serveDirectory } from '../../support/staticServer'
import { registerAcme } from '../../support/fakeVendor/client'
import { startCoreHarness, type CoreHarness } from '../../core/harness'

const missing = chromiumMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''
const FP = `${'AB:'.repeat(31)}AB`

describe.skipIf(missing)('the add-cluster dialog with a fourth vendor from the table', () => {
  let browser: Browser
  let page: Page
  let h: CoreHarness
  let dir: string
  let server: { url: string; close(): Promise<void> }
  const errors: string[] = []

  beforeAll(async () => {
    registerAcme()
    dir = mkdtempSync(join(tmpdir(), 'tokendeck-acme-page-'))
    await build({
      entryPoints: [fileURLToPath(new URL('./dialogPage.tsx', import.meta.url))],
      bundle: true,
      format: 'esm',
      jsx: 'automatic',
      outdir: dir,
      entryNames: 'page',
      loader: { '.woff2': 'file', '.svg': 'file', '.png': 'file' },
      logLevel: 'silent',
    })
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/page.css">' +
        '</head><body><div id="root"></div><script type="module" src="/page.js"></script></body></html>',
    )
    writeFileSync(join(dir, 'favicon.ico'), '') // the browser asks for one
    server = await serveDirectory(dir)
    h = await startCoreHarness(systemClock, { secretStore: new MemorySecretStore() })
    browser = await launchChromium()
    page = await browser.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    await installBridge(page, h.core.dispatcher)
    await page.goto(server.url)
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await h?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it(`offers the vendor and renders its field from the table${suffix}`, async () => {
    const vendor = page.getByLabel('Vendor')
    await expect.poll(() => vendor.isVisible()).toBe(true)
    expect(await vendor.locator('option').allTextContents()).toEqual([
      'WEKA',
      'Qumulo',
      'Swarm',
      'Acme Store',
    ])
    // WEKA first: its Organization field, no Region.
    expect(await page.getByLabel('Organization').isVisible()).toBe(true)
    expect(await page.getByLabel('Region').count()).toBe(0)
    await vendor.selectOption('acme')
    await expect.poll(() => page.getByLabel('Region').isVisible()).toBe(true)
    expect(await page.getByText('The Acme region the account lives in.').isVisible()).toBe(true)
    expect(await page.getByLabel('Organization').count()).toBe(0)
    expect(await page.getByText("Acme Store's default port 9443").isVisible()).toBe(true)
  })

  it(`adds the cluster with its region through the real core${suffix}`, async () => {
    await page.getByLabel('Cluster name').fill('Acme EU')
    await page.getByLabel('URL').fill('https://127.0.0.1')
    await page.getByLabel('URL').blur()
    await expect.poll(() => page.getByLabel('URL').inputValue()).toBe('https://127.0.0.1:9443')
    await page.getByLabel('Known SHA-256 fingerprint (optional)').fill(FP)
    await page.getByLabel('Username').fill('ops')
    await page.getByLabel('Region').fill('eu-1')
    await page.getByRole('button', { name: 'Add cluster' }).click()
    await expect.poll(() => page.locator('body').getAttribute('data-saved')).toBeTruthy()
    expect(h.core.registry.list()).toEqual([
      expect.objectContaining({ vendor: 'acme', name: 'Acme EU', region: 'eu-1' }),
    ])
    expect(errors).toEqual([])
  })
})
