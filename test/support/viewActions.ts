/**
 * What a user does in the window again and again across the renderer tests, written once: sign
 * in through the dialog, submit "Create token" past its warnings, add a simulator's cluster.
 * Each step waits for what the user would see next, never for a time.
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

/** Adds a cluster for a simulator, pinned to its certificate (straight into the registry). */
export function addSimCluster(
  core: Core,
  sim: { url: string; fingerprint: string },
  cluster: Omit<Cluster, 'id' | 'url' | 'trust'>,
): Promise<Cluster> {
  return core.registry.add({ ...cluster, url: sim.url, trust: { sha256: sim.fingerprint } })
}
