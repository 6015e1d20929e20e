/**
 * Where the CLI writes. Results go to stdout (one JSON value with --json, else lines for people);
 * progress, warnings, prompts and errors go to stderr, so `$(tokendeck token prod)` captures only
 * the token. Nothing here ever receives a password; one-time secrets go through `secret` only.
 */
import type { ErrorInfo, SessionState } from '../../shared/model'

export interface Streams {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
}

export class Output {
  constructor(
    readonly json: boolean,
    private readonly streams: Streams = { stdout: process.stdout, stderr: process.stderr },
  ) {}

  /** A result line for people (ignored with --json: the JSON value says it all). */
  line(text = ''): void {
    if (!this.json) this.streams.stdout.write(`${text}\n`)
  }

  /** The command's one JSON value (only with --json). */
  result(value: unknown): void {
    if (this.json) this.streams.stdout.write(`${JSON.stringify(value)}\n`)
  }

  /** A bare value on stdout in both modes' human form (the access token of `token`). */
  raw(text: string): void {
    this.streams.stdout.write(`${text}\n`)
  }

  /** Progress and notes for people, always on stderr (never parsed). */
  info(text: string): void {
    this.streams.stderr.write(`${text}\n`)
  }

  warn(text: string): void {
    this.streams.stderr.write(`tokendeck: warning: ${text}\n`)
  }

  error(info: Pick<ErrorInfo, 'code' | 'message'> & Partial<ErrorInfo>): void {
    this.streams.stderr.write(`tokendeck: ${info.message}\n`)
    if (this.json) {
      const error = {
        code: info.code,
        message: info.message,
        ...(info.retryAt !== undefined ? { retryAt: info.retryAt } : {}),
        ...(info.seenSha256 !== undefined ? { seenSha256: info.seenSha256 } : {}),
      }
      this.streams.stdout.write(`${JSON.stringify({ error })}\n`)
    }
  }
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [fmt(headers), ...rows.map(fmt)].join('\n')
}

export function isoTime(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** "in 4m 10s", "3d 2h ago". */
export function relative(ms: number, now = Date.now()): string {
  const delta = ms - now
  let s = Math.round(Math.abs(delta) / 1000)
  const d = Math.floor(s / 86_400)
  s -= d * 86_400
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  const parts = d ? [`${d}d`, `${h}h`] : h ? [`${h}h`, `${m}m`] : m ? [`${m}m`, `${s}s`] : [`${s}s`]
  const text = parts.filter((p) => !/^0[a-z]$/.test(p) || parts.length === 1).join(' ')
  return delta >= 0 ? `in ${text}` : `${text} ago`
}

export function when(ms: number | undefined, now = Date.now()): string {
  return ms === undefined ? 'unknown' : `${isoTime(ms)} (${relative(ms, now)})`
}

/** One line saying what a session is doing, for people. */
export function describeSession(s: SessionState, now = Date.now()): string {
  switch (s.state) {
    case 'active':
      return s.expiresAt === undefined
        ? 'signed in'
        : `signed in; access token valid until ${when(s.expiresAt, now)}`
    case 'refreshing':
      return 'refreshing'
    case 'signing-in':
      return 'signing in'
    case 'signed-out':
      return s.reason ? `signed out: ${s.reason.message}` : 'signed out'
    case 'expired':
      return s.reason ? `expired: ${s.reason.message}` : 'session expired: sign in again'
    case 'locked':
      return `account locked until ${when(s.until, now)}`
    case 'failed':
      return `failing: ${s.error.message}${s.retryAt !== undefined ? ` (next try ${relative(s.retryAt, now)})` : ''}`
    case 'untrusted':
      return `certificate changed: the server now presents SHA-256 ${s.seenSha256}`
  }
}
