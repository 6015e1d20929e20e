/**
 * The refresh benchmark's WEKA simulator, in a worker thread of its own: a real cluster is
 * another machine, so its TLS and token signing must not compete with the engine for the
 * engine's event loop (they would show up as the core's latency in the copy storm). It reads
 * the benchmark's clock through shared memory (bench/clock.ts). Started by `startSimWorker`.
 *
 * Nor should the laptop's CPU hog slow the cluster down: asked to ('priority' message), the
 * thread raises its own scheduling priority (a nice value for this thread alone, Linux), so
 * beside the hog it still answers about as fast as a cluster on its own hardware would.
 */
import { readlinkSync } from 'node:fs'
import os from 'node:os'
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
  | ({ kind: 'priority' } & SimNice)

/** The thread's nice value now, or null with why it could not be set. */
export interface SimNice {
  nice: number | null
  refused?: string
}

/** Asks the thread to run at this nice value (-20 … 19; lower runs first). */
export interface SimPriorityRequest {
  kind: 'priority'
  nice: number
}

/**
 * Sets this thread's nice value. On Linux, setpriority() given a thread id applies to that
 * thread alone, and /proc/thread-self names it. A value below 0 needs root or CAP_SYS_NICE.
 */
function setThreadNice(nice: number): SimWorkerMessage {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (!Number.isInteger(tid) || tid <= 0) throw new Error('no thread id in /proc/thread-self')
    os.setPriority(tid, nice)
    return { kind: 'priority', nice: os.getPriority(tid) }
  } catch (err) {
    return {
      kind: 'priority',
      nice: null,
      refused: err instanceof Error ? err.message : String(err),
    }
  }
}

const port = parentPort
if (!port) throw new Error('bench/simWorker.ts runs as a worker thread (see bench/simThread.ts)')
const data = workerData as SimWorkerData
const post = (m: SimWorkerMessage) => port.postMessage(m)

try {
  const sim = await startWekaSim({ clock: BenchClock.attach(data.clock), users: data.users })
  port.on('message', (m: unknown) => {
    if (typeof m === 'object' && m !== null && (m as SimPriorityRequest).kind === 'priority') {
      post(setThreadNice((m as SimPriorityRequest).nice))
      return
    }
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
