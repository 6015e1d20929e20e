/**
 * `tokendeck token` from a terminal: what one call costs, and what it costs the cluster.
 *   floor   `node -e 0`: starting Node at all
 *   cold    no owner running: the CLI owns for its lifetime, reads the keychain and refreshes
 *   served  the app's core owns the sessions: the CLI asks it over the agent socket
 * Each call's refresh requests are counted on the simulator (target with an owner: 0).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startWekaSim } from '../test/sim/weka'
import { addWekaArgs } from '../test/cli/cliHarness'
import { ownSessions } from '../src/main/core/agent/sessionOwner'
import { startCore } from '../src/main/core/startCore'
import { KeytarSecretStore } from '../src/main/core/secrets'
import { progress } from './common'
import { ratio, round, summarize, type Summary } from './stats'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const BIN = join(ROOT, 'bin/tokendeck.mjs')

export interface CliTokenResult {
  calls: number
  floorMs: Summary
  coldMs: Summary
  servedMs: Summary
  coldVsFloor: number | null
  servedVsFloor: number | null
  servedVsCold: number | null
  refreshesPerCallCold: number
  refreshesPerCallServed: number
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  input = '',
): Promise<{ ms: number; code: number | null; stdout: string }> {
  const t0 = performance.now()
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  child.stdin.end(input)
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => {
      if (code !== 0 && args[0] !== '-e')
        reject(new Error(`${args.slice(1).join(' ')} exited ${code}: ${stderr.trim()}`))
      resolve({ ms: performance.now() - t0, code, stdout })
    })
  })
}

export async function benchCliToken(calls: number): Promise<CliTokenResult> {
  const sim = await startWekaSim()
  const home = mkdtempSync(join(tmpdir(), 'tokendeck-bench-cli-'))
  const env = { ...process.env, TOKENDECK_HOME: home, NO_COLOR: '1' }
  const refreshes = () => sim.requests.filter((r) => r.path.endsWith('/login/refresh')).length
  let clusterId = ''
  try {
    const add = await run([BIN, ...addWekaArgs(sim, 'bench')], env)
    clusterId = (JSON.parse(add.stdout) as { id: string }).id
    await run([BIN, 'login', clusterId, '--password-stdin'], env, 'WekaSim-Admin-7341\n')

    progress(`cli token: node -e 0 × ${calls}`)
    const floor: number[] = []
    for (let i = 0; i < calls; i++) floor.push((await run(['-e', '0'], env)).ms)

    progress(`cli token: cold tokendeck token × ${calls} (no owner)`)
    const cold: number[] = []
    let before = refreshes()
    for (let i = 0; i < calls; i++) cold.push((await run([BIN, 'token', clusterId], env)).ms)
    const coldRefreshes = refreshes() - before

    progress(`cli token: tokendeck token × ${calls} served by a running owner`)
    const owned = await ownSessions({
      role: 'app',
      dataDir: home,
      version: 'bench',
      startCore: () => startCore({ profile: 'default', appVersion: 'bench', dataDir: home }),
    })
    const served: number[] = []
    let servedRefreshes = 0
    try {
      await owned.api.accessToken(clusterId) // the owner's own first refresh is not the CLI's
      before = refreshes()
      for (let i = 0; i < calls; i++) served.push((await run([BIN, 'token', clusterId], env)).ms)
    } finally {
      servedRefreshes = refreshes() - before
      await owned.close()
    }
    const f = summarize(floor)
    const c = summarize(cold)
    const s = summarize(served)
    return {
      calls,
      floorMs: f,
      coldMs: c,
      servedMs: s,
      coldVsFloor: ratio(c.p50, f.p50),
      servedVsFloor: ratio(s.p50, f.p50),
      servedVsCold: ratio(s.p50, c.p50),
      refreshesPerCallCold: round(coldRefreshes / calls, 2),
      refreshesPerCallServed: round(servedRefreshes / calls, 2),
    }
  } finally {
    const profile = (await import('../test/cli/cliHarness')).profileIdOf(home)
    if (profile && clusterId)
      await new KeytarSecretStore({ service: 'Tokendeck', namespace: profile })
        .deleteCredential(clusterId)
        .catch(() => false)
    rmSync(home, { recursive: true, force: true })
    await sim.close()
  }
}
