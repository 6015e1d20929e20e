/**
 * What a user does in the window again and again across the renderer tests, written once: sign
 * in through the dialog, submit "Create token" past its warnings, confirm or dismiss a dialog,
 * add a simulator's cluster. Each step waits for what the user would see next, never for a time.
 */
import type { Locator, Page } from 'playwright-core'
import type { Core } from '../../src/main/core/startCore'
import type { Cluster } from '../../src/shared/model'

/** Sign in to the cluster whose view is open, through its dialog; resolves once it closed. */
export async function signInThroughDialog(page: Page, name: string, password: string) {
  await page.getByRole('button', { name: 'Sign in', exact: true }).first().click()
  const dialog = page.getByRole('dialog', { name: `Sign in to ${name}` })
  await dialog.getByLabel('Password').fill(password)
  await dialog.getByRole('button', { name: 'Sign in' }).click()
  await dialog.waitFor({ state: 'detached' })
}

/**
 * Submit an open "Create token" dialog, confirming its warnings (e.g. a token for an admin) if
 * it shows any; resolves with the shown-once dialog, once it is visible.
 */
export async function submitCreateToken(page: Page, create: Locator): Promise<Locator> {
  await create.getByRole('button', { name: 'Create token' }).click()
  const anyway = create.getByRole('button', { name: 'Create anyway' })
  const shown = page.getByRole('dialog', { name: 'Token created' })
  await Promise.race([anyway.waitFor(), shown.waitFor()])
  if (await anyway.isVisible()) await anyway.click()
  await shown.waitFor()
  return shown
}

/**
 * Choose a confirm dialog's action and wait until the dialog has closed. It stays open ("Working…")
 * until the cluster answered, and while a modal dialog is open the page behind it is aria-hidden:
 * a role locator there matches nothing, so "the row is gone" would pass before the cluster had
 * answered, and the next step would start with the dialog still over the page.
 */
export async function confirmInDialog(dialog: Locator, action: string | RegExp): Promise<void> {
  await dialog.getByRole('button', { name: action }).click()
  await dialog.waitFor({ state: 'detached' })
}

/**
 * Close a modal dialog with Escape, as a user would, once it listens for the key. Radix listens
 * from an effect of the dialog's layer, the pass that also makes the page behind it inert (body
 * pointer-events: none). When the dialog opened outside a user event (an IPC answer, a message
 * from main) that pass runs after its first paint, and an Escape pressed before it is lost: the
 * dialog stays, and every later step waits on a page hidden behind it. (With a toast on screen
 * the listener comes one render later still, in a task already queued when the page turns inert.)
 */
export async function closeWithEscape(page: Page, dialog: Locator): Promise<void> {
  await dialog.waitFor()
  await page.waitForFunction(() => document.body.style.pointerEvents === 'none')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
}

/** Adds a cluster for a simulator, pinned to its certificate (straight into the registry). */
export function addSimCluster(
  core: Core,
  sim: { url: string; fingerprint: string },
  cluster: Omit<Cluster, 'id' | 'url' | 'trust'>,
): Promise<Cluster> {
  return core.registry.add({ ...cluster, url: sim.url, trust: { sha256: sim.fingerprint } })
}
