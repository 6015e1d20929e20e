/**
 * `X-User-Token-Expires-Meta` (docs/protocols/swarm.md §2.5).
 * DOC rows: POSIX seconds, `+n` days, `YYYY`; the "specific day" row is cut off in every copy.
 * docs/protocols/swarm.md §2.5 DESIGN: accept POSIX int, `+n`, `YYYY`, `YYYY-MM-DD`, `YYYYMMDD`, ISO 8601 with
 * optional ms/Z; reject anything else with 400.
 * A string of digits is read as a year when it has 4 digits, as YYYYMMDD when it has 8, and as
 * POSIX seconds otherwise (today's POSIX times have 10 digits, so the forms cannot collide).
 */

const DAY_MS = 86_400_000
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i

/** Milliseconds since the epoch, or undefined when the spec is not one we accept. */
export function parseExpiry(spec: string, now: number): number | undefined {
  const s = spec.trim()
  let m: RegExpExecArray | null
  if ((m = /^\+(\d{1,6})$/.exec(s))) return now + Number(m[1]) * DAY_MS
  if (/^\d{4}$/.test(s)) return utc(Number(s), 1, 1)
  if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) return utc(Number(m[1]), Number(m[2]), Number(m[3]))
  if (/^\d{1,12}$/.test(s)) return Number(s) * 1000
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)))
    return utc(Number(m[1]), Number(m[2]), Number(m[3]))
  if ((m = ISO.exec(s))) {
    const [, y, mo, d, h, mi, sec, frac, zone] = m
    const base = utc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec ?? 0))
    if (base === undefined) return undefined
    const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0
    // docs/protocols/swarm.md §2.5 DESIGN says "optional Z": a time without a zone is taken as UTC.
    return base + ms - zoneOffsetMs(zone)
  }
  return undefined
}

/** Date.UTC that refuses out-of-range parts instead of rolling them over (Feb 30 → Mar 2). */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | undefined {
  if (h > 23 || mi > 59 || s > 59) return undefined
  const t = Date.UTC(y, mo - 1, d, h, mi, s)
  const back = new Date(t)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined
  return t
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)
  if (!m) return 0
  const sign = m[1] === '-' ? -1 : 1
  return sign * (Number(m[2]) * 60 + Number(m[3])) * 60_000
}
