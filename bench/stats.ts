/**
 * The statistics every benchmark figure goes through. Percentiles use linear interpolation
 * between the closest ranks (Hyndman & Fan type 7: what NumPy, R and spreadsheets use by
 * default), so p50 of an even-sized sample is the mean of its two middle values, exactly the
 * median.
 */

/** The p-th percentile (0 ≤ p ≤ 100) of `values`; throws on an empty sample or a bad p. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty sample')
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`)
  if (values.some((v) => !Number.isFinite(v)))
    throw new RangeError('percentile of a sample with a non-finite value')
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  const a = sorted[lo]!
  const b = sorted[hi]!
  return a + (b - a) * (rank - lo)
}

export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

export interface Summary {
  n: number
  min: number
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('summary of an empty sample')
  return {
    n: values.length,
    min: Math.min(...values),
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: Math.max(...values),
    mean: values.reduce((s, v) => s + v, 0) / values.length,
  }
}

/** a ÷ b, rounded for reading; NaN-safe for a zero baseline (reported as null). */
export function ratio(a: number, b: number): number | null {
  if (!(b > 0) || !Number.isFinite(a)) return null
  return round(a / b, 3)
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/**
 * The fastest of several candidates by their median (ties: the first listed wins). Used to pick
 * the best bare loop among the concurrencies tried.
 */
export function fastest<T extends { medianMs: number }>(candidates: readonly T[]): T {
  if (candidates.length === 0) throw new RangeError('fastest of no candidates')
  let best = candidates[0]!
  for (const c of candidates) {
    if (!Number.isFinite(c.medianMs)) throw new RangeError('a candidate without a finite median')
    if (c.medianMs < best.medianMs) best = c
  }
  return best
}

/**
 * A small seeded generator (mulberry32) returning floats in [0, 1): the copy storm picks its
 * clusters with it, so two runs ask for the same clusters in the same order.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
