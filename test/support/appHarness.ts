/**
 * Starts the real core (registry in a temp dir, keychain under a throwaway service name inside
 * the private keyring) and a Chromium page showing the built renderer, bridged to that core.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { Browser, ConsoleMessage, Page } from 'playwright-core'
import { startCore, type Core, type StartCoreOptions } from '../../src/main/core/startCore'
import { installBridge, type Bridge } from './bridge'
import { launchChromium } from './chromium'
import { serveDirectory } from './staticServer'
import { keepConfigFile, keepConsole } from './hygieneArtifacts'

/** How long any one Playwright wait may take before it counts as hung (not a speed budget). */
export const HANG_GUARD_MS = 5 * 60_000

export const RENDERER_DIR = join(import.meta.dirname, '../../out/renderer')

export function rendererMissingReason(): string | undefined {
  return existsSync(join(RENDERER_DIR, 'index.html'))
    ? undefined
    : 'out/renderer is not built (run npm run build)'
}

export interface AppHarness {
  core: Core
  page: Page
  bridge: Bridge
  /** Console errors and uncaught page errors seen so far. */
  consoleErrors: string[]
  dataDir: string
  close(): Promise<void>
}

export async function startAppHarness(
  browser: Browser,
  options: Partial<StartCoreOptions> & { colorScheme?: 'light' | 'dark' } = {},
): Promise<AppHarness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tokendeck-e2e-'))
  // Core events reach the page through the bridge, as main's reach the window in the app.
  const late: { bridge?: Bridge } = {}
  const core = await startCore({
    profile: 'default',
    appVersion: '0.0.0-test',
    ...options,
    dataDir,
    // Never the real ~/.weka: the home the core looks in is the test's own temp directory.
    homeDir: options.homeDir ?? dataDir,
    ...(options.secretStore ? {} : { keychainService: `Tokendeck Test ${randomUUID()}` }),
    onEvent: (event) => void late.bridge?.emit(event).catch(() => undefined),
  })
  const server = await serveDirectory(RENDERER_DIR)
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    viewport: { width: 1180, height: 760 },
  })
  // Playwright's 30 s default is a guessed speed budget; a loaded 2-core machine can need more
  // for a page carrying hundreds of clusters. A hang guard instead: a wait that never ends fails
  // here (inside vitest's own 10-minute guard) and a slow machine only takes longer.
  context.setDefaultTimeout(HANG_GUARD_MS)
  const page = await context.newPage()
  const consoleErrors: string[] = []
  const consoleAll: string[] = []
  page.on('console', (m: ConsoleMessage) => {
    consoleAll.push(`${m.type()}: ${m.text()}`)
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(e.message))
  const bridge = await installBridge(page, core.dispatcher)
  late.bridge = bridge
  await page.goto(server.url)
  return {
    core,
    page,
    bridge,
    consoleErrors,
    dataDir,
    async close() {
      await context.close()
      await server.close()
      await core.close()
      for (const c of core.registry.list()) await core.secrets.deleteCredential(c.id)
      keepConsole(consoleAll)
      keepConfigFile(dataDir)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export { launchChromium }
