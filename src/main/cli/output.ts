/**
 * Where the CLI writes. Results go to stdout (one JSON value with --json, else lines for people);
 * progress, warnings, prompts and errors go to stderr, so `$(tokendeck token prod)` captures only
 * the token. Nothing here ever receives a password; one-time secrets go through `secret` only.
 */
import type { ErrorInfo, SessionState } from '../../shared/model'
import { TokendeckError } from '../../shared/errors'
import { inCliTerms } from './keychainAdvice'

/**
 * Characters a terminal acts on instead of showing: C0 controls but tab and newline (ESC starts
 * the sequences that set the title, clear the screen, move the cursor), DEL, the C1 controls
 * (0x9B is a one-byte CSI on some terminals), and the Unicode format characters that reorder or
 * hide text (bidi overrides and isolates, zero-width characters, line and paragraph separators).
 * Server text (token owners and descriptions, identities, certificate names, messages that quote
 * them) can hold any of these; the CLI shows each as "?" instead.
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g
/** In JSON, the same characters escaped (JSON.stringify leaves C1 and the format characters raw). */
const UNSAFE_IN_JSON =
  /[\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g

/** Text for the terminal: every unsafe character shown as "?"; newlines kept (our own line breaks). */
export function printable(text: string): string {
  return text.replace(UNSAFE, '?')
}

/** One line of server text (a table cell, a name in a sentence): newlines and tabs too become "?". */
export function oneLine(text: string): string {
  return printable(text).replace(/[\n\t]/g, '?')
}

/**
 * A token printed alone for `$(tokendeck token …)`: one word of visible ASCII or nothing. The
 * vendors already refuse anything else from a server (BAD_RESPONSE); this is the last guard.
 */
export function bareToken(value: string): string {
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new TokendeckError(
      'BAD_RESPONSE',
      'The cluster handed out a token that is not one word of printable characters; Tokendeck does not print it.',
    )
  }
  return value
}

function jsonLine(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(
    UNSAFE_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

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
    if (!this.json) this.streams.stdout.write(`${printable(text)}\n`)
  }

  /** The command's one JSON value (only with --json). */
  result(value: unknown): void {
    if (this.json) this.streams.stdout.write(`${jsonLine(value)}\n`)
  }

  /** A bare value on stdout in both modes' human form (the access token of `token`). */
  raw(text: string): void {
    this.streams.stdout.write(`${printable(text)}\n`)
  }

  /** Progress and notes for people, always on stderr (never parsed). */
  info(text: string): void {
    this.streams.stderr.write(`${printable(text)}\n`)
  }

  warn(text: string): void {
    this.streams.stderr.write(`tokendeck: warning: ${printable(text)}\n`)
  }

  error(info: Pick<ErrorInfo, 'code' | 'message'> & Partial<ErrorInfo>): void {
    const message = inCliTerms(info.code, info.message)
    this.streams.stderr.write(`tokendeck: ${printable(message)}\n`)
    if (this.json) {
      const error = {
        code: info.code,
        message,
        ...(info.retryAt !== undefined ? { retryAt: info.retryAt } : {}),
        ...(info.seenSha256 !== undefined ? { seenSha256: info.seenSha256 } : {}),
      }
      this.streams.stdout.write(`${jsonLine({ error })}\n`)
    }
  }
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(headers: string[], dirtyRows: string[][]): string {
  // Cells hold server text: one line each, nothing a terminal would act on.
  const rows = dirtyRows.map((r) => r.map(oneLine))
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [fmt(headers), ...rows.map(fmt)].join('\n')
}

/** Largest distance from 1970 a Date can hold (ECMA-262 §21.4.1.1), in ms. */
const MAX_DATE_MS = 8.64e15

/** A time as ISO 8601; never throws (a server's absurd number shows as "invalid time"). */
export function isoTime(ms: number | undefined): string {
  if (ms === undefined) return '-'
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return 'invalid time'
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** "in 4m 10s", "3d 2h ago". */
export function relative(ms: number, now = Date.now()): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return 'at an invalid time'
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
