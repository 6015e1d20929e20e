/** Time is injected everywhere in the core, so expiry, backoff and sleep/resume test without waiting. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** Repeating timer port: the app uses real timers, tests call `tick()` themselves. */
export interface Ticker {
  every(ms: number, fn: () => void): () => void
}

export const realTicker: Ticker = {
  every(ms, fn) {
    const handle = setInterval(fn, ms)
    handle.unref?.()
    return () => clearInterval(handle)
  },
}
