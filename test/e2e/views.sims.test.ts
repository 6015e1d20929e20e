/**
 * A smoke pass of the views against the simulators: add a cluster through the dialog (check and
 * trust its certificate), sign in (a wrong password first), copy, create and revoke tokens, and
 * the shown-once dialog. The lead's flow tests go deeper; this keeps the views honest.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'
import {
  addSimCluster,
  confirmInDialog,
  signInThroughDialog,
  submitCreateToken,
} from '../support/viewActions'
import { startAllSims, type RunningSims } from '../sim/cli/sims'
import { shot } from '../support/screenshots'

const missing = chromiumMissingReason() ?? rendererMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''

const admin = (sims: RunningSims, name: 'weka' | 'qumulo' | 'swarm') => {
  const u =
    sims[name].users.find((x) => /admin/i.test(x.role) && x.tenant === undefined) ??
    sims[name].users[0]!
  return u
}

describe.skipIf(missing)('views against the simulators', () => {
  let browser: Browser
  let sims: RunningSims
  let app: AppHarness

  beforeAll(async () => {
    browser = await launchChromium()
    sims = await startAllSims()
    app = await startAppHarness(browser)
  })
  afterAll(async () => {
    await app?.close()
    await sims?.close()
    await browser?.close()
  })

  it(`adds Qumulo through the dialog, signs in, copies, creates and revokes a token${suffix}`, async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Add cluster' }).click()
    const add = page.getByRole('dialog', { name: 'Add cluster' })
    await add.getByLabel('Vendor').selectOption('qumulo')
    await add.getByLabel('Cluster name').fill('Lab Qumulo')
    await add.getByLabel('URL').fill(sims.qumulo.url)
    await add.getByRole('button', { name: 'Check certificate' }).click()
    await add.getByText(sims.qumulo.fingerprint.slice(0, 23)).waitFor()
    await add.getByRole('button', { name: 'Trust this certificate' }).click()
    await add.getByLabel('Username').fill(admin(sims, 'qumulo').username)
    await shot(page, 'add-cluster-certificate-light')
    await add.getByRole('button', { name: 'Add cluster' }).click()
    await page.getByRole('heading', { name: 'Lab Qumulo' }).waitFor()

    await page.getByRole('button', { name: 'Sign in' }).click()
    const signIn = page.getByRole('dialog', { name: 'Sign in to Lab Qumulo' })
    await signIn.getByLabel('Password').fill('wrong-password')
    await signIn.getByRole('button', { name: 'Sign in' }).click()
    await signIn
      .getByRole('alert')
      .getByText('Wrong username or password', { exact: true })
      .waitFor()
    expect(await signIn.getByLabel('Password').inputValue()).toBe('')
    await shot(page, 'sign-in-error-light')
    await signIn.getByLabel('Password').fill(admin(sims, 'qumulo').password)
    await signIn.getByRole('button', { name: 'Sign in' }).click()
    await signIn.waitFor({ state: 'detached' })
    await page.getByText('Signed in', { exact: true }).waitFor()

    await page.getByRole('button', { name: 'Copy access token' }).click()
    await page
      .getByText(/Copied — clears in \d+ s/)
      .first()
      .waitFor()

    await page.getByRole('button', { name: 'Create token' }).click()
    const create = page.getByRole('dialog', { name: 'Create token' })
    await create.getByLabel('Owner').fill('alice')
    await create.getByLabel('Description').fill('backup job')
    await create.getByLabel('7 days').check()
    const shown = await submitCreateToken(page, create)
    expect(await shown.getByText('You will not see this again.').first().isVisible()).toBe(true)
    await shot(page, 'shown-once-light')
    await shown.getByRole('button', { name: 'Copy access token' }).click()
    await shown.getByText(/Copied — kept on the clipboard until you close this dialog/).waitFor()
    await shown.getByRole('button', { name: /Close/ }).click()
    await shown.waitFor({ state: 'detached' })

    const row = page.getByRole('row').filter({ hasText: 'alice' })
    await row.waitFor()
    await shot(page, 'cluster-detail-tokens-light')
    const id = (await row.locator('td').first().textContent())!
    await page.getByRole('button', { name: `Revoke token ${id}` }).click()
    const confirm = page.getByRole('alertdialog', { name: `Revoke token ${id}?` })
    expect(await confirm.getByText('alice').isVisible()).toBe(true)
    await confirmInDialog(confirm, 'Revoke token')
    await row.waitFor({ state: 'detached' })

    await page.getByRole('button', { name: '← All clusters' }).click()
    await page.getByRole('button', { name: 'Copy access token of Lab Qumulo' }).click()
    await page
      .getByText(/Copied — clears in \d+ s/)
      .first()
      .waitFor()
    await shot(page, 'cluster-list-signed-in-light')
    expect(app.consoleErrors).toEqual([])
  })

  it(`creates a Swarm token with an S3 secret and offers the AWS CLI profile${suffix}`, async () => {
    const { page } = app
    const u = admin(sims, 'swarm')
    await addSimCluster(app.core, sims.swarm, {
      vendor: 'swarm',
      name: 'Lab Swarm',
      username: u.username,
      ...(u.domain ? { domain: u.domain } : {}),
    })
    await page.reload()
    await page.getByRole('button', { name: 'Lab Swarm', exact: true }).click()
    await signInThroughDialog(page, 'Lab Swarm', u.password)
    await page.getByRole('button', { name: 'Create token' }).click()
    const create = page.getByRole('dialog', { name: 'Create token' })
    await create.getByLabel('Include S3 secret').check()
    await create.getByLabel('24 hours').check()
    const shown = await submitCreateToken(page, create)
    await shown.getByRole('button', { name: 'Copy AWS CLI profile' }).click()
    await shown.getByText(/Copied — kept on the clipboard until you close this dialog/).waitFor()
    await shot(page, 'shown-once-s3-light')
    await shown.getByRole('button', { name: /Close/ }).click()
    await shown.waitFor({ state: 'detached' })
    expect(app.consoleErrors).toEqual([])
  })

  it(`generates a WEKA long-lived token and offers revoke-all with its warning${suffix}`, async () => {
    const { page } = app
    const u = admin(sims, 'weka')
    await addSimCluster(app.core, sims.weka, {
      vendor: 'weka',
      name: 'Lab WEKA',
      username: u.username,
    })
    await page.getByRole('button', { name: '← All clusters' }).click()
    await page.reload()
    await page.getByRole('button', { name: 'Lab WEKA', exact: true }).click()
    await signInThroughDialog(page, 'Lab WEKA', u.password)
    await page.getByText(/Access token expires in/).waitFor()
    await shot(page, 'cluster-detail-weka-light')
    await page.getByRole('button', { name: 'Generate long-lived token' }).click()
    const gen = page.getByRole('dialog', { name: 'Generate long-lived token' })
    await gen.getByLabel('1 hour').check()
    await gen.getByRole('button', { name: 'Generate token' }).click()
    const shown = page.getByRole('dialog', { name: 'Long-lived token generated' })
    await shown.waitFor()
    await shown.getByRole('button', { name: /Close/ }).click()
    await page.getByRole('button', { name: `Revoke all tokens of ${u.username}` }).click()
    const confirm = page.getByRole('alertdialog', { name: `Revoke all tokens of ${u.username}?` })
    expect(await confirm.getByText('including this one').isVisible()).toBe(true)
    await shot(page, 'revoke-all-light')
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    expect(app.consoleErrors).toEqual([])
  })
})
