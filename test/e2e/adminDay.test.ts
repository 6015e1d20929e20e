/**
 * The admin's day, end to end: Chromium showing the built renderer, bridged to the real core,
 * against the simulators over HTTPS, with the private keychain. Every step is checked where it
 * lands — the clipboard port, the simulator's state, the keychain — not just on screen. At the
 * end, nothing the page ever received holds a stored secret.
 */
import { mkdirSync } from 'node:fs'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { startQumuloSim, type QumuloSim } from '../sim/qumulo'
import { startSwarmSim, type SwarmSim } from '../sim/swarm'
import { MemoryClipboard } from '../../src/main/core/clipboard/clipboardService'
import type { Cluster } from '../../src/shared/model'
import { closeWithEscape, confirmInDialog } from '../support/viewActions'

const missing = chromiumMissingReason() ?? rendererMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''
const SHOTS = 'test-results/admin-day'

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: `${SHOTS}/${name}.png` })
}

/** The cluster the walk adds as "Prod WEKA" (ids are random, so found by name). */
let prodWeka: () => Cluster = () => {
  throw new Error('the app has not started')
}

describe.skipIf(missing)('the admin’s day in Chromium', () => {
  let browser: Browser
  let weka: WekaSim
  let qumulo: QumuloSim
  let swarm: SwarmSim
  let app: AppHarness
  const clipboard = new MemoryClipboard()
  const shownOnce: string[] = []

  beforeAll(async () => {
    browser = await launchChromium()
    ;[weka, qumulo, swarm] = await Promise.all([startWekaSim(), startQumuloSim(), startSwarmSim()])
    app = await startAppHarness(browser, { clipboard })
    const started = app
    prodWeka = () => {
      const c = started.core.registry.list().find((x) => x.name === 'Prod WEKA')
      if (!c) throw new Error('Prod WEKA has not been added yet')
      return c
    }
    await app.core.registry.updateSettings({ clipboardClearSeconds: 2 })
  })
  afterAll(async () => {
    await app?.close()
    await Promise.all([weka?.close(), qumulo?.close(), swarm?.close()])
    await browser?.close()
  })

  async function addThroughDialog(
    page: Page,
    o: { vendor: string; name: string; url: string; fingerprint: string; username: string },
  ) {
    await page.getByRole('button', { name: 'Add cluster' }).first().click()
    const add = page.getByRole('dialog', { name: 'Add cluster' })
    await add.getByLabel('Vendor').selectOption(o.vendor)
    await add.getByLabel('Cluster name').fill(o.name)
    await add.getByLabel('URL').fill(o.url)
    await add.getByRole('button', { name: 'Check certificate' }).click()
    await add.getByText(o.fingerprint.slice(0, 23)).waitFor()
    await add.getByRole('button', { name: 'Trust this certificate' }).click()
    await add.getByLabel('Username').fill(o.username)
    await add.getByRole('button', { name: 'Add cluster' }).click()
    await page.getByRole('heading', { name: o.name }).waitFor()
  }

  async function signIn(page: Page, name: string, password: string) {
    await page.getByRole('button', { name: 'Sign in' }).click()
    const dialog = page.getByRole('dialog', { name: `Sign in to ${name}` })
    await dialog.getByLabel('Password').fill(password)
    await dialog.getByRole('button', { name: 'Sign in' }).click()
    return dialog
  }

  /** Submit the create dialog, confirming its warnings (e.g. a token for an admin) if it shows any. */
  async function submitCreate(page: Page, create: Locator) {
    await create.getByRole('button', { name: 'Create token' }).click()
    const anyway = create.getByRole('button', { name: 'Create anyway' })
    await Promise.race([
      anyway.waitFor(),
      page.getByRole('dialog', { name: 'Token created' }).waitFor(),
    ])
    if (await anyway.isVisible()) await anyway.click()
  }

  async function openCluster(page: Page, name: string) {
    const back = page.getByRole('button', { name: '← All clusters' })
    const row = page.getByRole('button', { name, exact: true })
    // A detail view or the list: wait until one is drawn before asking which (an instant
    // isVisible() on a page still drawing would skip the way back to the list).
    await back.or(row).first().waitFor()
    if (await back.isVisible()) await back.click()
    try {
      await row.click()
    } catch (e) {
      // Say what was on screen instead (view headings, dialogs, the list's rows; no secrets).
      const screen = await page.evaluate(() => ({
        headings: [...document.querySelectorAll('h1, h2, h3')].map((h) => h.textContent),
        dialogs: [...document.querySelectorAll('[role=dialog], [role=alertdialog]')].map((d) =>
          d.getAttribute('aria-labelledby'),
        ),
        rows: [...document.querySelectorAll('.cluster-row .cell-name button')].map(
          (b) => b.textContent,
        ),
      }))
      throw new Error(`No "${name}" to open; on screen: ${JSON.stringify(screen)}`, { cause: e })
    }
    await page.getByRole('heading', { name }).waitFor()
  }

  async function closeShownOnce(page: Page, title: string): Promise<string[]> {
    const shown = page.getByRole('dialog', { name: title })
    await shown.waitFor()
    expect(await shown.getByText('You will not see this again.').first().isVisible()).toBe(true)
    // What the dialog showed: every one-time secret in the create response the page received.
    const last = [...app.bridge.sent]
      .reverse()
      .find((p) => JSON.stringify(p).includes('"secrets"')) as
      { value: { secrets: Array<{ value: string }> } } | undefined
    const values = last!.value.secrets.map((s) => s.value)
    for (const v of values) expect(await page.content()).toContain(v.slice(0, 12))
    await shown.getByRole('button', { name: /Close/ }).click()
    await shown.waitFor({ state: 'detached' })
    // Gone from the page, and nothing in the app can show it again.
    for (const v of values) expect(await page.content()).not.toContain(v)
    shownOnce.push(...values)
    return values
  }

  it(`WEKA: add trusting the fingerprint → sign in → copy → long-lived token shown once → revoke all${suffix}`, async () => {
    const { page } = app
    await addThroughDialog(page, {
      vendor: 'weka',
      name: 'Prod WEKA',
      url: weka.url,
      fingerprint: weka.fingerprint,
      username: 'admin',
    })
    const dialog = await signIn(page, 'Prod WEKA', 'WekaSim-Admin-7341')
    await dialog.waitFor({ state: 'detached' })
    await page.getByText(/Access token expires in/).waitFor()

    await page.getByRole('button', { name: 'Copy access token' }).click()
    await page
      .getByText(/Copied — clears in 2 s/)
      .first()
      .waitFor()
    const copied = clipboard.readText()
    const live = weka.state.liveTokens('admin').find((r) => r.token === copied)
    expect(live?.kind).toBe('access')
    expect(live!.expiresAt).toBeGreaterThan(Date.now() + 60_000)
    await expect.poll(() => clipboard.readText()).toBe('') // cleared after its timeout

    await page.getByRole('button', { name: 'Generate long-lived token' }).click()
    const gen = page.getByRole('dialog', { name: 'Generate long-lived token' })
    await gen.getByLabel('7 days').check()
    await gen.getByRole('button', { name: 'Generate token' }).click()
    await page.getByRole('dialog', { name: 'Long-lived token generated' }).waitFor()
    await shot(page, 'shown-once-light')
    const [longLived] = await closeShownOnce(page, 'Long-lived token generated')
    expect(weka.state.liveTokens('admin').find((r) => r.token === longLived)?.kind).toBe(
      'long-lived',
    )

    await page.getByRole('button', { name: 'Revoke all tokens of admin' }).click()
    const confirm = page.getByRole('alertdialog', { name: 'Revoke all tokens of admin?' })
    expect(await confirm.getByText('including this one').isVisible()).toBe(true)
    await confirmInDialog(confirm, /Revoke all/)
    await page.getByText('Signed out', { exact: true }).first().waitFor()
    expect(weka.state.liveTokens('admin')).toEqual([])
    expect(app.consoleErrors).toEqual([])
  })

  it(`Qumulo: create for a user with expiry, list, change expiry, rotate, delete${suffix}`, async () => {
    const { page } = app
    await page.getByRole('button', { name: '← All clusters' }).click()
    await addThroughDialog(page, {
      vendor: 'qumulo',
      name: 'Lab Qumulo',
      url: qumulo.url,
      fingerprint: qumulo.fingerprint,
      username: 'admin',
    })
    await (await signIn(page, 'Lab Qumulo', 'Qumulo-Admin-Demo-1')).waitFor({ state: 'detached' })

    await page.getByRole('button', { name: 'Create token' }).click()
    const create = page.getByRole('dialog', { name: 'Create token' })
    await create.getByLabel('Owner').fill('alice')
    await create.getByLabel('30 days').check()
    await submitCreate(page, create)
    const [token] = await closeShownOnce(page, 'Token created')
    const record = [...qumulo.state.accessTokens.values()].find((t) => t.bearerToken === token)
    expect(record).toBeDefined()
    const id = record!.id

    const row = page.getByRole('row').filter({ hasText: id })
    await row.waitFor()
    expect(await row.textContent()).toContain('alice')

    await page.getByRole('button', { name: `Change expiry of token ${id}` }).click()
    const expiry = page.getByRole('dialog', { name: 'Change expiry' })
    await expiry.getByLabel('90 days').check()
    await expiry.getByRole('button', { name: 'Save expiry' }).click()
    await expiry.waitFor({ state: 'detached' })
    await expect
      .poll(() => qumulo.state.accessTokens.get(id)?.expiresAt ?? 0)
      .toBeGreaterThan(Date.now() + 89 * 86_400_000)

    await page.getByRole('button', { name: `Rotate token ${id}` }).click()
    const rotate = page.getByRole('dialog', { name: `Rotate token ${id}` })
    await rotate.getByRole('button', { name: 'Rotate token' }).click()
    const rotatedDialog = page.getByRole('dialog', { name: 'Rotated token of alice' })
    await rotatedDialog.getByRole('list', { name: 'Rotation steps' }).waitFor()
    expect(await rotatedDialog.getByRole('list', { name: 'Rotation steps' }).textContent()).toMatch(
      /created[\s\S]*authenticated[\s\S]*revoked/i,
    )
    await shot(page, 'rotate-light')
    const [rotated] = await closeShownOnce(page, 'Rotated token of alice')
    expect(qumulo.state.accessTokens.has(id)).toBe(false)
    const newId = [...qumulo.state.accessTokens.values()].find((t) => t.bearerToken === rotated)!.id

    await page.getByRole('button', { name: `Revoke token ${newId}` }).click()
    await confirmInDialog(
      page.getByRole('alertdialog', { name: `Revoke token ${newId}?` }),
      'Revoke token',
    )
    await page.getByRole('row').filter({ hasText: newId }).waitFor({ state: 'detached' })
    expect(qumulo.state.accessTokens.has(newId)).toBe(false)
    expect(app.consoleErrors).toEqual([])
  })

  it(`Swarm: create with an S3 secret shown once, list, delete${suffix}`, async () => {
    const { page } = app
    await app.core.registry.add({
      vendor: 'swarm',
      name: 'Lab Swarm',
      url: swarm.url,
      s3Url: swarm.s3Url,
      username: 'admin@',
      trust: { sha256: swarm.fingerprint },
    })
    await openCluster(page, 'Lab Swarm')
    await (await signIn(page, 'Lab Swarm', 'swarm-admin-demo')).waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Create token' }).click()
    const create = page.getByRole('dialog', { name: 'Create token' })
    await create.getByLabel('Include S3 secret').check()
    await create.getByLabel('Description').fill('nightly backup')
    await create.getByLabel('24 hours').check()
    await submitCreate(page, create)
    const shown = page.getByRole('dialog', { name: 'Token created' })
    await shown.getByRole('button', { name: 'Copy AWS CLI profile' }).click()
    await shown.getByText(/Copied — kept on the clipboard until you close this dialog/).waitFor()
    const [tokenId, s3Secret] = await closeShownOnce(page, 'Token created')
    expect(clipboard.readText()).toContain(`aws_access_key_id = ${tokenId}`)
    expect(clipboard.readText()).toContain(`aws_secret_access_key = ${s3Secret}`)
    expect(swarm.state.tokens.get(tokenId!)?.s3Secret).toBe(s3Secret)

    const row = page.getByRole('row').filter({ hasText: 'nightly backup' })
    await row.waitFor()
    await shot(page, 'swarm-tokens-light')
    const rowId = (await row.locator('td').first().textContent())!.trim()
    await page.getByRole('button', { name: `Revoke token ${rowId}` }).click()
    await confirmInDialog(
      page.getByRole('alertdialog', { name: `Revoke token ${rowId}?` }),
      'Revoke token',
    )
    await row.waitFor({ state: 'detached' })
    await expect.poll(() => swarm.state.liveTokens().some((t) => t.id === tokenId)).toBe(false)
    expect(app.consoleErrors).toEqual([])
  })

  it(`error paths in words: wrong password, locked account, changed certificate${suffix}`, async () => {
    const { page } = app
    await app.core.registry.add({
      vendor: 'weka',
      name: 'Locked WEKA',
      url: weka.url,
      username: 'bob',
      trust: { sha256: weka.fingerprint },
    })
    await openCluster(page, 'Locked WEKA')
    const dialog = await signIn(page, 'Locked WEKA', 'not-the-password')
    await dialog
      .getByRole('alert')
      .getByText('Wrong username or password', { exact: true })
      .waitFor()
    expect(await dialog.getByLabel('Password').inputValue()).toBe('')
    for (let i = 0; i < 4; i++) {
      await dialog.getByLabel('Password').fill(`still-wrong-${i}`)
      await dialog.getByRole('button', { name: 'Sign in' }).click()
      // Each answer clears and re-enables the password field: wait for that, not a guessed 150 ms.
      const field = await dialog.getByLabel('Password').elementHandle()
      await page.waitForFunction((input) => {
        const el = input as HTMLInputElement
        return el.value === '' && !el.disabled
      }, field)
    }
    await dialog.getByLabel('Password').fill('WekaSim-Bob-5512')
    await dialog.getByRole('button', { name: 'Sign in' }).click()
    await dialog
      .getByRole('alert')
      .getByText(/Account locked until/)
      .waitFor()
    await shot(page, 'sign-in-locked-light')
    expect(weka.state.loginAttempts('bob')).toBe(6) // one request per click, never a retry
    await dialog
      .getByRole('button', { name: /Cancel|Close/ })
      .first()
      .click()

    const newPin = await weka.rotateCertificate()
    await openCluster(page, 'Prod WEKA')
    const again = await signIn(page, 'Prod WEKA', 'WekaSim-Admin-7341')
    await again
      .getByRole('alert')
      .getByText(/Certificate changed/)
      .first()
      .waitFor()
    await again.getByRole('button', { name: 'Review & trust' }).click()
    await page.getByText(newPin.slice(0, 23)).first().waitFor()
    await shot(page, 'certificate-changed-light')
    await page.getByRole('button', { name: 'Trust this certificate' }).click()
    await expect.poll(() => JSON.stringify(prodWeka().trust)).toContain(newPin)
    expect(app.consoleErrors).toEqual([])
  })

  it.each(['light', 'dark'] as const)(
    `every view in the %s theme, for the record${suffix}`,
    async (scheme) => {
      const { page } = app
      await page.emulateMedia({ colorScheme: scheme })
      if (app.core.sessions.state(prodWeka().id).state !== 'active')
        await app.core.sessions.signIn(prodWeka().id, 'WekaSim-Admin-7341')
      await page.reload()
      await page.getByRole('grid', { name: 'Clusters' }).waitFor()
      await page.getByRole('button', { name: 'Copy access token of Prod WEKA' }).click()
      await page
        .getByText(/Copied — clears in/)
        .first()
        .waitFor()
      await shot(page, `cluster-list-${scheme}`)
      await openCluster(page, 'Lab Qumulo')
      await page.getByRole('button', { name: 'Create token' }).click()
      const create = page.getByRole('dialog', { name: 'Create token' })
      await create.getByLabel('Owner').fill('bob')
      await create.getByLabel('90 days').check()
      await shot(page, `create-token-${scheme}`)
      await submitCreate(page, create)
      await page.getByRole('dialog', { name: 'Token created' }).waitFor()
      await shot(page, `shown-once-${scheme}`)
      await closeShownOnce(page, 'Token created')
      await page.getByRole('row').filter({ hasText: 'bob' }).first().waitFor()
      await shot(page, `cluster-detail-tokens-${scheme}`)
      await openCluster(page, 'Locked WEKA')
      await page.getByRole('button', { name: 'Sign in' }).click()
      const signInDialog = page.getByRole('dialog', { name: 'Sign in to Locked WEKA' })
      await signInDialog.waitFor()
      await shot(page, `sign-in-${scheme}`)
      await closeWithEscape(page, signInDialog)
      await page.getByRole('button', { name: 'Settings' }).click()
      await page.getByLabel('Theme').waitFor()
      await shot(page, `settings-${scheme}`)
      await page.getByRole('button', { name: 'Clusters' }).click()
      expect(app.consoleErrors).toEqual([])
    },
  )

  it(`the page never received a stored secret: no refresh or session token, no access token${suffix}`, async () => {
    const stored = await Promise.all(
      app.core.registry
        .list()
        .map(async (c) => (await app.core.secrets.getCredential(c.id))?.value ?? ''),
    )
    const issued = [weka, qumulo, swarm].flatMap((s) => s.state.issuedSecrets())
    const sent = app.bridge.sent.map((p) => JSON.stringify(p))
    expect(sent.length).toBeGreaterThan(20)
    for (const secret of [...stored, ...issued]) {
      if (shownOnce.includes(secret) || secret.length < 8) continue
      for (const payload of sent)
        expect(payload.includes(secret), 'a stored or issued secret reached the renderer').toBe(
          false,
        )
    }
  })
})
