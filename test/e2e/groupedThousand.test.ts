/**
 * A thousand clusters grouped by tag (issue 15, "1,000 clusters in groups stay as fast as the flat
 * list"), in Chromium against the real core. Speed itself is the bench's figure (bench/renderer.ts,
 * `renderer.grouped`); this proves what keeps it there without timing anything: grouped, every
 * cluster listed under each of its tags is still one virtualized grid with only a window of rows
 * in the page, the keyboard reaches the last row, the filter and "select the group" work on the
 * whole list, not only the rows in the page, and a saved grouping is drawn at once (the flat list
 * first, regrouped a round trip later, is what made it slower). Tags as the bench has them: prod
 * or lab, and one of ten sites. Light and dark
 * screenshots land in test-results/views/.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'
import { writeClusterFile } from '../support/clusterFile'
import { shots } from '../support/screenshots'

const missing = chromiumMissingReason() ?? rendererMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''
const PIN = 'AB:'.repeat(31) + 'AB'
const pad = (i: number) => String(i).padStart(4, '0')
const nameOf = (i: number) => `Cluster ${pad(i)}`
/** As bench/common.ts benchTags: 12 groups, each cluster in two of them. */
const tagsOf = (i: number) => [i % 3 === 0 ? 'prod' : 'lab', `site-${i % 10}`].sort()

const rows = (page: Page) => page.locator('#cluster-grid .cluster-row')
const groupLabels = (page: Page) =>
  page.locator('#cluster-grid .group-row .group-label').allTextContents()
const selectedName = (page: Page) =>
  page.locator('[role="row"][aria-selected="true"] .cell-name button').textContent()

describe.skipIf(missing)('a thousand clusters grouped by tag', () => {
  let browser: Browser
  let app: AppHarness

  beforeAll(async () => {
    browser = await launchChromium()
    const dataDir = writeClusterFile(
      Array.from({ length: 1000 }, (_, i) => ({
        vendor: 'weka' as const,
        name: nameOf(i),
        url: `https://weka-${pad(i)}.lab.example:14000`,
        username: 'ops',
        trust: { sha256: PIN },
        tags: tagsOf(i),
      })),
    )
    app = await startAppHarness(browser, { dataDir })
  })
  afterAll(async () => {
    await app?.close()
    await browser?.close()
  })

  it(`lists 12 groups of a virtualized grid, reaches the last row, filters and selects a group${suffix}`, async () => {
    const { page } = app
    const grid = page.getByRole('grid', { name: 'Clusters' })
    await page.getByText('1000 clusters').waitFor()
    await page.locator('#cluster-group-by').selectOption('tag')
    await expect.poll(() => grid.getAttribute('data-group-by')).toBe('tag')
    // Only the groups in the window are in the page: the first ones, in order.
    const first = await groupLabels(page)
    expect(first[0]).toBe('lab (666)')
    // 2,000 cluster rows (each cluster under two tags) and 12 headers, a few dozen in the page.
    expect(Number(await grid.getAttribute('aria-rowcount'))).toBeGreaterThanOrEqual(2012)
    expect(await rows(page).count()).toBeLessThan(100)
    await shots(page, 'cluster-list-grouped-1000')

    await grid.focus()
    await page.keyboard.press('End')
    // The last group is site-9; its last cluster is the 1,000th.
    await expect.poll(() => selectedName(page)).toBe(nameOf(999))
    expect(await rows(page).count()).toBeLessThan(100)

    // The filter works across groups: one cluster, under each of its two tags.
    await page.getByLabel('Filter clusters').fill('Cluster 0042')
    await expect.poll(() => groupLabels(page)).toEqual(['prod (1)', 'site-2 (1)'])
    expect(await rows(page).count()).toBe(2)
    await page.getByLabel('Filter clusters').fill('')

    // "Select every cluster in prod" selects all 334, not only the rows in the page. (The filter
    // looks in tags too: prod clusters only, so the prod group comes first.)
    await page.getByLabel('Filter clusters').fill('prod')
    await expect.poll(async () => (await groupLabels(page))[0]).toBe('prod (334)')
    await page.getByRole('checkbox', { name: 'Select every cluster in prod' }).click()
    await page
      .getByRole('toolbar', { name: 'Selected clusters' })
      .getByText('334 clusters selected')
      .waitFor()
    expect(app.consoleErrors).toEqual([])
  })

  it(`a window opened with "group by tag" saved draws the list grouped at once, never flat first${suffix}`, async () => {
    const { page, core } = app
    await core.registry.updateSettings({ clusterList: { groupBy: 'tag' } })
    // Every grouping the grid ever had in the page, from the document's start: a MutationObserver
    // sees each render React commits, including one replaced before it was painted.
    await page.addInitScript({
      content: `(() => {
        const seen = (window.__groupings = [])
        new MutationObserver((records) => {
          for (const r of records) {
            const grids = r.type === 'attributes' ? [r.target] : [...r.addedNodes].flatMap((n) =>
              n.nodeType !== 1 ? [] : n.id === 'cluster-grid' ? [n] : [...n.querySelectorAll('#cluster-grid')])
            for (const g of grids) if (g.id === 'cluster-grid') seen.push(g.getAttribute('data-group-by'))
          }
        }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-group-by'] })
      })()`,
    })
    await page.reload()
    const grid = page.getByRole('grid', { name: 'Clusters' })
    await expect.poll(() => grid.getAttribute('data-group-by')).toBe('tag')
    await rows(page).first().waitFor()
    expect((await groupLabels(page))[0]).toBe('lab (666)')
    expect(await page.evaluate('window.__groupings')).toEqual(['tag'])
    expect(app.consoleErrors).toEqual([])
  })
})
