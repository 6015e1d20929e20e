/** `--expires-in` values: "30d", "12h", "90m", "3600s", "2w", a bare number of seconds, or "never". */
import { TokendeckError } from '../../shared/errors'

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 7 * 86_400 }

export function parseExpiresIn(text: string): number | 'never' {
  const value = text.trim().toLowerCase()
  if (value === 'never') return 'never'
  const m = /^(\d{1,9})\s*([smhdw]?)$/.exec(value)
  if (!m) {
    throw new TokendeckError(
      'INVALID_INPUT',
      `--expires-in "${text}" is not a duration: use e.g. 30d, 12h, 90m, 2w or never.`,
    )
  }
  return Number(m[1]) * (UNIT_SECONDS[m[2] || 's'] ?? 1)
}
