/** Helpers every benchmark shares: progress on stderr, bounded concurrency, a 1,000-cluster registry. */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClusterRegistry } from '../src/main/core/clusters'
import { FILE_NAME } from '../src/main/core/clusters/registryFile'

export const CLUSTERS = 1000

const started = performance.now()

/** Progress goes to stderr, so stdout holds only the table (or the one JSON object). */
export function progress(message: string): void {
  const s = ((performance.now() - started) / 1000).toFixed(1).padStart(6)
  process.stderr.write(`[bench ${s}s] ${message}\n`)
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now()
  const value = await fn()
  return { ms: performance.now() - t0, value }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tokendeck-bench-${prefix}-`))
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

export function clusterName(i: number): string {
  return `weka-${String(i).padStart(4, '0')}`
}

export function wekaUser(i: number): { username: string; password: string } {
  return { username: `bench${i}`, password: `Bench-Pass-${i}` }
}

/**
 * A data directory whose registry holds `count` WEKA clusters at `url` (user bench<i> each),
 * pinned to `sha256`. Built once through the real registry; copies are cheap (`cloneDataDir`).
 */
export async function makeRegistryDir(count: number, url: string, sha256: string): Promise<string> {
  const dir = tempDir('registry')
  const registry = await ClusterRegistry.open({ dir })
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      registry.add({
        vendor: 'weka',
        name: clusterName(i),
        url,
        username: wekaUser(i).username,
        trust: { sha256 },
        tags: benchTags(i),
      }),
    ),
  )
  await registry.flush()
  return dir
}

/**
 * Tags as a fleet has them: each cluster at one of 10 sites and in prod or lab, so the list
 * grouped by tag has 12 groups and lists every cluster twice (the grouped renderer figure).
 */
export function benchTags(i: number): string[] {
  return [i % 3 === 0 ? 'prod' : 'lab', `site-${i % 10}`].sort()
}

export function cloneDataDir(template: string, prefix: string): string {
  const dir = tempDir(prefix)
  copyFileSync(join(template, FILE_NAME), join(dir, FILE_NAME))
  return dir
}

/** Samples this process's RSS every `everyMs` while running; `stop()` returns the peak in bytes. */
export function rssSampler(everyMs = 50): { stop(): { peakBytes: number; samples: number } } {
  let peak = process.memoryUsage.rss()
  let samples = 1
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
    samples++
  }, everyMs)
  timer.unref()
  return {
    stop() {
      clearInterval(timer)
      peak = Math.max(peak, process.memoryUsage.rss())
      return { peakBytes: peak, samples: samples + 1 }
    },
  }
}
