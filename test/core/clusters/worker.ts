/**
 * A separate process for the multi-process tests (run as `node --import tsx worker.ts <op> <dir>
 * [name]`). It does its setup (opening the registry, so that it holds a copy that others will
 * make stale), prints "ready", waits for a line on stdin so that all workers start their
 * operation together, does it, and prints one JSON line: { ok: true, … } or { ok: false, code,
 * message }.
 *
 *   add <dir> <name>       open a ClusterRegistry on <dir> and add a WEKA cluster called <name>
 *   profile <dir>          readOrCreateProfileId(<dir>)
 */
import { ClusterRegistry } from '../../../src/main/core/clusters/registry'
import { readOrCreateProfileId } from '../../../src/main/core/clusters/profileIdentity'
import { isTokendeckError } from '../../../src/shared/errors'

const [op, dir, name] = process.argv.slice(2)

function reply(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}

async function go(): Promise<void> {
  process.stdout.write('ready\n')
  await new Promise((resolve) => process.stdin.once('data', resolve))
  process.stdin.pause()
}

try {
  if (dir === undefined) throw new Error('usage: worker.ts <op> <dir> [name]')
  if (op === 'add') {
    const registry = await ClusterRegistry.open({ dir })
    if (registry.loadProblem) throw registry.loadProblem
    await go()
    const cluster = await registry.add({
      vendor: 'weka',
      name: name ?? 'unnamed',
      url: 'https://weka.example.com:14000',
      username: 'admin',
      trust: { sha256: Array.from({ length: 32 }, () => 'AB').join(':') },
    })
    reply({ ok: true, id: cluster.id })
  } else if (op === 'profile') {
    await go()
    reply({ ok: true, ...(await readOrCreateProfileId(dir)) })
  } else {
    throw new Error(`unknown op ${op}`)
  }
} catch (e) {
  reply(
    isTokendeckError(e)
      ? { ok: false, code: e.code, message: e.message }
      : { ok: false, code: 'THROWN', message: String(e) },
  )
}
