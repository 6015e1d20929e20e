/**
 * Issue #13: a WEKA account the cluster accepts only on condition of a password change
 * (docs/protocols/weka.md §2.4) changes it from the sign-in dialog, in Chromium against the real
 * core and the WEKA simulator: "Change password…" asks for the new password twice and says the
 * rule, a refusal is said in plain words and sends nothing else, and a good one signs the cluster
 * in (light and dark screenshots in test-results/views/).
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'
import { addSimCluster } from '../support/viewActions'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { shots } from '../support/screenshots'

const missing = chromiumMissingReason() ?? rendererMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''
const NEW = 'App-Changed-Newbie-9'

describe.skipIf(missing)('changing a required WEKA password in the app', () => {
  let browser: Browser
  let weka: WekaSim
  let app: AppHarness

  beforeAll(async () => {
    browser = await launchChromium()
    weka = await startWekaSim()
    app = await startAppHarness(browser)
  })
  afterAll(async () => {
    await app?.close()
    await weka?.close()
    await browser?.close()
  })

  it(`"Change password…" in the sign-in dialog changes it and signs the cluster in${suffix}`, async () => {
    const { page } = app
    const newbie = weka.users.find((u) => u.username === 'newbie')!
    const cluster = await addSimCluster(app.core, weka, {
      vendor: 'weka',
      name: 'New WEKA',
      username: newbie.username,
    })
    await page.reload()
    await page.getByRole('button', { name: 'New WEKA', exact: true }).click()
    await page.getByRole('heading', { name: 'New WEKA' }).waitFor()
    await page.getByRole('button', { name: 'Sign in', exact: true }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Sign in to New WEKA' })
    await dialog.getByLabel('Password').fill(newbie.password)
    await dialog.getByRole('button', { name: 'Sign in' }).click()
    await dialog.getByRole('alert').waitFor()
    await dialog.getByRole('button', { name: 'Change password…' }).click()

    const form = dialog.getByRole('form', { name: 'Change password' })
    await form.waitFor()
    // The current password is the one just typed: not asked again.
    expect(await form.getByLabel('Current password').count()).toBe(0)
    expect(await form.textContent()).toContain('At least 8 characters')
    await shots(page, 'password-change-form')

    // A password the cluster refuses: said in plain words, one PUT, no sign-in sent.
    const logins = weka.state.loginAttempts('newbie')
    await form.getByLabel('New password', { exact: true }).fill('weakpass')
    await form.getByLabel('Confirm new password').fill('weakpass')
    await form.getByRole('button', { name: 'Change password' }).click()
    const refusal = form.getByRole('alert')
    await refusal.waitFor()
    const said = (await refusal.textContent()) ?? ''
    expect(said).toContain('The cluster refused the new password')
    expect(said).toContain('at least 8 characters')
    expect(said).not.toContain('weakpass')
    expect(weka.requests.filter((r) => r.method === 'PUT')).toHaveLength(1)
    expect(weka.state.loginAttempts('newbie')).toBe(logins)
    await shots(page, 'password-change-refused')

    // Two different entries never reach the cluster.
    await form.getByLabel('New password', { exact: true }).fill(NEW)
    await form.getByLabel('Confirm new password').fill(`${NEW}x`)
    expect(await form.getByRole('button', { name: 'Change password' }).isDisabled()).toBe(true)
    expect(await form.textContent()).toContain('The two new passwords differ')

    await form.getByLabel('Confirm new password').fill(NEW)
    await form.getByRole('button', { name: 'Change password' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(weka.requests.filter((r) => r.method === 'PUT')).toHaveLength(2)
    expect(weka.state.loginAttempts('newbie')).toBe(logins + 1)
    expect(app.core.sessions.state(cluster.id).state).toBe('active')
    await page
      .getByText(/Access token expires in/)
      .first()
      .waitFor()
    const html = await page.content()
    expect(html).not.toContain(NEW)
    expect(html).not.toContain(newbie.password)
    expect(app.consoleErrors).toEqual([])
  })
})
