/**
 * The Expiring view (issue 15) in Chromium against the real core and the three simulators:
 * every token and stored session across clusters, soonest first, with rotate, change expiry and
 * revoke through the cluster view's own dialogs; a cluster that could not be looked at is listed
 * as not checked. Light and dark screenshots land in test-results/views/.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'
import { startAllSims, type RunningSims } from '../sim/cli/sims'
import type { Cluster } from '../../src/shared/model'
import { shot } from '../support/screenshots'
import { confirmInDialog } from '../support/viewActions'

const missing = chromiumMissingReason() ?? rendererMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''
const DAY = 86_400

describe.skipIf(missing)('the Expiring view against the simulators', () => {
  let browser: Browser
  let sims: RunningSims
  let app: AppHarness
  const tokenIds: Record<string, string> = {}

  beforeAll(async () => {
    browser = await launchChromium()
    sims = await startAllSims()
    app = await startAppHarness(browser)
    const { core } = app
    const add = async (
      name: string,
      vendor: Cluster['vendor'],
      sim: { url: string; fingerprint: string },
      username: string,
    ) =>
      (
        await core.registry.add({
          vendor,
          name,
          url: sim.url,
          username,
          trust: { sha256: sim.fingerprint },
        })
      ).id
    const weka = await add('Paris WEKA', 'weka', sims.weka, 'admin')
    const qumulo = await add('Lyon Qumulo', 'qumulo', sims.qumulo, 'admin')
    const swarm = await add('Nantes Swarm', 'swarm', sims.swarm, 'admin@')
    await add('Lille Qumulo (signed out)', 'qumulo', sims.qumulo, 'admin')
    await core.sessions.signIn(weka, 'WekaSim-Admin-7341')
    await core.sessions.signIn(qumulo, 'Qumulo-Admin-Demo-1')
    await core.sessions.signIn(swarm, 'swarm-admin-demo')
    const create = async (
      key: string,
      clusterId: string,
      expiresIn: number | 'never',
      owner?: string,
      description?: string,
    ) =>
      (tokenIds[key] = (
        await core.tokens.create({
          clusterId,
          expiresIn,
          confirmed: true,
          ...(owner ? { owner } : {}),
          ...(description ? { description } : {}),
        })
      ).token.id)
    await create('alice', qumulo, 3 * DAY, 'alice', 'backup job')
    await create('bob', qumulo, 'never', 'bob', 'monitoring')
    await create('nightly', swarm, 6 * 3600, undefined, 'nightly export')
    await create('ci', swarm, 20 * 3600, undefined, 'CI pipeline')
    await app.page.reload()
  })
  afterAll(async () => {
    await app?.close()
    await sims?.close()
    await browser?.close()
  })

  const rows = (page: Page) => page.getByRole('table').locator('tbody tr')
  const rowOf = (page: Page, tokenId: string) => rows(page).filter({ hasText: tokenId })

  it(`lists every token and session soonest first, "never" last, with what was not checked${suffix}`, async () => {
    const { page } = app
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Expiring' })
      .click()
    await page.getByRole('heading', { name: 'Expiring' }).waitFor()
    await rowOf(page, tokenIds['alice']!).waitFor()
    const texts = await rows(page).allInnerTexts()
    const index = (needle: string) => texts.findIndex((t) => t.includes(needle))
    // Swarm's 6 h token, its 20 h one, then the 3-day Qumulo token; "never" at the end.
    expect(index(tokenIds['nightly']!)).toBeLessThan(index(tokenIds['ci']!))
    expect(index(tokenIds['ci']!)).toBeLessThan(index(tokenIds['alice']!))
    expect(texts.at(-1)).toContain(tokenIds['bob']!)
    expect(texts.at(-1)).toContain('Never')
    // WEKA lists no tokens: its stored session is a row.
    expect(texts.some((t) => t.includes('Paris WEKA') && t.includes('Session'))).toBe(true)
    // Each row names its owner, its cluster and (a labelled mark) its vendor.
    const alice = rowOf(page, tokenIds['alice']!)
    expect(await alice.innerText()).toMatch(/Lyon Qumulo[\s\S]*alice/)
    expect(await alice.getByRole('img', { name: 'Qumulo' }).count()).toBe(1)
    expect(
      await rowOf(page, tokenIds['nightly']!).getByRole('img', { name: 'Swarm' }).count(),
    ).toBe(1)
    // Actions as each vendor allows: Qumulo can change expiry, Swarm cannot.
    await page
      .getByRole('button', { name: `Change expiry of token ${tokenIds['alice']}` })
      .waitFor()
    expect(
      await page
        .getByRole('button', { name: `Change expiry of token ${tokenIds['nightly']}` })
        .count(),
    ).toBe(0)
    const notChecked = page.getByRole('region', { name: /Not checked/ })
    await notChecked.getByText('Lille Qumulo (signed out)').waitFor()
    expect(await notChecked.innerText()).toContain('Not signed in: Sign in to include its tokens')
    await shot(page, 'expiring-light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot(page, 'expiring-dark')
    await page.emulateMedia({ colorScheme: 'light' })

    // The window filter: within 7 days leaves out the token that never expires.
    await page.getByLabel('Show').selectOption({ label: 'Within 7 days' })
    await rowOf(page, tokenIds['bob']!).waitFor({ state: 'detached' })
    await rowOf(page, tokenIds['alice']!).waitFor()
    await page.getByLabel('Show').selectOption({ label: 'Everything' })
    await rowOf(page, tokenIds['bob']!).waitFor()
    expect(app.consoleErrors).toEqual([])
  })

  it(`changes an expiry, rotates and revokes through the cluster view's dialogs${suffix}`, async () => {
    const { page } = app
    // Extend alice's token to 30 days: it moves below the Swarm tokens… and stays above "never".
    await page.getByRole('button', { name: `Change expiry of token ${tokenIds['alice']}` }).click()
    const expiry = page.getByRole('dialog', { name: 'Change expiry' })
    await expiry.getByLabel('30 days').check()
    await expiry.getByRole('button', { name: 'Save expiry' }).click()
    await expiry.waitFor({ state: 'detached' })
    await expect
      .poll(async () => (await rowOf(page, tokenIds['alice']!).innerText()).includes('30 days'))
      .toBe(true)

    // Rotate the nightly Swarm token: the shown-once dialog, and the old id is gone.
    await page.getByRole('button', { name: `Rotate token ${tokenIds['nightly']}` }).click()
    const rotate = page.getByRole('dialog', { name: `Rotate token ${tokenIds['nightly']}` })
    await rotate.getByRole('button', { name: 'Rotate token' }).click()
    const shown = page.getByRole('dialog', { name: /Rotated token/ })
    await shown.waitFor()
    await shown.getByRole('button', { name: /Close/ }).click()
    await shown.waitFor({ state: 'detached' })
    await rowOf(page, tokenIds['nightly']!).waitFor({ state: 'detached' })
    await rows(page).filter({ hasText: 'nightly export' }).waitFor()

    // Revoke the CI token after a confirmation naming it.
    await page.getByRole('button', { name: `Revoke token ${tokenIds['ci']}` }).click()
    const confirm = page.getByRole('alertdialog', { name: `Revoke token ${tokenIds['ci']}?` })
    expect(await confirm.innerText()).toContain('Nantes Swarm')
    await confirmInDialog(confirm, 'Revoke token')
    await rowOf(page, tokenIds['ci']!).waitFor({ state: 'detached' })
    const swarmIds = (
      await app.core.tokens.list(app.core.registry.list().find((c) => c.vendor === 'swarm')!.id)
    ).map((t) => t.id)
    expect(swarmIds).not.toContain(tokenIds['ci'])
    expect(swarmIds).not.toContain(tokenIds['nightly'])

    // Locking the screen closes a rotated token shown once here too, as in the cluster view.
    await page.getByRole('button', { name: `Rotate token ${tokenIds['alice']}` }).click()
    await page
      .getByRole('dialog', { name: `Rotate token ${tokenIds['alice']}` })
      .getByRole('button', { name: 'Rotate token' })
      .click()
    await shown.waitFor()
    app.core.lock.handle('lock-screen') // what powerMonitor reports through electron/powerEvents.ts
    await shown.waitFor({ state: 'detached' })
    app.core.lock.handle('unlock-screen')
    await rowOf(page, tokenIds['alice']!).waitFor({ state: 'detached' })

    // A cluster name opens that cluster.
    await page.getByRole('button', { name: 'Open Lyon Qumulo' }).first().click()
    await page.getByRole('heading', { name: 'Lyon Qumulo' }).waitFor()
    expect(app.consoleErrors).toEqual([])
  })

  it(`the cluster list groups these three vendors by vendor and sorts them by time left${suffix}`, async () => {
    const { page } = app
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Clusters' })
      .click()
    const names = () =>
      page.locator('#cluster-grid .cluster-row .cell-name button').allTextContents()
    await page.locator('#cluster-group-by').selectOption('vendor')
    await expect
      .poll(() => page.locator('#cluster-grid .group-row .group-label').allTextContents())
      .toEqual(['Qumulo (2)', 'Swarm (1)', 'WEKA (1)'])
    expect(await names()).toEqual([
      'Lille Qumulo (signed out)',
      'Lyon Qumulo',
      'Nantes Swarm',
      'Paris WEKA',
    ])
    await page.locator('#cluster-group-by').selectOption('none')
    await page.locator('#cluster-sort-by').selectOption('timeLeft')
    // Each session ends when its access token does (Qumulo's 10 h before Swarm's 24 h); a
    // signed-out cluster has no time left to show and comes last.
    const ends = new Map(
      app.core.registry
        .list()
        .map((c) => [c.name, app.core.sessions.state(c.id)] as const)
        .map(([name, s]) => [name, 'expiresAt' in s ? s.expiresAt : undefined] as const),
    )
    const expected = [...ends.keys()].sort(
      (a, b) => (ends.get(a) ?? Infinity) - (ends.get(b) ?? Infinity),
    )
    expect(expected.at(-1)).toBe('Lille Qumulo (signed out)')
    expect(expected[0]).not.toBe('Lille Qumulo (signed out)') // not the name order
    await expect.poll(names).toEqual(expected)
    await page.locator('#cluster-sort-by').selectOption('name')
    await expect
      .poll(names)
      .toEqual(['Lille Qumulo (signed out)', 'Lyon Qumulo', 'Nantes Swarm', 'Paris WEKA'])
    expect(app.consoleErrors).toEqual([])
  })
})
