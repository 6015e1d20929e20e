/**
 * Fault knobs every simulator shares. Each fault fires on a request when its `match` (a path
 * regular expression, default: every path) matches, while its `times` budget lasts
 * (undefined = forever), with probability `rate` (default 1) drawn from a seeded generator so
 * a failing test can be replayed.
 */
export interface FaultRule {
  match?: RegExp
  rate?: number
  times?: number
}

export interface FaultSettings {
  /** Delay every matching reply by this many milliseconds. */
  latency?: FaultRule & { ms: number }
  /** Reply with this 5xx status (default 503), optionally with a Retry-After (seconds). */
  serverError?: FaultRule & { status?: number; retryAfterSeconds?: number }
  /** Destroy the connection without any reply. */
  reset?: FaultRule
  /** Send only the first half of a JSON body (Content-Length matches what is sent). */
  truncatedJson?: FaultRule
  /** Reply 502 with an HTML error page, as a proxy in front of a dead backend would. */
  htmlError?: FaultRule
  /** Never answer: hold the socket open for `ms` (default 10 minutes), then drop it. */
  hang?: FaultRule & { ms?: number }
}

export type FaultName = keyof FaultSettings

/** Mulberry32: small, seeded, good enough to decide "does this request fail". */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Faults {
  private settings: FaultSettings = {}
  private random: () => number

  constructor(seed = 1) {
    this.random = seededRandom(seed)
  }

  /** Replace all fault settings (an empty object turns every fault off). */
  set(settings: FaultSettings): void {
    this.settings = { ...settings }
  }

  /** Add or change one fault, leaving the others. */
  enable<K extends FaultName>(name: K, rule: NonNullable<FaultSettings[K]>): void {
    this.settings = { ...this.settings, [name]: { ...rule } }
  }

  clear(): void {
    this.settings = {}
  }

  /** Decide whether `name` fires for this path; consumes one from its `times` budget if so. */
  take<K extends FaultName>(name: K, path: string): NonNullable<FaultSettings[K]> | undefined {
    const rule = this.settings[name]
    if (!rule) return undefined
    if (rule.match && !rule.match.test(path)) return undefined
    if (rule.times !== undefined && rule.times <= 0) return undefined
    if (this.random() >= (rule.rate ?? 1)) return undefined
    if (rule.times !== undefined) rule.times -= 1
    return rule as NonNullable<FaultSettings[K]>
  }
}
