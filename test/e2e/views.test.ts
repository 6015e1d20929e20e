/**
 * The renderer's views in Chromium against the real core, for what needs no simulator: the empty
 * state and the add-cluster dialog, a thousand clusters in the virtualized list, settings and the
 * theme. Screenshots of each view, light and dark, land in test-results/views/.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'
import { writeClusterFile, type ClusterFixture } from '../support/clusterFile'
import type { Vendor } from '../../src/shared/model'
import type { TokendeckApi } from '../../src/shared/contract'
import { shot } from '../support/screenshots'
import { closeWithEscape } from '../support/viewActions'

const missing = chromiumMissingReason() ?? rendererMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''
const PIN = 'AB:'.repeat(31) + 'AB'
const VENDORS: Vendor[] = ['weka', 'qumulo', 'swarm']
const PORTS: Record<Vendor, number> = { weka: 14000, qumulo: 8000, swarm: 443 }

const pad = (i: number) => String(i).padStart(4, '0')
const nameOf = (i: number) => `Cluster ${pad(i)}`

/** `count` clusters across the three vendors, as one cluster file (see support/clusterFile.ts). */
function clusterFixtures(count: number): ClusterFixture[] {
  return Array.from({ length: count }, (_, i) => {
    const vendor = VENDORS[i % 3]!
    return {
      vendor,
      name: nameOf(i),
      url: `https://${vendor}-${pad(i)}.lab.example:${PORTS[vendor]}`,
      username: i % 2 ? 'admin' : 'ops',
      ...(vendor === 'weka' && i % 2 ? { org: 'Research' } : {}),
      trust: { sha256: PIN },
    }
  })
}

const rows = (page: Page) => page.locator('[role="grid"] [role="row"].cluster-row')
const selectedName = (page: Page) =>
  page.locator('[role="row"][aria-selected="true"] .cell-name button').textContent()

describe.skipIf(missing)('renderer views', () => {
  let browser: Browser

  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  describe('empty start', () => {
    let app: AppHarness
    beforeAll(async () => {
      app = await startAppHarness(browser)
    })
    afterAll(async () => {
      await app?.close()
    })

    it(`opens the Add cluster dialog from the empty state and fills in the vendor's default port${suffix}`, async () => {
      const { page } = app
      await page.getByRole('heading', { name: 'No clusters yet' }).waitFor()
      await page.getByRole('button', { name: 'Add cluster' }).click()
      const dialog = page.getByRole('dialog', { name: 'Add cluster' })
      await dialog.waitFor()
      expect(await dialog.getByLabel('Vendor').inputValue()).toBe('weka')
      const url = dialog.getByLabel('URL')
      await url.fill('https://10.20.30.40')
      await url.press('Tab')
      expect(await url.inputValue()).toBe('https://10.20.30.40:14000')
      // A port we filled in follows the vendor; WEKA shows an Organization field, Swarm tenant and domain.
      expect(await dialog.getByLabel('Organization').isVisible()).toBe(true)
      await dialog.getByLabel('Vendor').selectOption('qumulo')
      expect(await url.inputValue()).toBe('https://10.20.30.40:8000')
      await dialog.getByLabel('Vendor').selectOption('swarm')
      expect(await url.inputValue()).toBe('https://10.20.30.40')
      expect(await dialog.getByLabel('Tenant').isVisible()).toBe(true)
      expect(await dialog.getByLabel('Domain').isVisible()).toBe(true)
      // A port the user typed stays.
      await dialog.getByLabel('Vendor').selectOption('weka')
      await url.fill('https://10.20.30.40:9443/')
      await url.press('Tab')
      expect(await url.inputValue()).toBe('https://10.20.30.40:9443/')
      await url.fill('http://10.20.30.40')
      await url.press('Tab')
      expect(await dialog.getByText('The URL must start with https://').isVisible()).toBe(true)
      await url.fill('https://weka01.lab.example')
      await url.press('Tab')
      await dialog.getByLabel('Cluster name').fill('Lab WEKA')
      await dialog.getByLabel('Username').fill('admin')
      await shot(page, 'add-cluster-light')
      // Saving without a trust decision says what is missing instead of calling main.
      await dialog.getByRole('button', { name: 'Add cluster' }).click()
      expect(
        await dialog
          .getByText(
            'Check the certificate, then trust it, paste its fingerprint or use a CA file.',
          )
          .isVisible(),
      ).toBe(true)
      await dialog.getByRole('button', { name: 'use a CA file instead' }).click()
      expect(await dialog.getByLabel('CA file path').isVisible()).toBe(true)
      await closeWithEscape(page, dialog)
      await shot(page, 'empty-light')
      expect(app.consoleErrors).toEqual([])
    })

    it(`saves settings, which survive a reload, and switches the theme${suffix}`, async () => {
      const { page } = app
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: 'Settings' })
        .click()
      await page.getByRole('heading', { name: 'Settings' }).waitFor()
      await page.getByLabel('Clear the clipboard after (seconds)').fill('45')
      await page.getByLabel('Warn before long-lived tokens expire (days)').fill('10')
      await page.getByLabel('A token is about to expire').uncheck()
      await page.getByRole('button', { name: 'Save settings' }).click()
      await page.getByRole('status').getByText('Settings saved.').waitFor()
      await shot(page, 'settings-light')

      await page.getByLabel('Theme').selectOption('dark')
      await expect
        .poll(() => page.evaluate(() => document.documentElement.dataset['theme']))
        .toBe('dark')
      await shot(page, 'settings-dark-chosen')
      await page.getByLabel('Theme').selectOption('light')
      await expect
        .poll(() => page.evaluate(() => document.documentElement.dataset['theme']))
        .toBe('light')

      await page.reload()
      await expect
        .poll(() => page.evaluate(() => document.documentElement.dataset['theme']))
        .toBe('light')
      const saved = await page.evaluate(async () => {
        const api = (window as unknown as { tokendeck: TokendeckApi }).tokendeck
        const r = await api.invoke('settings:get', undefined)
        return r.ok ? r.value : undefined
      })
      expect(saved).toMatchObject({
        clipboardClearSeconds: 45,
        expiryWarning: { days: 10, hours: 2 },
        notifications: { expiring: false, refreshFailed: true },
        theme: 'light',
      })
      await page.getByRole('button', { name: 'Settings' }).click()
      expect(await page.getByLabel('Clear the clipboard after (seconds)').inputValue()).toBe('45')
      expect(await page.getByLabel('A token is about to expire').isChecked()).toBe(false)
      expect(app.consoleErrors).toEqual([])
    })
  })

  describe('a thousand clusters', () => {
    let app: AppHarness
    beforeAll(async () => {
      // One write of the cluster file before the core starts, not 1,000 locked registry adds.
      app = await startAppHarness(browser, { dataDir: writeClusterFile(clusterFixtures(1000)) })
    })
    afterAll(async () => {
      await app?.close()
    })

    it(`renders only a window of rows, filters, and moves the selection with the keyboard${suffix}`, async () => {
      const { page } = app
      const grid = page.getByRole('grid', { name: 'Clusters' })
      await grid.waitFor()
      expect(await grid.getAttribute('aria-rowcount')).toBe('1001')
      const rendered = await rows(page).count()
      expect(rendered).toBeGreaterThan(5)
      expect(rendered).toBeLessThan(100)
      expect(await page.getByText('1000 clusters').isVisible()).toBe(true)
      // Signed out: Copy is disabled and says why.
      const copy = page.getByRole('button', { name: `Copy access token of ${nameOf(0)}` })
      expect(await copy.isDisabled()).toBe(true)
      expect(await copy.getAttribute('title')).toContain('Sign in')
      expect(await rows(page).first().getByText('Signed out').isVisible()).toBe(true)

      const filter = page.getByLabel('Filter clusters')
      await filter.fill('0042')
      await expect.poll(() => rows(page).count()).toBe(1)
      expect(await page.getByText('1 of 1000 clusters').isVisible()).toBe(true)
      await filter.fill('qumulo-00')
      await page.getByText('33 of 1000 clusters').waitFor()
      await filter.fill('')
      await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe('1001')

      await grid.focus()
      expect(await selectedName(page)).toBe(nameOf(0))
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('ArrowDown')
      expect(await selectedName(page)).toBe(nameOf(3))
      await page.keyboard.press('ArrowUp')
      expect(await selectedName(page)).toBe(nameOf(2))
      await shot(page, 'cluster-list-light')

      // End jumps to the last cluster: the window moves with it, still small.
      await page.keyboard.press('End')
      await expect.poll(() => selectedName(page)).toBe(nameOf(999))
      expect(await rows(page).count()).toBeLessThan(100)
      expect(await page.getByRole('button', { name: nameOf(0), exact: true }).count()).toBe(0)

      // From the filter box too: type, arrow down, Enter opens the detail.
      await filter.fill('Cluster 05')
      await filter.press('ArrowDown')
      expect(await selectedName(page)).toBe(nameOf(501))
      await filter.press('Enter')
      await page.getByRole('heading', { name: nameOf(501) }).waitFor()
      expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true)
      expect(await page.getByText('Sign in to see and manage tokens.').isVisible()).toBe(true)
      await shot(page, 'cluster-detail-light')
      await page.getByRole('button', { name: 'Sign in' }).click()
      const signIn = page.getByRole('dialog', { name: `Sign in to ${nameOf(501)}` })
      expect(await signIn.getByLabel('Password').getAttribute('type')).toBe('password')
      expect(await signIn.getByLabel('Password').getAttribute('autocomplete')).toBe('off')
      await shot(page, 'sign-in-light')
      await closeWithEscape(page, signIn)
      await page.getByRole('button', { name: '← All clusters' }).click()
      await grid.waitFor()
      expect(app.consoleErrors).toEqual([])
    })
  })

  describe('dark', () => {
    let app: AppHarness
    beforeAll(async () => {
      app = await startAppHarness(browser, { colorScheme: 'dark' })
    })
    afterAll(async () => {
      await app?.close()
    })

    it(`follows the system's dark scheme on every view${suffix}`, async () => {
      const { page } = app
      await page.getByRole('heading', { name: 'No clusters yet' }).waitFor()
      await shot(page, 'empty-dark')
      await page.getByRole('button', { name: 'Add cluster' }).click()
      const dialog = page.getByRole('dialog', { name: 'Add cluster' })
      await dialog.getByLabel('Cluster name').fill('Lab Swarm')
      await dialog.getByLabel('Vendor').selectOption('swarm')
      await dialog.getByLabel('URL').fill('https://gateway.lab.example')
      await dialog.getByLabel('Username').fill('admin')
      await shot(page, 'add-cluster-dark')
      await closeWithEscape(page, dialog)

      for (const cluster of clusterFixtures(24)) await app.core.registry.add(cluster)
      await page.reload()
      await page.getByRole('grid', { name: 'Clusters' }).waitFor()
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
      expect(bg).toBe('rgb(21, 24, 28)')
      await shot(page, 'cluster-list-dark')
      await page.getByRole('button', { name: nameOf(1), exact: true }).click()
      await page.getByRole('heading', { name: nameOf(1) }).waitFor()
      await shot(page, 'cluster-detail-dark')
      await page.getByRole('button', { name: 'Remove…' }).click()
      const remove = page.getByRole('alertdialog', { name: `Remove ${nameOf(1)}?` })
      await remove.waitFor()
      await shot(page, 'remove-confirm-dark')
      await closeWithEscape(page, remove)
      await page.getByRole('button', { name: 'Settings' }).click()
      await page.getByRole('heading', { name: 'Settings' }).waitFor()
      await shot(page, 'settings-dark')
      // Light chosen in a dark system wins.
      await page.getByLabel('Theme').selectOption('light')
      await expect
        .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
        .toBe('rgb(246, 247, 249)')
      expect(app.consoleErrors).toEqual([])
    })
  })
})
