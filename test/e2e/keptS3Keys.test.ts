/**
 * Kept S3 keys in the window, in Chromium against the real core and the Swarm simulator: the
 * shown-once dialog's "Keep this S3 key in the keychain" (off by default; ticking it keeps the
 * key main holds under its one-time handle, unticking forgets it), the cluster's list of kept
 * keys with Forget, and a renderer that names no real handle keeps nothing. After the shown-once
 * dialog, the access key id (on Swarm the token itself, docs/protocols/swarm.md §2.1) reaches
 * the page nowhere, nor s3-keys.json, nor any keychain account name. Light and dark screenshots
 * land in test-results/views/.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'
import {
  addSimCluster,
  confirmInDialog,
  signInThroughDialog,
  submitCreateToken,
} from '../support/viewActions'
import { startSwarmSim, type SwarmSim } from '../sim/swarm'
import type { TokendeckApi } from '../../src/shared/contract'
import { keyringItems, keyringListingMissingReason } from '../support/keyringAccounts'
import { shot } from '../support/screenshots'

const missing = chromiumMissingReason() ?? rendererMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''

async function signedInSwarm(app: AppHarness, swarm: SwarmSim): Promise<string> {
  const { page } = app
  const cluster = await addSimCluster(app.core, swarm, {
    vendor: 'swarm',
    name: 'Lab Swarm',
    s3Url: swarm.s3Url,
    username: 'acmeadmin',
    tenant: 'acme',
    domain: 'docs.acme.example',
  })
  await page.reload()
  await page.getByRole('button', { name: 'Lab Swarm', exact: true }).click()
  await signInThroughDialog(page, 'Lab Swarm', 'acme-admin-demo')
  return cluster.id
}

/** Creates a token with an S3 secret; returns the open shown-once dialog and the key it shows. */
async function createS3Token(page: Page) {
  await page.getByRole('button', { name: 'Create token' }).click()
  const create = page.getByRole('dialog', { name: 'Create token' })
  await create.getByLabel('Include S3 secret').check()
  await create.getByLabel('24 hours').check()
  const shown = await submitCreateToken(page, create)
  // The block of the S3 key (a Swarm S3 token is also shown as an access token above it).
  const codes = shown
    .locator('.secret', { has: page.getByLabel('Keep this S3 key in the keychain') })
    .locator('code')
  const accessKeyId = (await codes.nth(0).textContent())!
  const secret = (await codes.nth(1).textContent())!
  return { shown, accessKeyId, secret }
}

describe.skipIf(missing)('kept S3 keys in the window', () => {
  let browser: Browser
  let swarm: SwarmSim

  beforeAll(async () => {
    browser = await launchChromium()
    swarm = await startSwarmSim()
  })
  afterAll(async () => {
    await swarm?.close()
    await browser?.close()
  })

  for (const scheme of ['light', 'dark'] as const) {
    describe(scheme, () => {
      let app: AppHarness
      let clusterId: string
      beforeAll(async () => {
        app = await startAppHarness(browser, { colorScheme: scheme })
        clusterId = await signedInSwarm(app, swarm)
      })
      afterAll(async () => {
        for (const k of (await app?.core.s3Keys.list()) ?? [])
          await app.core.s3Keys.forget(k.clusterId, k.tokenId)
        await app?.close()
      })

      it(`keeps the key only when ticked, lists it, and forgets it after a confirm${suffix}`, async () => {
        const { page, core } = app
        const { shown, accessKeyId, secret } = await createS3Token(page)
        const keep = shown.getByLabel('Keep this S3 key in the keychain')
        expect(await keep.isChecked()).toBe(false)
        await shot(page, `shown-once-keep-s3-${scheme}`)

        // Everything the page gets from here on: the create reply was the last to show the key.
        const afterCreate = app.bridge.sent.length
        await keep.check()
        await shown.getByText(/^Kept as /).waitFor()
        await shot(page, `shown-once-keep-s3-kept-${scheme}`)
        // Kept in main, named by the token's handle: the secret the dialog showed, for its key.
        const [kept] = await core.s3Keys.list(clusterId)
        expect(await core.s3Keys.credential(clusterId, kept!.tokenId)).toMatchObject({
          accessKeyId,
          secretAccessKey: secret,
        })
        await expect(core.s3Keys.credential(clusterId, accessKeyId)).rejects.toMatchObject({
          code: 'NOT_FOUND',
        })
        expect(await shown.getByText(/^Kept as /).textContent()).toContain(kept!.tokenId)
        // The access key id is in no file and no keychain account name (a keychain browser
        // lists those without unlocking anything).
        const index = readFileSync(join(app.dataDir, 's3-keys.json'), 'utf8')
        expect(index).toContain(kept!.tokenId)
        expect(index).not.toContain(accessKeyId)
        if (!keyringListingMissingReason()) {
          const items = await keyringItems()
          expect(items.some((i) => i.account.endsWith(`/s3key/${kept!.tokenId}`))).toBe(true)
          expect(items.filter((i) => (i.account + i.label).includes(accessKeyId))).toEqual([])
        }

        // Unticking forgets it again; ticking keeps it again (the handle lives while the dialog is open).
        await keep.uncheck()
        await shown.getByText(/^Off:/).waitFor()
        expect(await core.s3Keys.list(clusterId)).toEqual([])
        await keep.check()
        await shown.getByText(/^Kept as /).waitFor()
        await shown.getByRole('button', { name: /Close/ }).click()
        await shown.waitFor({ state: 'detached' })

        const card = page.getByRole('region', { name: 'S3 keys kept in the keychain' })
        // Listed by the token's handle: on Swarm the access key id is the token itself.
        const handle = (await core.s3Keys.list(clusterId))[0]!.tokenId
        await card.getByRole('cell', { name: handle, exact: true }).waitFor()
        expect(await card.textContent()).not.toContain(secret)
        expect(await card.textContent()).not.toContain(accessKeyId)
        await card.scrollIntoViewIfNeeded()
        await shot(page, `cluster-detail-kept-s3-keys-${scheme}`)

        await card.getByRole('button', { name: `Forget S3 key ${handle}` }).click()
        const confirm = page.getByRole('alertdialog', { name: 'Forget this S3 key?' })
        await shot(page, `forget-s3-key-confirm-${scheme}`)
        await confirmInDialog(confirm, 'Forget key')
        await card.getByRole('cell', { name: handle, exact: true }).waitFor({ state: 'detached' })
        await card.getByText(/^None\./).waitFor()
        expect(await core.s3Keys.list(clusterId)).toEqual([])
        await expect(core.s3Keys.credential(clusterId, handle)).rejects.toMatchObject({
          code: 'NOT_FOUND',
        })
        // Since the create reply, nothing the page received (s3keys:keep, s3keys:list, forget,
        // events, token lists) carried the access key id.
        const received = app.bridge.sent.slice(afterCreate)
        expect(received.some((r) => JSON.stringify(r).includes(`"tokenId":"${handle}"`))).toBe(true)
        expect(received.filter((r) => JSON.stringify(r).includes(accessKeyId))).toEqual([])
        expect(app.consoleErrors).toEqual([])
      })

      it(`an unticked box keeps nothing, and a made-up handle keeps nothing${suffix}`, async () => {
        const { page, core } = app
        const { shown, accessKeyId } = await createS3Token(page)
        // The handle main sent with the create reply (the bridge records what the page got).
        const handle = app.bridge.sent
          .flatMap((r) => {
            const value = (r as { value?: { secrets?: Array<Record<string, string>> } }).value
            return value?.secrets ?? []
          })
          .find((s) => s['accessKeyId'] === accessKeyId && s['keepHandle'])!['keepHandle']!
        // Only replies from here on: an earlier test's dialog was discarded too.
        const from = app.bridge.sent.length
        await shown.getByRole('button', { name: /Close/ }).click()
        await shown.waitFor({ state: 'detached' })
        expect(await core.s3Keys.list(clusterId)).toEqual([])
        // Closing the dialog made main drop the secret: the handle keeps nothing any more.
        await expect
          .poll(() =>
            app.bridge.sent
              .slice(from)
              .some((r) => (r as { value?: { discarded?: boolean } }).value?.discarded === true),
          )
          .toBe(true)
        expect(await core.dispatcher.invoke('s3keys:keep', { handle })).toMatchObject({
          ok: false,
          error: { code: 'NOT_FOUND' },
        })
        expect(await core.s3Keys.list(clusterId)).toEqual([])
        // What a compromised renderer can send: a handle main never issued.
        const reply = await page.evaluate(() =>
          (window as unknown as { tokendeck: TokendeckApi }).tokendeck.invoke('s3keys:keep', {
            handle: 'made-up-handle-0123456789',
          }),
        )
        expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
        expect(await core.s3Keys.list(clusterId)).toEqual([])
      })
    })
  }
})
