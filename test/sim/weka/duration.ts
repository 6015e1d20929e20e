/**
 * Go's `time.Duration.String()` for whole seconds: "1m55s", "2m0s", "55s", "1h0m0s".
 * WEKA's lockout text prints the remaining time this way (docs/protocols/weka.md §2.4, CODE: Manila's fixture
 * "locked out for another 1m55s"). The real text shows whole seconds, so sub-second parts are
 * rounded up: a user still locked for 0.4 s is told "1s", never "0s".
 */
export function goDuration(ms: number): string {
  let s = Math.max(0, Math.ceil(ms / 1000))
  if (s === 0) return '0s'
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  if (h > 0) return `${h}h${m}m${s}s`
  if (m > 0) return `${m}m${s}s`
  return `${s}s`
}
