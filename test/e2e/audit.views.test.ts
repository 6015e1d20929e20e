/**
 * The Activity view in Chromium against the real core and the WEKA simulator: what the window
 * did (a failed and a good sign-in, a copy, a token created) and what a terminal did appear
 * newest first, with token ids as short hashes and no secret anywhere on the page. Screenshots
 * light and dark land in test-results/views/.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumMissingReason, launchChromium } from '../support/chromium'
import { rendererMissingReason, startAppHarness, type AppHarness } from '../support/appHarness'
import { keychainMissingReason } from '../core/harness'
import { asCaller } from '../../src/main/core/audit/caller'
import { MemoryClipboard } from '../../src/main/core/clipboard/clipboardService'
import { startWekaSim, type WekaSim } from '../sim/weka'
import { shot } from '../support/screenshots'

const missing = chromiumMissingReason() ?? rendererMissingReason() ?? keychainMissingReason()
const suffix = missing ? ` — SKIPPED: ${missing}` : ''
const PASSWORD = 'WekaSim-Admin-7341'

describe.skipIf(missing)('Activity view', () => {
  let browser: Browser
  let sim: WekaSim
  const apps: AppHarness[] = []

  beforeAll(async () => {
    browser = await launchChromium()
    sim = await startWekaSim()
  })
  afterAll(async () => {
    for (const a of apps) await a.close()
    await browser?.close()
    await sim?.close()
  })

  async function openActivity(app: AppHarness): Promise<void> {
    await app.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Activity' })
      .click()
    await app.page.getByRole('heading', { name: 'Activity' }).waitFor()
  }

  it(`lists what was done with credentials, newest first, without a secret${suffix}`, async () => {
    const clipboard = new MemoryClipboard()
    const app = await startAppHarness(browser, { clipboard })
    apps.push(app)
    const { core, page } = app
    const c = await core.registry.add({
      vendor: 'weka',
      name: 'Lab WEKA',
      url: sim.url,
      username: 'admin',
      trust: { sha256: sim.fingerprint },
    })
    const invoke = (channel: Parameters<typeof core.dispatcher.invoke>[0], input: unknown) =>
      core.dispatcher.invoke(channel, input)
    await invoke('session:signIn', { clusterId: c.id, password: 'not-the-password' })
    await invoke('session:signIn', { clusterId: c.id, password: PASSWORD })
    // A terminal served by the app (over the agent socket) creates a token.
    const created = await asCaller({ actor: 'agent-client', clientPid: 4242 }, () =>
      core.tokens.create({ clusterId: c.id, expiresIn: 86_400, confirmed: true }),
    )
    await openActivity(app)
    // The view follows what the window does: a copy shows up without a reload.
    await invoke('session:copyAccessToken', { clusterId: c.id })
    const rows = page.locator('.audit-view tbody tr')
    await expect.poll(() => rows.count()).toBe(4)
    await expect
      .poll(() => rows.allInnerTexts())
      .toEqual([
        expect.stringMatching(/Copied\s+Lab WEKA\s+App\s+OK\s+access-token → clipboard/),
        expect.stringMatching(
          /Token created\s+Lab WEKA\s+Terminal via the app\s+OK\s+#[0-9a-f]{12}/,
        ),
        expect.stringMatching(/Sign-in\s+Lab WEKA\s+App\s+OK/),
        expect.stringMatching(/Sign-in\s+Lab WEKA\s+App\s+BAD_CREDENTIALS/),
      ])
    await shot(page, 'activity-light')
    const html = await page.content()
    for (const secret of [
      clipboard.text,
      ...created.secrets.map((s) => s.value),
      PASSWORD,
      created.token.id,
    ])
      if (secret) expect(html).not.toContain(secret)
  })

  it(`has a dark look too${suffix}`, async () => {
    const app = await startAppHarness(browser, { colorScheme: 'dark' })
    apps.push(app)
    const c = await app.core.registry.add({
      vendor: 'weka',
      name: 'Dark WEKA',
      url: sim.url,
      username: 'admin',
      trust: { sha256: sim.fingerprint },
    })
    await app.core.dispatcher.invoke('session:signIn', { clusterId: c.id, password: PASSWORD })
    await asCaller({ actor: 'cli' }, async () => {
      app.core.audit.record({ event: 'exec:start', clusterId: c.id, command: 'weka' })
      app.core.audit.record({ event: 'exec:end', clusterId: c.id, command: 'weka', exitCode: 0 })
    })
    await app.core.audit.flush()
    await openActivity(app)
    await expect.poll(() => app.page.locator('.audit-view tbody tr').count()).toBe(3)
    expect(await app.page.getByText('exec ended').isVisible()).toBe(true)
    expect(await app.page.getByText('weka (exit 0)').isVisible()).toBe(true)
    await shot(app.page, 'activity-dark')
    expect(app.consoleErrors).toEqual([])
  })
})
