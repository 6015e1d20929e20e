/**
 * `npm start`: Tokendeck on your clusters, or the demo when you have none yet. Without an Electron
 * binary it explains what still works instead of trying to download one.
 */
import path from 'node:path'
import { dataDir, FILE_NAME } from '../src/main/core/clusters'
import { readTextIfExists } from '../src/main/core/clusters/atomicFile'
import { parseRegistryFile } from '../src/main/core/clusters/registryFile'
import { electronMissingText, launchElectron, runDemo, runMain } from './lib/launch'
import { findElectronBinary } from './lib/electronBinary.mjs'

const USAGE = `Usage: npm start

Opens Tokendeck on your clusters. With none registered yet, runs the demo instead
(\`npm run demo\`: three simulated clusters).
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
    return runDemo()
  }
  const electron = findElectronBinary()
  if (electron.path !== undefined) return launchElectron(electron.path, 'default')
  console.error(
    `${electronMissingText(electron.reason)}\n\n` +
      'What works without it:\n' +
      '  npm test         every test: core, keychain, simulators, the renderer in Chromium\n' +
      '  npm run sim      the WEKA, Qumulo and Swarm simulators (URLs, fingerprints, demo users)\n' +
      '  npm run demo     the simulators registered as demo clusters (no window: they keep running)',
  )
  return 1
}

runMain('start', process.argv.slice(2), USAGE, start)
