/**
 * The refresh benchmark's WEKA simulator, in a worker thread of its own: a real cluster is
 * another machine, so its TLS and token signing must not compete with the engine for the
 * engine's event loop (they would show up as the core's latency in the copy storm). It reads
 * the benchmark's clock through shared memory (bench/clock.ts). Started by `startSimWorker`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { startWekaSim } from '../test/sim/weka'
import type { WekaSeedUser } from '../test/sim/weka/options'
import { BenchClock } from './clock'

export interface SimWorkerData {
  clock: SharedArrayBuffer
  users: WekaSeedUser[]
}

export type SimWorkerMessage =
  | { kind: 'ready'; url: string; fingerprint: string }
  | { kind: 'failed'; message: string }
  | { kind: 'closed' }

const port = parentPort
if (!port) throw new Error('bench/simWorker.ts runs as a worker thread (see bench/simThread.ts)')
const data = workerData as SimWorkerData
const post = (m: SimWorkerMessage) => port.postMessage(m)

try {
  const sim = await startWekaSim({ clock: BenchClock.attach(data.clock), users: data.users })
  port.on('message', (m: unknown) => {
    if (m !== 'close') return
    void sim.close().finally(() => {
      post({ kind: 'closed' })
      port.close()
    })
  })
  post({ kind: 'ready', url: sim.url, fingerprint: sim.fingerprint })
} catch (err) {
  post({ kind: 'failed', message: err instanceof Error ? err.message : String(err) })
}
