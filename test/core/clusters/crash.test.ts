/**
 * A process killed (SIGKILL: no cleanup, no finally) in the middle of saving must leave the
 * previous clusters.json whole. A child process saves a large registry in a tight loop and is
 * killed at an arbitrary moment; whatever phase it was in (writing the temp file, fsync, rename),
 * the file on disk must still load cleanly with every cluster.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { writeFileAtomic } from '../../../src/main/core/clusters/atomicFile'
import { ClusterRegistry } from '../../../src/main/core/clusters/registry'
import { serializeRegistryFile } from '../../../src/main/core/clusters/registryFile'
import { DEFAULT_SETTINGS, type Cluster } from '../../../src/shared/model'

const repo = path.resolve(import.meta.dirname, '../../..')
const registryModule = pathToFileURL(path.join(repo, 'src/main/core/clusters/registry.ts')).href
const COUNT = 3000

let dir: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'td-crash-'))
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

function cluster(i: number): Cluster {
  return {
    id: `c-${i}`,
    vendor: 'weka',
    name: `Cluster number ${i} in the big datacenter`,
    url: `https://weka-${i}.storage.example.com:14000`,
    username: 'admin',
    org: 'Root',
    trust: {
      sha256: Array.from({ length: 32 }, (_, k) =>
        ((i + k) % 256).toString(16).padStart(2, '0').toUpperCase(),
      ).join(':'),
    },
  }
}

/** Start the save loop; resolves once the child has completed its first save. */
async function startSaving(): Promise<ReturnType<typeof spawn>> {
  const script = path.join(dir, 'save-loop.mts')
  await fs.writeFile(
    script,
    `import { ClusterRegistry } from ${JSON.stringify(registryModule)}
const reg = await ClusterRegistry.open({ dir: process.argv[2] })
if (reg.loadProblem) throw reg.loadProblem
for (let i = 0; ; i++) {
  await reg.update('c-' + (i % ${COUNT}), { name: 'Renamed ' + i })
  if (i === 0) process.stdout.write('saved\\n')
}
`,
  )
  const child = spawn(process.execPath, ['--import', 'tsx', script, path.join(dir, 'data')], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('saved')) resolve()
    })
    child.on('exit', (code) => reject(new Error(`save loop exited early (${code}): ${stderr}`)))
  })
  return child
}

describe('crash during save', () => {
  it('SIGKILL at arbitrary moments never leaves a broken clusters.json', async () => {
    const data = path.join(dir, 'data')
    const clusters = Array.from({ length: COUNT }, (_, i) => cluster(i))
    await writeFileAtomic(
      path.join(data, 'clusters.json'),
      serializeRegistryFile({ version: 1, clusters, settings: DEFAULT_SETTINGS }),
    )
    expect((await fs.stat(path.join(data, 'clusters.json'))).size).toBeGreaterThan(500_000)

    for (const delayMs of [0, 7, 23, 61]) {
      const child = await startSaving()
      await new Promise((r) => setTimeout(r, delayMs))
      const exited = new Promise((r) => child.on('exit', r))
      child.kill('SIGKILL')
      await exited

      const reg = await ClusterRegistry.open({ dir: data })
      expect(reg.loadProblem).toBeUndefined()
      expect(reg.list()).toHaveLength(COUNT)
      // Whatever was interrupted, no quarantine was needed.
      expect((await fs.readdir(data)).filter((f) => f.includes('.corrupt-'))).toEqual([])
    }
  })
})
