/**
 * The cluster page as cards and the useCall hook under them, in Chromium against the real core
 * and two Qumulo simulators: one copy shows exactly one "Copied" toast, whether the page or the
 * tray (main's dispatcher, then the clipboard:copied event) made it; a slow reply for what was
 * shown before (another cluster, another Expiring window) never lands on what is shown now.
 * Light and dark screenshots of the page land in test-results/views/.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'
import { keychainMissingReason } from '../core/harness'
import { startQumuloSim, type QumuloSim } from '../sim/qumulo'
import { MemoryClipboard } from '../../src/main/core/clipboard/clipboardService'
import { EVENT_CHANNEL } from '../../src/shared/contract'
import { shots } from '../support/screenshots'

const missing = chromiumMissingReason() ?? rendererMissingReason() ?? keychainMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''
const PASSWORD = 'Qumulo-Admin-Demo-1'

/** Lets the page finish what it was handed: its pending tasks, then a rendered frame. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        setTimeout(() => requestAnimationFrame(() => setTimeout(resolve, 0)), 0),
      ),
  )
}

/** A reply main holds back until the test lets it go: the "slow server" of a stale reply. */
interface Held {
  /** Resolves once the held call has started. */
  started: Promise<void>
  /** Lets the reply go; resolves once the page has had it and rendered. */
  release(): Promise<void>
}

describe.skipIf(missing)('the cluster page as cards, one copied toast, no stale replies', () => {
  let browser: Browser
  let simA: QumuloSim
  let simB: QumuloSim
  let app: AppHarness
  let idA: string
  let idB: string
  let tokenA: string
  let tokenB: string
  const clipboard = new MemoryClipboard()

  /** Holds the next call on `channel` whose input matches; every other call goes through. */
  function hold(channel: string, matches: (input: Record<string, unknown>) => boolean): Held {
    const dispatcher = app.core.dispatcher
    const invoke = dispatcher.invoke.bind(dispatcher)
    let gate!: () => void
    let started!: () => void
    const gated = new Promise<void>((r) => (gate = r))
    const startedP = new Promise<void>((r) => (started = r))
    let result: unknown
    dispatcher.invoke = async (c, input) => {
      if (c !== channel || !matches((input ?? {}) as Record<string, unknown>))
        return invoke(c, input)
      dispatcher.invoke = invoke // only this one call is held
      started()
      const r = await invoke(c, input)
      await gated
      result = r
      return r
    }
    return {
      started: startedP,
      async release() {
        gate()
        // The bridge records a reply as it hands it to the page (test/support/bridge.ts); the
        // hand-over is sent before anything the test asks of the page afterwards.
        await expect.poll(() => result !== undefined && app.bridge.sent.includes(result)).toBe(true)
        await new Promise((r) => setImmediate(r))
        await settled(app.page)
      },
    }
  }

  /** Counts the "Copied" toasts ever put on the page, and the clipboard:copied events seen. */
  async function countCopies(page: Page): Promise<void> {
    await page.evaluate((eventName) => {
      const w = window as unknown as Record<string, number>
      w['copiedToasts'] = 0
      w['copiedEvents'] = 0
      window.addEventListener(eventName, (e) => {
        if ((e as CustomEvent<{ event: string }>).detail.event === 'clipboard:copied')
          w['copiedEvents']!++
      })
      new MutationObserver((records) => {
        for (const r of records)
          for (const n of r.addedNodes)
            if (
              n instanceof HTMLElement &&
              n.matches('.toast') &&
              n.textContent?.includes('Copied')
            )
              w['copiedToasts']!++
      }).observe(document.body, { childList: true, subtree: true })
    }, EVENT_CHANNEL)
  }
  /** A floating toast (not Radix's screen-reader copy of it). */
  const toast = (page: Page, text: string) => page.locator('.toast', { hasText: text })
  const seen = (page: Page, what: 'copiedToasts' | 'copiedEvents') =>
    page.evaluate((k) => (window as unknown as Record<string, number>)[k] ?? 0, what)

  beforeAll(async () => {
    browser = await launchChromium()
    simA = await startQumuloSim()
    simB = await startQumuloSim()
    app = await startAppHarness(browser, { clipboard })
    app.page.setDefaultTimeout(15_000)
    const add = async (name: string, sim: QumuloSim) => {
      const added = await app.core.dispatcher.invoke('clusters:add', {
        vendor: 'qumulo',
        name,
        url: sim.url,
        username: 'admin',
        trust: { sha256: sim.fingerprint },
      })
      if (!added.ok) throw new Error(added.error.message)
      const id = (added.value as { cluster: { id: string } }).cluster.id
      await app.core.sessions.signIn(id, PASSWORD)
      return id
    }
    idA = await add('Alpha Qumulo', simA)
    idB = await add('Bravo Qumulo', simB)
    tokenA = (
      await app.core.tokens.create({
        clusterId: idA,
        expiresIn: 3 * 86_400,
        confirmed: true,
        owner: 'admin',
        description: 'only on alpha',
      })
    ).token.id
    tokenB = (
      await app.core.tokens.create({
        clusterId: idB,
        expiresIn: 'never',
        confirmed: true,
        owner: 'admin',
        description: 'only on bravo, never expires',
      })
    ).token.id
    await app.page.reload()
    await app.page.getByText('2 clusters').waitFor()
    await countCopies(app.page)
  })
  afterAll(async () => {
    await app?.close()
    await simA?.close()
    await simB?.close()
    await browser?.close()
  })

  it(`shows the cluster page as its four cards, in light and dark${suffix}`, async () => {
    const { page } = app
    await app.bridge.emit({ event: 'ui:openCluster', payload: { clusterId: idA } })
    await page.getByRole('heading', { name: 'Alpha Qumulo', level: 2 }).waitFor()
    for (const name of ['Session', 'Who I am', 'Cluster', 'Tokens'])
      await page.getByRole('region', { name, exact: true }).waitFor()
    const tokens = page.getByRole('region', { name: 'Tokens', exact: true })
    await tokens.getByText(tokenA).first().waitFor()
    await shots(page, 'detail-cards', { fullPage: true })
    expect(app.consoleErrors).toEqual([])
  })

  it(`one copy from the page shows exactly one "Copied" toast${suffix}`, async () => {
    const { page } = app
    const copy = page.getByRole('button', { name: 'Copy access token' })
    const toastsBefore = await seen(page, 'copiedToasts')
    const eventsBefore = await seen(page, 'copiedEvents')
    await copy.click()
    await toast(page, 'Copied the access token of Alpha Qumulo.').waitFor()
    expect(await toast(page, 'Copied the access token of Alpha Qumulo.').textContent()).toMatch(
      /Copied — clears in \d+ s/,
    )
    // Both the reply (the button is enabled again) and main's event are in: nothing else is due.
    await expect.poll(() => seen(page, 'copiedEvents')).toBe(eventsBefore + 1)
    await expect.poll(() => copy.isEnabled()).toBe(true)
    await settled(page)
    expect(clipboard.readText()).not.toBe('')
    expect(await seen(page, 'copiedToasts')).toBe(toastsBefore + 1)

    // The "Copy as" menu: one copy, one toast too.
    await page.getByRole('button', { name: 'Copy Alpha Qumulo as…' }).click()
    await page.getByRole('menuitem', { name: 'HTTP header' }).click()
    await toast(page, 'Copied the HTTP header of Alpha Qumulo.').waitFor()
    await expect.poll(() => seen(page, 'copiedEvents')).toBe(eventsBefore + 2)
    await expect.poll(() => clipboard.readText().startsWith('Authorization: Bearer ')).toBe(true)
    await settled(page)
    expect(await seen(page, 'copiedToasts')).toBe(toastsBefore + 2)
    // The newer copy's toast replaced the older one: the clipboard holds only the newest.
    expect(await page.locator('.toast', { hasText: 'Copied' }).count()).toBe(1)
  })

  it(`a copy from the tray (main's dispatcher) shows exactly one "Copied" toast${suffix}`, async () => {
    const { page } = app
    const toastsBefore = await seen(page, 'copiedToasts')
    const eventsBefore = await seen(page, 'copiedEvents')
    // What main does for the tray's Copy and the global shortcut (src/main/index.ts).
    const r = await app.core.dispatcher.invoke('session:copyAccessToken', { clusterId: idA })
    expect(r.ok).toBe(true)
    await expect.poll(() => seen(page, 'copiedEvents')).toBe(eventsBefore + 1)
    await toast(page, 'Copied the access token of Alpha Qumulo.').waitFor()
    await settled(page)
    expect(await seen(page, 'copiedToasts')).toBe(toastsBefore + 1)
    expect(app.consoleErrors).toEqual([])
  })

  it(`switching clusters fast never shows the first one's tokens under the second${suffix}`, async () => {
    const { page } = app
    await page.getByRole('button', { name: '← All clusters' }).click()
    await page.getByText('2 clusters').waitFor()
    // Alpha's page opens, its tokens are slow; Bravo's page opens before they are in.
    const slow = hold('tokens:list', (input) => input['clusterId'] === idA)
    await app.bridge.emit({ event: 'ui:openCluster', payload: { clusterId: idA } })
    await slow.started
    await app.bridge.emit({ event: 'ui:openCluster', payload: { clusterId: idB } })
    await page.getByRole('heading', { name: 'Bravo Qumulo', level: 2 }).waitFor()
    const tokens = page.getByRole('region', { name: 'Tokens', exact: true })
    await tokens.getByText(tokenB).first().waitFor()
    await slow.release()
    expect(await tokens.getByText(tokenA).count()).toBe(0)
    expect(await tokens.getByText(tokenB).count()).toBeGreaterThan(0)
  })

  it(`a slow answer for the Expiring window chosen before never replaces the one chosen now${suffix}`, async () => {
    const { page } = app
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Expiring' })
      .click()
    await page.getByRole('heading', { name: 'Expiring' }).waitFor()
    const table = page.getByRole('table', { name: 'Expiring tokens and sessions' })
    const row = (id: string) => table.getByRole('button', { name: `Change expiry of token ${id}` })
    await row(tokenB).waitFor()
    // "Within 7 days" is slow to answer; the user picks "Everything" again meanwhile.
    const slow = hold('tokens:expiring', (input) => input['withinSeconds'] === 7 * 86_400)
    await page.getByLabel('Show').selectOption({ label: 'Within 7 days' })
    await slow.started
    await page.getByRole('button', { name: 'Checking…' }).waitFor()
    await page.getByLabel('Show').selectOption({ label: 'Everything' })
    await page.getByRole('button', { name: 'Check again' }).waitFor()
    await row(tokenB).waitFor()
    await slow.release()
    // The 7-day answer (without the token that never expires) came last and was dropped.
    expect(await row(tokenB).count()).toBe(1)
    expect(await row(tokenA).count()).toBe(1)
    expect(await page.getByLabel('Show').inputValue()).toBe('0')
    expect(app.consoleErrors).toEqual([])
  })
})
