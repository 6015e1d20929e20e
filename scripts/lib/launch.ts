/**
 * What `npm start`, `npm run demo` and `npm run dev` share: the Node check, the demo flow
 * (simulators + demo clusters), building the app when its output is stale, and running Electron
 * once `ensureElectron` (electronDownload.ts) has it.
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ClusterRegistry, dataDir, type Profile } from '../../src/main/core/clusters'
import type { Cluster, Vendor } from '../../src/shared/model'
import { untilSignal } from '../../test/sim/cli/args'
import {
  adminOf,
  describeSims,
  formatSims,
  startAllSims,
  type RunningSims,
  type SimsInfo,
} from '../../test/sim/cli/sims'
import { SEED_DEFAULT_DOMAIN } from '../../test/sim/swarm/seed'
import {
  describeElectronProblem,
  ensureElectron,
  nodeCheckHere,
  type Command,
} from './electronDownload'
import { nodeTooOldText } from './nodeVersion'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export const DEMO_CLUSTER_NAMES: Record<Vendor, string> = {
  weka: 'Demo WEKA',
  qumulo: 'Demo Qumulo',
  swarm: 'Demo Swarm',
}

/** The part of every "Electron is missing" message that says what still works without it. */
export const WORKS_WITHOUT_ELECTRON = [
  'What works without Electron:',
  '  npm run tokendeck -- …  the command line: the same clusters, keychain and tokens as the app',
  '  npm run demo            the simulators registered as demo clusters (no window: they keep running)',
  '  npm run sim             the WEKA, Qumulo and Swarm simulators (URLs, fingerprints, demo users)',
  '  npm test                every test: core, keychain, simulators, the renderer in Chromium',
].join('\n')

/** The Electron binary (downloaded if need be), or the one message saying why there is none. */
export async function electronOrProblem(
  command: Command,
): Promise<{ path: string; problem?: undefined } | { path?: undefined; problem: string }> {
  const result = await ensureElectron()
  if ('path' in result) return { path: result.path }
  const { problem, version, installer } = result
  return { problem: describeElectronProblem(problem, version, installer, command) }
}

/**
 * Register (or refresh) the three demo clusters in the registry at `dir`: one per simulator,
 * signed in as its administrator and pinned to its current certificate. A cluster is matched by
 * vendor and demo name, so a re-run updates URL and pin (the simulators get new certificates at
 * every start) rather than adding duplicates.
 */
export async function registerDemoClusters(dir: string, info: SimsInfo): Promise<Cluster[]> {
  const registry = await ClusterRegistry.open({ dir })
  if (registry.loadProblem) console.warn(`demo: ${registry.loadProblem.message}`)
  const wanted: Array<Omit<Cluster, 'id'>> = [
    demoCluster('weka', info.weka.url, info.weka.fingerprint, adminOf(info.weka).username),
    demoCluster('qumulo', info.qumulo.url, info.qumulo.fingerprint, adminOf(info.qumulo).username),
    {
      ...demoCluster('swarm', info.swarm.url, info.swarm.fingerprint, adminOf(info.swarm).username),
      // The root administrator ("admin@") needs no tenant; the domain picks whose /.TOKEN/ it uses.
      domain: adminOf(info.swarm).domain ?? SEED_DEFAULT_DOMAIN,
    },
  ]
  const result: Cluster[] = []
  for (const want of wanted) {
    const existing = registry.list().find((c) => c.vendor === want.vendor && c.name === want.name)
    if (existing === undefined) {
      result.push(await registry.add(want))
    } else {
      const { vendor: _vendor, ...patch } = want
      result.push(await registry.update(existing.id, patch))
    }
  }
  await registry.flush()
  return result
}

function demoCluster(
  vendor: Vendor,
  url: string,
  sha256: string,
  username: string,
): Omit<Cluster, 'id'> {
  return { vendor, name: DEMO_CLUSTER_NAMES[vendor], url, username, trust: { sha256 } }
}

/** True when out/ is missing a part of the app or is older than a file under src/. */
export function needsBuild(root: string = REPO_ROOT): boolean {
  const outputs = ['out/main/index.js', 'out/preload', 'out/renderer/index.html'].map((p) =>
    path.join(root, p),
  )
  if (!outputs.every((p) => existsSync(p))) return true
  const builtAt = Math.min(...outputs.map((p) => statSync(p).mtimeMs))
  const inputs = ['src', 'electron.vite.config.ts', 'package.json'].map((p) => path.join(root, p))
  return inputs.some((p) => existsSync(p) && newestMtime(p) > builtAt)
}

function newestMtime(p: string): number {
  const st = statSync(p)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)))
  return newest
}

/** Run a command with the terminal attached; resolves with its exit code (signal → 1). */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  // Windows runs npx.cmd only through a shell (Node refuses to spawn .cmd files directly).
  const shell = process.platform === 'win32' && cmd.endsWith('.cmd')
  const child = spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: 'inherit', shell })
  const done = new Promise<number>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
  return { child, done }
}

/** Build the app when out/ is stale. TOKENDECK_SKIP_BUILD=1 skips this, as it does for `npm test`. */
export async function buildIfNeeded(): Promise<void> {
  if (process.env.TOKENDECK_SKIP_BUILD === '1' || !needsBuild()) return
  console.log('Building the app (npx electron-vite build)…')
  const code = await run(process.platform === 'win32' ? 'npx.cmd' : 'npx', [
    'electron-vite',
    'build',
  ]).done
  if (code !== 0) throw new Error(`the build failed (exit ${code})`)
}

/**
 * Build if needed and run Electron on the built app with the given profile until it exits.
 * Ctrl-C / SIGTERM are passed on to Electron. Resolves with Electron's exit code.
 */
export async function launchElectron(electron: string, profile: Profile): Promise<number> {
  await buildIfNeeded()
  const env: NodeJS.ProcessEnv = { ...process.env, TOKENDECK_PROFILE: profile }
  // Set in a parent, this would make the binary a plain Node and ignore the app.
  delete env.ELECTRON_RUN_AS_NODE
  console.log(`Starting Tokendeck (${profile} profile)…`)
  return runForwardingSignals(electron, ['.'], env)
}

/** `run`, passing Ctrl-C / SIGTERM on to the child and waiting for it to finish with them. */
export async function runForwardingSignals(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const { child, done } = run(cmd, args, env)
  const forward = (signal: NodeJS.Signals) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  try {
    return await done
  } finally {
    process.off('SIGINT', forward)
    process.off('SIGTERM', forward)
  }
}

/**
 * The demo: get Electron (downloading it on first use), start the simulators, register them as
 * the demo profile's clusters, print the demo users, then run the app on the demo profile until
 * it exits, or, without Electron, say why and keep the simulators up until Ctrl-C. Resolves
 * with the exit code to use.
 */
export async function runDemo(command: Command = 'npm run demo'): Promise<number> {
  const dir = dataDir('demo')
  let sims: RunningSims | undefined
  try {
    // Before the simulators: a first-run download prints its own progress, and should not
    // scroll the demo users and URLs out of sight.
    const electron = await electronOrProblem(command)
    sims = await startAllSims()
    const info = describeSims(sims)
    await registerDemoClusters(dir, info)
    console.log(
      `Tokendeck demo: three simulated clusters (demo data: these passwords protect nothing)\n\n` +
        `${formatSims(info)}\n\n` +
        `Demo clusters "${DEMO_CLUSTER_NAMES.weka}", "${DEMO_CLUSTER_NAMES.qumulo}" and ` +
        `"${DEMO_CLUSTER_NAMES.swarm}" are registered, pinned to these certificates, in\n  ${dir}\n` +
        'They sign in as each simulator\u2019s administrator (first user above).\n',
    )
    if (electron.path !== undefined) return await launchElectron(electron.path, 'demo')
    // Listen for Ctrl-C before saying so: whoever reads the line may signal at once.
    const stopped = untilSignal()
    console.log(
      `${electron.problem}\n\n` +
        'The simulators keep running for the tests, the command line and a browser:\n' +
        `  WEKA    ${info.weka.url}\n  Qumulo  ${info.qumulo.url}\n  Swarm   ${info.swarm.url}\n` +
        'Simulators are running; press Ctrl-C to stop them.',
    )
    const signal = await stopped
    console.log(`\ndemo: ${signal}: simulators stopped.`)
    return 0
  } finally {
    await sims?.close()
  }
}

/**
 * Stop, with one message, on a Node.js that nothing here supports (see nodeVersion.ts); a Node
 * that only Electron's tooling does not declare is dealt with where the download happens.
 */
export function refuseUnsupportedNode(): boolean {
  const check = nodeCheckHere()
  if (check.kind !== 'too-old') return false
  console.error(nodeTooOldText(check))
  process.exitCode = 1
  return true
}

/**
 * Entry-point plumbing: the Node check, `--help`, no other arguments (exit 2 on any), errors as
 * one line (exit 1), and the exit code `main` resolves with.
 */
export function runMain(
  name: string,
  argv: string[],
  usage: string,
  main: () => Promise<number>,
): void {
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    process.stdout.write(usage)
    return
  }
  if (refuseUnsupportedNode()) return
  if (argv.length > 0) {
    console.error(`${name}: unexpected argument "${argv[0]}"\n\n${usage}`)
    process.exitCode = 2
    return
  }
  main().then(
    (code) => {
      process.exitCode = code
    },
    (e: unknown) => {
      console.error(`${name}: ${e instanceof Error ? e.message : String(e)}`)
      process.exitCode = 1
    },
  )
}
