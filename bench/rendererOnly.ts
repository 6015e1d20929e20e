/**
 * Figure 4 alone (`npm run bench:renderer`): the renderer in Chromium with 1,000 tagged clusters,
 * flat and grouped by tag, without the refresh, keychain and copy figures (minutes instead of a
 * quarter of an hour). The clusters are signed out — no simulator, no keychain: secrets are in
 * memory — so rows show "Sign in" where the full bench's show live sessions; the list's size
 * and grouping, which is what this figure is about, are the same. Prints one JSON object.
 */
import { startCore } from '../src/main/core/startCore'
import { MemorySecretStore } from '../src/main/core/secrets'
import { MemoryClipboard } from '../src/main/core/clipboard/clipboardService'
import { systemClock } from '../src/main/core/time'
import { launchChromium } from './browser'
import { CLUSTERS, makeRegistryDir, progress, removeDir } from './common'
import { benchRenderer, RENDERER_DIR } from './renderer'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const RUNS = 5
const PIN = 'AB:'.repeat(31) + 'AB'

async function main(): Promise<void> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    console.error('out/renderer is missing: run `npm run build` first.')
    process.exit(2)
  }
  progress(`registry of ${CLUSTERS} tagged clusters`)
  const dir = await makeRegistryDir(CLUSTERS, 'https://127.0.0.1:9', PIN)
  const core = await startCore({
    profile: 'default',
    appVersion: '0.0.0-bench',
    dataDir: dir,
    secretStore: new MemorySecretStore(),
    clipboard: new MemoryClipboard(),
    clock: systemClock,
    ticker: null,
  })
  const browser = await launchChromium()
  try {
    const renderer = await benchRenderer(browser, core, systemClock, RUNS)
    process.stdout.write(`${JSON.stringify({ browser: browser.version(), renderer }, null, 2)}\n`)
  } finally {
    await browser.close()
    await core.close()
    removeDir(dir)
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
