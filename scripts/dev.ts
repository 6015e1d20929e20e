/**
 * `npm run dev`: electron-vite's dev server with hot reload. electron-vite only reads
 * node_modules/electron/path.txt (and stops with "Electron uninstall" when Electron 45 has not
 * fetched its binary yet), so Electron is made sure of first, as `npm start` does, and handed
 * over in ELECTRON_EXEC_PATH. Arguments go to `electron-vite dev`.
 */
import {
  electronOrProblem,
  refuseUnsupportedNode,
  runForwardingSignals,
  WORKS_WITHOUT_ELECTRON,
} from './lib/launch'

async function dev(args: string[]): Promise<number> {
  // Already told which Electron to run: electron-vite uses it as it is.
  let exec = process.env.ELECTRON_EXEC_PATH
  if (!exec) {
    const electron = await electronOrProblem('npm run dev')
    if (electron.path === undefined) {
      console.error(`${electron.problem}\n\n${WORKS_WITHOUT_ELECTRON}`)
      return 1
    }
    exec = electron.path
  }
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_EXEC_PATH: exec }
  return runForwardingSignals(npx, ['electron-vite', 'dev', ...args], env)
}

if (!refuseUnsupportedNode()) {
  dev(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (e: unknown) => {
      console.error(`dev: ${e instanceof Error ? e.message : String(e)}`)
      process.exitCode = 1
    },
  )
}
