/**
 * `npm start`: Tokendeck on your clusters, or the demo when you have none yet. Electron 45 leaves
 * its binary to be fetched on first use, so the first run downloads it (lib/electronDownload.ts);
 * when it cannot, one message says why and what still works.
 */
import path from 'node:path'
import { dataDir, FILE_NAME } from '../src/main/core/clusters'
import { readTextIfExists } from '../src/main/core/clusters/atomicFile'
import { parseRegistryFile } from '../src/main/core/clusters/registryFile'
import {
  electronOrProblem,
  launchElectron,
  runDemo,
  runMain,
  WORKS_WITHOUT_ELECTRON,
} from './lib/launch'

const USAGE = `Usage: npm start

Opens Tokendeck on your clusters. With none registered yet, runs the demo instead
(\`npm run demo\`: three simulated clusters). The first run downloads Electron's binary with
Electron's own installer (ELECTRON_MIRROR, ELECTRON_CUSTOM_DIR, electron_config_cache and
HTTPS_PROXY apply; ELECTRON_SKIP_BINARY_DOWNLOAD=1 turns the download off).
`

/**
 * Whether the default profile has no clusters. Read-only on purpose: opening the registry would
 * move an unreadable file aside, and such a file means the user HAS clusters (the app then
 * explains the problem), so only a missing file or a valid empty list counts as "none".
 */
async function hasNoClusters(): Promise<boolean> {
  const text = await readTextIfExists(path.join(dataDir('default'), FILE_NAME))
  if (text === undefined) return true
  const parsed = parseRegistryFile(text)
  return parsed.ok && parsed.file.clusters.length === 0
}

async function start(): Promise<number> {
  if (await hasNoClusters()) {
    console.log(`No clusters registered yet (${dataDir('default')}): starting the demo.\n`)
    return runDemo('npm start')
  }
  const electron = await electronOrProblem('npm start')
  if (electron.path !== undefined) return launchElectron(electron.path, 'default')
  console.error(`${electron.problem}\n\n${WORKS_WITHOUT_ELECTRON}`)
  return 1
}

runMain('start', process.argv.slice(2), USAGE, start)
