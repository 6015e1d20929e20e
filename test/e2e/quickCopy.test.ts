/**
 * Quick copy from anywhere, in Chromium against the real core and a Qumulo simulator: the command
 * palette (Ctrl/Cmd+K, or main's ui:openPalette), the "Copy as…" menu in list rows and the detail
 * view, pause on lock closing a secret shown once, and the settings for both. What main copies
 * lands on the core's (in-memory) clipboard, where the test checks it. Screenshots, light and
 * dark, land in test-results/views/.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'
import { writeClusterFile } from '../support/clusterFile'
import { closeWithEscape, submitCreateToken } from '../support/viewActions'
import { keychainMissingReason } from '../core/harness'
import { startQumuloSim, type QumuloSim } from '../sim/qumulo'
import { MemoryClipboard } from '../../src/main/core/clipboard/clipboardService'
import { DEFAULT_GLOBAL_SHORTCUT } from '../../src/shared/model'
import { shots } from '../support/screenshots'

const missing = chromiumMissingReason() ?? rendererMissingReason() ?? keychainMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''
const PIN = 'AB:'.repeat(31) + 'AB'

describe.skipIf(missing)('quick copy: palette, Copy as, pause on lock', () => {
  let browser: Browser
  let sim: QumuloSim
  let app: AppHarness
  let clusterId: string
  const clipboard = new MemoryClipboard()
  const palette = (page: Page) => page.getByRole('dialog', { name: 'Find a cluster' })
  const combobox = (page: Page) => page.getByRole('combobox', { name: /Find a cluster/ })
  const liveTokens = () => sim.state.issuedSecrets()

  beforeAll(async () => {
    browser = await launchChromium()
    sim = await startQumuloSim()
    // 300 clusters as one cluster file before the core starts, not 300 locked registry adds.
    const pad = (i: number) => String(i).padStart(4, '0')
    const dataDir = writeClusterFile(
      Array.from({ length: 300 }, (_, i) => ({
        vendor: 'weka' as const,
        name: `Cluster ${pad(i)}`,
        url: `https://weka-${pad(i)}.lab.example:14000`,
        username: 'ops',
        trust: { sha256: PIN },
      })),
    )
    app = await startAppHarness(browser, { clipboard, dataDir })
    const added = await app.core.dispatcher.invoke('clusters:add', {
      vendor: 'qumulo',
      name: 'Lab Qumulo',
      url: sim.url,
      username: 'admin',
      trust: { sha256: sim.fingerprint },
      tags: ['lyon-dc'],
    })
    if (!added.ok) throw new Error(added.error.message)
    clusterId = (added.value as { cluster: { id: string } }).cluster.id
    const signed = await app.core.dispatcher.invoke('session:signIn', {
      clusterId,
      password: 'Qumulo-Admin-Demo-1',
    })
    if (!signed.ok) throw new Error(signed.error.message)
    // The list follows clusters:changed; wait until it shows them all.
    await app.page.getByText('301 clusters').waitFor()
  })
  afterAll(async () => {
    await app?.close()
    await sim?.close()
    await browser?.close()
  })

  it(`Ctrl+K finds a cluster by part of its name, Enter copies its token, focus returns${suffix}`, async () => {
    const { page } = app
    const filter = page.getByLabel('Filter clusters')
    await filter.focus()
    await page.keyboard.press('Control+k')
    await palette(page).waitFor()
    expect(await combobox(page).evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.type('lab q')
    const options = palette(page).getByRole('option')
    await expect.poll(() => options.count()).toBe(1)
    expect(await options.first().getAttribute('aria-selected')).toBe('true')
    await shots(page, 'palette')
    await page.keyboard.press('Enter')
    await palette(page).waitFor({ state: 'detached' })
    await expect.poll(() => liveTokens().includes(clipboard.readText())).toBe(true)
    await page
      .getByText(/Copied — clears in \d+ s/)
      .first()
      .waitFor()
    expect(await filter.evaluate((el) => el === document.activeElement)).toBe(true)
  })

  it(`matches the URL, moves with the arrow keys, Shift+Enter opens, Escape closes${suffix}`, async () => {
    const { page } = app
    await page.keyboard.press('Control+k')
    await page.keyboard.type('weka-001')
    const options = palette(page).getByRole('option')
    await expect.poll(() => options.count()).toBe(10) // weka-0010 … weka-0019
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    const active = await combobox(page).getAttribute('aria-activedescendant')
    expect(await page.locator(`#${active}`).getAttribute('aria-selected')).toBe('true')
    expect(await page.locator(`#${active} .palette-name`).textContent()).toBe('Cluster 0012')
    await page.keyboard.press('Shift+Enter')
    await page.getByRole('heading', { name: 'Cluster 0012' }).waitFor()

    await page.keyboard.press('Control+k')
    await palette(page).waitFor()
    await page.keyboard.type('no such cluster')
    await palette(page).getByText('No cluster matches').waitFor()
    await closeWithEscape(page, palette(page))
    await page.getByRole('button', { name: '← All clusters' }).click()
  })

  it(`finds a cluster by its tag alone and copies its token from the keyboard${suffix}`, async () => {
    const { page } = app
    clipboard.writeText('', { sensitive: false })
    await page.keyboard.press('Control+k')
    await palette(page).waitFor()
    await page.keyboard.type('lyon-dc') // in neither its name nor its URL
    const options = palette(page).getByRole('option')
    await expect.poll(() => options.count()).toBe(1)
    expect(await options.first().locator('.palette-name').textContent()).toBe('Lab Qumulo')
    await page.keyboard.press('Enter')
    await palette(page).waitFor({ state: 'detached' })
    await expect.poll(() => liveTokens().includes(clipboard.readText())).toBe(true)
  })

  it(`main's ui:openPalette (the global shortcut) opens it${suffix}`, async () => {
    const { page } = app
    await app.bridge.emit({ event: 'ui:openPalette', payload: {} })
    await palette(page).waitFor()
    // Focus moves into its box from an effect that runs after the palette is first drawn.
    await expect
      .poll(() => combobox(page).evaluate((el) => el === document.activeElement))
      .toBe(true)
    await closeWithEscape(page, palette(page))
  })

  it(`a list row's Copy as menu works from the keyboard and copies a curl command${suffix}`, async () => {
    const { page } = app
    await page.getByLabel('Filter clusters').fill('lab q')
    const trigger = page.getByRole('button', { name: 'Copy Lab Qumulo as…' })
    expect(await trigger.getAttribute('aria-haspopup')).toBe('menu')
    await trigger.click()
    const menu = page.getByRole('menu', { name: 'Copy Lab Qumulo as' })
    await menu.waitFor()
    expect(await trigger.getAttribute('aria-expanded')).toBe('true')
    await shots(page, 'copy-as-menu')
    await page.keyboard.press('ArrowDown') // to the first item
    // Radix moves the highlight in a timer after the keydown: wait for it (see below).
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
      .toBe('Access token')
    await page.keyboard.press('End')
    await expect
      .poll(() =>
        menu.getByRole('menuitem', { name: 'curl command' }).getAttribute('data-highlighted'),
      )
      .not.toBeNull()
    await page.keyboard.press('Enter')
    await menu.waitFor({ state: 'detached' })
    await expect.poll(() => clipboard.readText().startsWith('curl ')).toBe(true)
    expect(clipboard.readText()).toContain('/v1/session/who-am-i')
    expect(liveTokens().some((t) => clipboard.readText().includes(`Bearer ${t}`))).toBe(true)
    await page.getByText('curl command of Lab Qumulo').first().waitFor()
    // Enter chose the item; it did not also open the row (the grid's own Enter).
    expect(await page.getByRole('heading', { name: 'Clusters' }).isVisible()).toBe(true)
    await expect.poll(() => trigger.evaluate((el) => el === document.activeElement)).toBe(true)
    // A row builds its menu on first use (the list's cost, bench/README.md figure 4): the second
    // opening is the built menu's own, and reads the same.
    expect(await trigger.getAttribute('aria-expanded')).toBe('false')
    await trigger.click()
    await menu.waitFor()
    expect(await trigger.getAttribute('aria-expanded')).toBe('true')
    // Focus returns to the button a frame after the menu closes: wait for it, or it lands after
    // the next step and takes focus from there. Ctrl+K from that button opens the palette (its
    // keys stay out of the grid, not out of the app's shortcuts).
    await page.keyboard.press('Escape')
    await menu.waitFor({ state: 'detached' })
    await expect.poll(() => trigger.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('Control+k')
    await closeWithEscape(page, palette(page))
    await page.getByLabel('Filter clusters').fill('')
  })

  it(`the detail view's Copy as menu opens from Tab and Enter; locking closes a secret shown once${suffix}`, async () => {
    const { page } = app
    await page.keyboard.press('Control+k')
    await page.keyboard.type('Lab Qumulo')
    await page.keyboard.press('Shift+Enter')
    await page.getByRole('heading', { name: 'Lab Qumulo' }).waitFor()
    await page.getByRole('button', { name: 'Copy access token' }).focus()
    await page.keyboard.press('Tab')
    const trigger = page.getByRole('button', { name: 'Copy Lab Qumulo as…' })
    expect(await trigger.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('Enter')
    const menu = page.getByRole('menu', { name: 'Copy Lab Qumulo as' })
    await menu.getByRole('menuitem', { name: 'Shell export line' }).waitFor()
    // The menu focuses its first item a frame after it opens: keys pressed before land nowhere.
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '')
    await expect.poll(focused).toBe('Access token')
    // Radix moves focus on an arrow key in a timer after the keydown: a second key pressed
    // before that timer runs starts from the old item again. Wait for each move (a person's
    // key repeat is far slower than the timer; a loaded CI machine is not).
    await page.keyboard.press('ArrowDown')
    await expect.poll(focused).toBe('HTTP header')
    await page.keyboard.press('ArrowDown')
    await expect.poll(focused).toBe('Shell export line')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => clipboard.readText().startsWith('export TOKENDECK_ACCESS_TOKEN='))
      .toBe(true)
    // Focus is back on the menu button.
    await expect.poll(() => trigger.evaluate((el) => el === document.activeElement)).toBe(true)

    // A freshly created token, shown once; then the screen locks.
    await page.getByRole('button', { name: 'Create token' }).click()
    const create = page.getByRole('dialog', { name: 'Create token' })
    await create.getByLabel('Owner').fill('admin')
    await create.getByLabel('7 days').check()
    const shown = await submitCreateToken(page, create)
    expect(clipboard.readText()).not.toBe('')
    app.core.lock.handle('lock-screen') // what powerMonitor reports through electron/powerEvents.ts
    await shown.waitFor({ state: 'detached' })
    expect(clipboard.readText()).toBe('')
    app.core.lock.handle('unlock-screen')
    expect(app.consoleErrors).toEqual([])
  })

  it(`Settings turns on pause on lock and the global shortcut${suffix}`, async () => {
    const { page } = app
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Settings' })
      .click()
    await page.getByRole('heading', { name: 'Screen lock and shortcut' }).waitFor()
    await page.getByLabel(/Pause the agent while the screen is locked/).check()
    await expect.poll(() => app.core.registry.getSettings().pauseAgentWhenLocked).toBe(true)
    expect(await page.getByLabel('Shortcut', { exact: true }).inputValue()).toBe(
      DEFAULT_GLOBAL_SHORTCUT,
    )
    await page.getByLabel(/A global shortcut brings Tokendeck up/).check()
    await expect
      .poll(() => app.core.registry.getSettings().globalShortcut)
      .toBe(DEFAULT_GLOBAL_SHORTCUT)
    await page.getByLabel('Shortcut', { exact: true }).fill('Shift+')
    await page.getByText('Modifiers and one key joined by').waitFor()
    await page.getByLabel('Shortcut', { exact: true }).fill('Alt+Shift+T')
    await page.getByRole('button', { name: 'Use this shortcut' }).click()
    await expect.poll(() => app.core.registry.getSettings().globalShortcut).toBe('Alt+Shift+T')
    await page.getByRole('heading', { name: 'Screen lock and shortcut' }).scrollIntoViewIfNeeded()
    await shots(page, 'settings-quick-access')
    await page.getByLabel(/A global shortcut brings Tokendeck up/).uncheck()
    await expect.poll(() => app.core.registry.getSettings().globalShortcut).toBe(null)
    expect(app.consoleErrors).toEqual([])
  })
})
