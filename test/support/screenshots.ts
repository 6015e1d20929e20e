/**
 * Screenshots of the renderer views, for a person to look at (test-results/views/): one shot, or
 * the same view in the light and the dark theme (the theme setting follows the system).
 */
import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'

export const SHOTS = 'test-results/views'

export async function shot(
  page: Page,
  name: string,
  opts: { fullPage?: boolean } = {},
): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: `${SHOTS}/${name}.png`, ...opts })
}

/** Light, then dark; the page is left in the light theme. */
export async function shots(
  page: Page,
  name: string,
  opts: { fullPage?: boolean } = {},
): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' })
  await shot(page, `${name}-light`, opts)
  await page.emulateMedia({ colorScheme: 'dark' })
  await shot(page, `${name}-dark`, opts)
  await page.emulateMedia({ colorScheme: 'light' })
}
