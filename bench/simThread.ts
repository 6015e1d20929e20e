/** Starts the benchmark's WEKA simulator in its own thread (bench/simWorker.ts) and stops it. */
import { Worker } from 'node:worker_threads'
import type { WekaSeedUser } from '../test/sim/weka/options'
import type { BenchClock } from './clock'
import type { SimNice, SimPriorityRequest, SimWorkerData, SimWorkerMessage } from './simWorker'

export interface SimThread {
  url: string
  fingerprint: string
  /**
   * Runs the simulator's thread at `nice` (see bench/simWorker.ts); resolves with the nice
   * value it now has, or with why it could not (a negative value needs root or CAP_SYS_NICE).
   */
  setNice(nice: number): Promise<SimNice>
  close(): Promise<void>
}

export async function startSimThread(clock: BenchClock, users: WekaSeedUser[]): Promise<SimThread> {
  const workerData: SimWorkerData = { clock: clock.shared, users }
  // tsx's loader hooks do not reach a worker thread on Node 20 (whatever its execArgv): the
  // worker loads the TypeScript module through tsx's own API instead.
  const entry = JSON.stringify(new URL('./simWorker.ts', import.meta.url).href)
  const parent = JSON.stringify(import.meta.url)
  const worker = new Worker(
    `import('tsx/esm/api').then(({ tsImport }) => tsImport(${entry}, ${parent}))`,
    { eval: true, workerData },
  )
  const next = () =>
    new Promise<SimWorkerMessage>((resolve, reject) => {
      const off = () => {
        worker.off('message', onMessage)
        worker.off('error', onError)
        worker.off('exit', onExit)
      }
      const onMessage = (m: SimWorkerMessage) => {
        off()
        resolve(m)
      }
      const onError = (err: Error) => {
        off()
        reject(err)
      }
      const onExit = (code: number) => {
        off()
        reject(new Error(`the simulator thread exited (code ${code})`))
      }
      worker.on('message', onMessage)
      worker.on('error', onError)
      worker.on('exit', onExit)
    })
  const first = await next()
  if (first.kind !== 'ready') {
    await worker.terminate()
    throw new Error(
      `the simulator thread did not start: ${first.kind === 'failed' ? first.message : first.kind}`,
    )
  }
  let closing: Promise<void> | undefined
  return {
    url: first.url,
    fingerprint: first.fingerprint,
    async setNice(nice) {
      const answer = next()
      worker.postMessage({ kind: 'priority', nice } satisfies SimPriorityRequest)
      const m = await answer
      if (m.kind !== 'priority') throw new Error(`the simulator thread answered ${m.kind}`)
      return m.refused === undefined ? { nice: m.nice } : { nice: m.nice, refused: m.refused }
    },
    close: () =>
      (closing ??= (async () => {
        const closed = next()
        worker.postMessage('close')
        await closed.catch(() => undefined)
        await worker.terminate()
      })()),
  }
}
