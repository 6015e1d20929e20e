/**
 * The cluster list of an admin with many clusters, in Chromium against the real core and WEKA
 * simulators: grouped by tag (remembered across a reload), sorted, "Sign in" on signed-out rows,
 * the stored session's expiry in the row, and bulk refresh / sign-out of a selection with one
 * summary in which one cluster's failure does not stop the others. Light and dark screenshots
 * land in test-results/views/.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { keychainMissingReason } from '../core/harness'
import { shot, shots } from '../support/screenshots'

const missing = chromiumMissingReason() ?? rendererMissingReason() ?? keychainMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''
const PASSWORD = 'WekaSim-Admin-7341'

const groupLabels = (page: Page) =>
  page.locator('#cluster-grid .group-row .group-label').allTextContents()

describe.skipIf(missing)('cluster list: groups, order and bulk actions', () => {
  let browser: Browser
  let app: AppHarness
  let sim: WekaSim
  let other: WekaSim
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    browser = await launchChromium()
    sim = await startWekaSim()
    other = await startWekaSim()
    app = await startAppHarness(browser)
    const add = async (name: string, on: WekaSim, tags?: string[]) => {
      const c = await app.core.registry.add({
        vendor: 'weka',
        name,
        url: on.url,
        username: 'admin',
        trust: { sha256: on.fingerprint },
        ...(tags ? { tags } : {}),
      })
      ids[name] = c.id
    }
    await add('Alpha', sim, ['prod', 'site-a'])
    await add('Bravo', sim, ['prod'])
    await add('Charlie', other, ['prod'])
    await add('Delta', sim, ['lab'])
    await add('Echo', sim)
    for (const name of ['Alpha', 'Bravo', 'Charlie', 'Echo'])
      await app.core.sessions.signIn(ids[name]!, PASSWORD)
  })
  afterAll(async () => {
    await app?.close()
    await sim?.close()
    await other?.close()
    await browser?.close()
  })

  it(`groups by tag (remembered after a reload), shows the session's end, offers Sign in${suffix}`, async () => {
    const { page } = app
    await page.locator('#row-' + ids['Alpha']).waitFor()
    // Signed in: the stored session's end is in the row; signed out: a Sign in button.
    await expect
      .poll(() => page.locator(`#row-${ids['Alpha']} .stored-expiry`).textContent())
      .toMatch(/^session until /)
    expect(await page.getByRole('button', { name: 'Sign in to Delta' }).isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: 'Sign in to Alpha' }).count()).toBe(0)

    await page.locator('#cluster-group-by').selectOption('tag')
    await expect
      .poll(() => groupLabels(page))
      .toEqual(['lab (1)', 'prod (3)', 'site-a (1)', 'No tag (1)'])
    // The list regroups at once; the setting reaches main a moment later.
    await expect.poll(() => app.core.registry.getSettings().clusterList.groupBy).toBe('tag')
    await shot(page, 'cluster-list-grouped-light')

    await page.reload()
    await expect
      .poll(() => groupLabels(page))
      .toEqual(['lab (1)', 'prod (3)', 'site-a (1)', 'No tag (1)'])
    expect(await page.locator('#cluster-group-by').inputValue()).toBe('tag')

    // Status first: the signed-out Delta before the signed-in ones, in flat mode.
    await page.locator('#cluster-group-by').selectOption('none')
    await page.locator('#cluster-sort-by').selectOption('status')
    await expect
      .poll(() => page.locator('#cluster-grid .cluster-row .cell-name button').allTextContents())
      .toEqual(['Delta', 'Alpha', 'Bravo', 'Charlie', 'Echo'])
    await page.locator('#cluster-sort-by').selectOption('name')
    await page.locator('#cluster-group-by').selectOption('tag')
    expect(app.consoleErrors).toEqual([])
  })

  it(`refreshes a whole group; one unreachable cluster is reported and the others are refreshed${suffix}`, async () => {
    const { page } = app
    await other.close()
    await page.getByRole('checkbox', { name: 'Select every cluster in prod' }).click()
    const bar = page.getByRole('toolbar', { name: 'Selected clusters' })
    await bar.getByText('3 clusters selected').waitFor()
    const before = sim.state.loginAttempts('admin')
    await bar.getByRole('button', { name: 'Refresh' }).click()
    const summary = page.locator('.bulk-summary')
    await summary.getByText('Refreshed 2 clusters; 1 failed.').waitFor()
    expect(await summary.locator('li').allTextContents()).toEqual([
      expect.stringMatching(/^Charlie: failed — /),
    ])
    // A refresh never sends a password.
    expect(sim.state.loginAttempts('admin')).toBe(before)
    await shot(page, 'cluster-list-bulk-light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot(page, 'cluster-list-bulk-dark')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it(`signs out of every cluster the filter shows (Ctrl+A) after a confirm naming how many${suffix}`, async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Clear selection' }).click()
    // The tag "prod" is part of what the filter looks in: Alpha, Bravo, Charlie.
    await page.locator('#cluster-filter').fill('prod')
    await page.locator('#cluster-group-by').selectOption('none')
    await expect
      .poll(() => page.locator('#cluster-grid .cluster-row .cell-name button').allTextContents())
      .toEqual(['Alpha', 'Bravo', 'Charlie'])
    await page.locator('#cluster-grid').focus()
    await page.keyboard.press('Control+A')
    const bar = page.getByRole('toolbar', { name: 'Selected clusters' })
    await bar.getByText('3 clusters selected').waitFor()
    await bar.getByRole('button', { name: 'Sign out…' }).click()
    const confirm = page.getByRole('alertdialog', { name: 'Sign out of 3 clusters?' })
    await confirm.waitFor()
    await shots(page, 'cluster-list-sign-out-confirm')
    await confirm.getByRole('button', { name: 'Sign out of 3 clusters' }).click()
    await page.locator('.bulk-summary').getByText('Signed out of 3 clusters.').waitFor()
    for (const name of ['Alpha', 'Bravo', 'Charlie'])
      expect(app.core.sessions.state(ids[name]!).state).toBe('signed-out')
    // Hidden by the filter, so not selected by Ctrl+A: still signed in.
    expect(app.core.sessions.state(ids['Echo']!).state).toBe('active')
  })

  it(`signs in from a signed-out row, one password for one cluster${suffix}`, async () => {
    const { page } = app
    await page.locator('#cluster-filter').fill('')
    await page.getByRole('button', { name: 'Sign in to Delta' }).click()
    const dialog = page.getByRole('dialog', { name: 'Sign in to Delta' })
    await dialog.getByLabel('Password').fill(PASSWORD)
    await dialog.getByRole('button', { name: 'Sign in' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(app.core.sessions.state(ids['Delta']!).state).toBe('active')
    await expect.poll(() => page.getByRole('button', { name: 'Sign in to Delta' }).count()).toBe(0)
    expect(app.consoleErrors).toEqual([])
  })

  it(`edits tags on the cluster's page; a tag that is not a short label is refused there${suffix}`, async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Echo', exact: true }).click()
    await page.getByRole('heading', { name: 'Echo' }).waitFor()
    const box = page.getByLabel('New tag')
    await box.fill('Two Words')
    await page.getByRole('button', { name: 'Add tag' }).click()
    await page
      .getByRole('alert')
      .getByText(/“Two Words”: a tag is 1–32/)
      .waitFor()
    await box.fill('DC-2')
    await page.getByRole('button', { name: 'Add tag' }).click()
    await page.getByRole('button', { name: 'Remove tag dc-2' }).waitFor()
    expect(app.core.registry.get(ids['Echo']!).tags).toEqual(['dc-2'])
    await shots(page, 'cluster-detail-tags')
    await page.getByRole('button', { name: 'Remove tag dc-2' }).click()
    await expect.poll(() => app.core.registry.get(ids['Echo']!).tags).toBeUndefined()
    expect(app.consoleErrors).toEqual([])
  })

  it(`signs in to a whole group, one password dialog per cluster, then one summary${suffix}`, async () => {
    const { page } = app
    await page.getByRole('button', { name: '← All clusters' }).first().click()
    await page.locator('#cluster-group-by').selectOption('tag')
    // Alpha, Bravo and Charlie were signed out above; Charlie's server is down.
    await page.getByRole('checkbox', { name: 'Select every cluster in prod' }).click()
    const bar = page.getByRole('toolbar', { name: 'Selected clusters' })
    await bar.getByText('3 clusters selected').waitFor()
    await bar.getByRole('button', { name: 'Sign in…' }).click()
    for (const name of ['Alpha', 'Bravo']) {
      const dialog = page.getByRole('dialog', { name: `Sign in to ${name}` })
      await dialog.getByLabel('Password').fill(PASSWORD)
      await dialog.getByRole('button', { name: 'Sign in' }).click()
      await dialog.waitFor({ state: 'detached' })
    }
    // The third asks for its own password; the user gives up on it.
    const charlie = page.getByRole('dialog', { name: 'Sign in to Charlie' })
    await charlie.waitFor()
    await charlie.getByRole('button', { name: 'Cancel' }).click()
    await charlie.waitFor({ state: 'detached' })
    const summary = page.locator('.bulk-summary')
    await summary.getByText('Signed in to 2 clusters; 1 skipped.').waitFor()
    expect(await summary.locator('li').allTextContents()).toEqual(['Charlie: skipped — cancelled'])
    for (const name of ['Alpha', 'Bravo'])
      expect(app.core.sessions.state(ids[name]!).state).toBe('active')
    expect(app.core.sessions.state(ids['Charlie']!).state).toBe('signed-out')
    await shot(page, 'cluster-list-bulk-sign-in-light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot(page, 'cluster-list-bulk-sign-in-dark')
    await page.emulateMedia({ colorScheme: 'light' })
    expect(app.consoleErrors).toEqual([])
  })
})
