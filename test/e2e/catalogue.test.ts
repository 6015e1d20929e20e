/**
 * The shared catalogue in the app (issue 15, item 4): Export… writes the clusters and their
 * certificates (never a secret) where the save dialog says; a colleague's Import… shows each
 * certificate, adds nothing it was not told to trust, and adds what it was. Chromium against two
 * real cores (two admins), the desktop's file dialog played by a double. Light and dark
 * screenshots of the import dialog land in test-results/views/.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'
import { PickerDouble } from '../support/coreDoubles'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { keychainMissingReason } from '../core/harness'
import { shot } from '../support/screenshots'

const missing = chromiumMissingReason() ?? rendererMissingReason() ?? keychainMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''
const PASSWORD = 'WekaSim-Admin-7341'

describe.skipIf(missing)('the cluster catalogue: Export… and Import… in the app', () => {
  let browser: Browser
  let sim: WekaSim
  let alice: AppHarness
  let bob: AppHarness
  let files: string
  const alicePicker = new PickerDouble()
  const bobPicker = new PickerDouble()

  beforeAll(async () => {
    browser = await launchChromium()
    sim = await startWekaSim()
    files = mkdtempSync(join(tmpdir(), 'tokendeck-catalogue-'))
    alice = await startAppHarness(browser, { filePicker: alicePicker })
    bob = await startAppHarness(browser, { filePicker: bobPicker })
    const c = await alice.core.registry.add({
      vendor: 'weka',
      name: 'Prod WEKA',
      url: sim.url,
      username: 'admin',
      trust: { sha256: sim.fingerprint },
      tags: ['prod'],
    })
    // A signed-in session: its secrets must stay out of the file.
    await alice.core.sessions.signIn(c.id, PASSWORD)
    await alice.page.reload()
  })
  afterAll(async () => {
    await alice?.close()
    await bob?.close()
    await sim?.close()
    await browser?.close()
    if (files) rmSync(files, { recursive: true, force: true })
  })

  it(`Export… writes the clusters and certificates where the dialog says, never a secret${suffix}`, async () => {
    const path = join(files, 'team.json')
    alicePicker.answers.push(path)
    await alice.page.getByRole('button', { name: 'Export…' }).click()
    await alice.page.getByText('Exported 1 cluster').first().waitFor()
    const text = readFileSync(path, 'utf8')
    const file = JSON.parse(text) as { clusters: Array<Record<string, unknown>> }
    expect(file.clusters).toEqual([
      expect.objectContaining({ name: 'Prod WEKA', url: sim.url, tags: ['prod'] }),
    ])
    expect(text).toContain(sim.fingerprint)
    expect(text).not.toContain(PASSWORD)
    for (const token of sim.state.tokens.all()) expect(text).not.toContain(token.token)
    // Cancelling the dialog writes nothing and says nothing.
    alicePicker.answers.push(undefined)
    await alice.page.getByRole('button', { name: 'Export…' }).click()
    await expect.poll(() => alicePicker.calls).toBe(2)
  })

  it(`Import… shows each certificate and adds only what was ticked${suffix}`, async () => {
    const { page, core } = bob
    bobPicker.answers.push(join(files, 'team.json'))
    await page.getByRole('button', { name: 'Import…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Import clusters' })
    await dialog.waitFor()
    await expect.poll(() => dialog.textContent()).toContain('new: will be added')
    const trust = dialog.getByRole('checkbox', { name: /Trust the certificate of Prod WEKA/ })
    expect(await trust.isChecked()).toBe(false)
    // The certificate itself is shown, to compare with what the colleague says.
    expect(await dialog.locator('.import-trust .fingerprint').textContent()).toBe(sim.fingerprint)
    await shot(page, 'catalogue-import-light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot(page, 'catalogue-import-dark')
    await page.emulateMedia({ colorScheme: 'light' })

    // Not ticked: nothing is trusted, so nothing is added.
    await dialog.getByRole('button', { name: 'Import without new certificates' }).click()
    await page.getByText('0 added, 0 updated, 0 unchanged, 1 skipped.').first().waitFor()
    expect(core.registry.list()).toEqual([])

    bobPicker.answers.push(join(files, 'team.json'))
    await page.getByRole('button', { name: 'Import…' }).click()
    await dialog.waitFor()
    await dialog.getByRole('checkbox', { name: /Trust the certificate of Prod WEKA/ }).check()
    await dialog.getByRole('button', { name: 'Import', exact: true }).click()
    await page.getByText('1 added, 0 updated, 0 unchanged, 0 skipped.').first().waitFor()
    expect(core.registry.list()).toEqual([
      expect.objectContaining({
        name: 'Prod WEKA',
        url: sim.url,
        trust: { sha256: sim.fingerprint },
        tags: ['prod'],
      }),
    ])
    await page.getByRole('button', { name: 'Prod WEKA', exact: true }).waitFor()
  })

  it(`importing again merges: nothing doubled, new tags added, a repeated entry skipped${suffix}`, async () => {
    const { page, core } = bob
    const dialog = page.getByRole('dialog', { name: 'Import clusters' })
    bobPicker.answers.push(join(files, 'team.json'))
    await page.getByRole('button', { name: 'Import…' }).click()
    await expect.poll(() => dialog.textContent()).toContain('known: nothing to change')
    await dialog.getByRole('button', { name: 'Import', exact: true }).click()
    await page.getByText('0 added, 0 updated, 1 unchanged, 0 skipped.').first().waitFor()
    expect(core.registry.list()).toHaveLength(1)

    // The team's file grew a tag, and lists the same cluster twice under another name.
    const file = JSON.parse(readFileSync(join(files, 'team.json'), 'utf8')) as {
      clusters: Array<Record<string, unknown>>
    }
    const entry = file.clusters[0]!
    file.clusters = [
      { ...entry, tags: ['prod', 'dc-2'] },
      { ...entry, name: 'Prod WEKA again', tags: [] },
    ]
    const grown = join(files, 'team-grown.json')
    writeFileSync(grown, JSON.stringify(file))
    bobPicker.answers.push(grown)
    await page.getByRole('button', { name: 'Import…' }).click()
    await expect.poll(() => dialog.textContent()).toContain('known: will be updated')
    await dialog.getByRole('button', { name: 'Import', exact: true }).click()
    await page.getByText('0 added, 1 updated, 0 unchanged, 1 skipped.').first().waitFor()
    expect(core.registry.list()).toEqual([
      expect.objectContaining({ name: 'Prod WEKA', tags: ['dc-2', 'prod'] }),
    ])
  })

  it(`a file that is not a catalogue is refused in words, and nothing changes${suffix}`, async () => {
    const { page, core } = bob
    const before = core.registry.list()
    const bad = join(files, 'not-a-catalogue.json')
    writeFileSync(bad, JSON.stringify({ hello: 'world' }))
    bobPicker.answers.push(bad)
    await page.getByRole('button', { name: 'Import…' }).click()
    await page
      .getByText(/is not a Tokendeck catalogue/)
      .first()
      .waitFor()
    expect(core.registry.list()).toEqual(before)
    expect(await page.getByRole('dialog', { name: 'Import clusters' }).count()).toBe(0)
  })
})
