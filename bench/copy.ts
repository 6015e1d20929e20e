/**
 * Figure 2, copy latency: `session:copyAccessToken` with a valid cached token, 1,000 clusters
 * registered, MemoryClipboard — in process through the dispatcher (what main's IPC handler
 * calls), and from a Chromium page through the bridge (window.tokendeck.invoke, timed in the
 * page with performance.now()).
 */
import type { Browser } from 'playwright-core'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Core } from '../src/main/core/startCore'
import { progress } from './common'
import { installBridge } from './browser'
import { round, summarize, type Summary } from './stats'

export interface CopyResult {
  clusters: number
  warmup: number
  inProcess: Summary
  bridge: Summary
  /** bridge p50 ÷ in-process p50: what the page → main hop costs here. */
  bridgeOverP50: number | null
}

function rounded(s: Summary): Summary {
  return {
    n: s.n,
    min: round(s.min, 4),
    p50: round(s.p50, 4),
    p90: round(s.p90, 4),
    p99: round(s.p99, 4),
    max: round(s.max, 4),
    mean: round(s.mean, 4),
  }
}

export async function benchCopy(
  core: Core,
  browser: Browser,
  calls: number,
  warmup: number,
): Promise<CopyResult> {
  const ids = core.registry.list().map((c) => c.id)
  const copy = async (clusterId: string) => {
    const r = await core.dispatcher.invoke('session:copyAccessToken', { clusterId })
    if (!r.ok) throw new Error(`copy failed: ${r.error.code} ${r.error.message}`)
  }
  progress(`copy: ${warmup} warm-up + ${calls} calls in process`)
  for (let i = 0; i < warmup; i++) await copy(ids[i % ids.length]!)
  const times: number[] = []
  for (let i = 0; i < calls; i++) {
    const t = performance.now()
    await copy(ids[i % ids.length]!)
    times.push(performance.now() - t)
  }
  const inProcess = summarize(times)

  progress(`copy: ${warmup} warm-up + ${calls} calls from Chromium through the bridge`)
  // A blank page: the bridge's cost alone, with no renderer work competing for the page's thread.
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>'),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await installBridge(page, core.dispatcher)
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    const pageTimes = (await page.evaluate(`(async () => {
      const ids = ${JSON.stringify(ids)}
      const copy = async (clusterId) => {
        const r = await window.tokendeck.invoke('session:copyAccessToken', { clusterId })
        if (!r.ok) throw new Error('copy failed: ' + r.error.code)
      }
      for (let i = 0; i < ${warmup}; i++) await copy(ids[i % ids.length])
      const times = []
      for (let i = 0; i < ${calls}; i++) {
        const t = performance.now()
        await copy(ids[i % ids.length])
        times.push(performance.now() - t)
      }
      return times
    })()`)) as number[]
    const bridge = summarize(pageTimes)
    return {
      clusters: ids.length,
      warmup,
      inProcess: rounded(inProcess),
      bridge: rounded(bridge),
      bridgeOverP50: inProcess.p50 > 0 ? round(bridge.p50 / inProcess.p50, 1) : null,
    }
  } finally {
    await context.close()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
