/**
 * RFC 3339 in and out. docs/protocols/qumulo.md §3.2: requests carry a tz-aware time ("2024-01-20T12:00:00+00:00",
 * naive datetimes are not understood: SDK), responses are UTC with `Z` and up to 9 fractional
 * digits (DOC "2022-12-06T01:14:39.56621474Z").
 */

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/** Milliseconds since the epoch, or undefined when the text is not a tz-aware RFC 3339 time. */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text)
  if (!m) return undefined
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  const base = Date.UTC(year, month - 1, day, hour, minute, second)
  const check = new Date(base)
  // Date.UTC rolls 2024-02-30 over into March; a real parser rejects it.
  if (
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined
  }
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0
  let offsetMinutes = 0
  if (sign) {
    if (Number(oh) > 23 || Number(om) > 59) return undefined
    offsetMinutes = (Number(oh) * 60 + Number(om)) * (sign === '-' ? -1 : 1)
  }
  return base + ms - offsetMinutes * 60_000
}

/** `2023-01-01T00:00:00Z`, or with the milliseconds when there are any (as the doc example). */
export function formatRfc3339(ms: number): string {
  const iso = new Date(ms).toISOString()
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso
}

/** With nine fractional digits: `ms` plus `nanosWithinMs` (0–999 999) below the millisecond. */
export function formatRfc3339Nanos(ms: number, nanosWithinMs: number): string {
  const iso = new Date(ms).toISOString() // …SS.mmmZ
  const nanos = String((((ms % 1000) + 1000) % 1000) * 1_000_000 + nanosWithinMs).padStart(9, '0')
  return `${iso.slice(0, 19)}.${nanos}Z`
}
