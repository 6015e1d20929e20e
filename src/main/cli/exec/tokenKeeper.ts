/**
 * Keeps the token files of a running `tokendeck exec` command fresh (WEKA: 5-minute access
 * tokens, a command may run for hours). It never refreshes anything itself: it asks whoever owns
 * the profile's sessions (`ctx.accessToken`: the app, `tokendeck agent`, or this process for a
 * moment), which refreshes once for every caller and keeps the refresh token to itself, and
 * rewrites the files with what it gets.
 *
 * When: the owner hands out a new token only once the current one is inside its refresh margin
 * (Settings.refreshMarginSeconds, 60 s by default), so the keeper asks just inside that margin:
 * the file then always holds a token with about a minute or more left. A token that lives less
 * than the margin is asked for again at half of what is left (never more often than once a
 * second). A failure is retried with backoff (2 s doubling to 30 s) and reported once per streak
 * on stderr; signing in again in another terminal is picked up by the next try.
 */
import { isTokendeckError } from '../../../shared/errors'

export interface TokenGrant {
  token: string
  expiresAt?: number
}

export interface TokenKeeperOptions {
  clusterName: string
  /** What the files hold now. */
  current: TokenGrant
  /** The owner's refresh margin, ms. */
  marginMs: number
  /** Asks the owner for a token valid for at least its margin (may refresh first). */
  fetch: () => Promise<TokenGrant>
  /** Rewrites the files with a new token (synchronous, atomic). */
  write: (token: string) => void
  /** One line for the user, on stderr. */
  warn: (text: string) => void
  /** What is being kept, for messages (e.g. "$WEKA_TOKEN"). */
  what: string
  now?: () => number
}

/** Asking more often than this is pointless; it also bounds the load a misbehaving owner causes. */
export const MIN_CHECK_MS = 1_000
/** Without an expiry to go by, look again this often. */
export const NO_EXPIRY_CHECK_MS = 60_000
const INSIDE_MARGIN_MS = 1_000
const FIRST_BACKOFF_MS = 2_000
const MAX_BACKOFF_MS = 30_000

/** How long to wait before asking the owner for a newer token. */
export function nextCheckDelay(expiresAt: number | undefined, now: number, marginMs: number) {
  if (expiresAt === undefined) return NO_EXPIRY_CHECK_MS
  const left = expiresAt - now
  if (left > marginMs + 2 * INSIDE_MARGIN_MS) return left - marginMs + INSIDE_MARGIN_MS
  return Math.max(MIN_CHECK_MS, Math.floor(left / 2))
}

export class TokenKeeper {
  private current: TokenGrant
  private timer: NodeJS.Timeout | undefined
  private inflight: Promise<void> | undefined
  private stopped = false
  private failures = 0
  private readonly now: () => number

  constructor(private readonly opts: TokenKeeperOptions) {
    this.current = opts.current
    this.now = opts.now ?? Date.now
  }

  start(): void {
    this.schedule(nextCheckDelay(this.current.expiresAt, this.now(), this.opts.marginMs))
  }

  /** No more checks or writes; resolves once a check in flight is over (so the owner it opened is closed). */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    await this.inflight
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    // setTimeout holds at most ~24.8 days; a longer wait just checks again then.
    this.timer = setTimeout(() => void this.check(), Math.min(ms, 2 ** 31 - 1))
  }

  private check(): Promise<void> {
    this.timer = undefined
    this.inflight = this.checkOnce().finally(() => (this.inflight = undefined))
    return this.inflight
  }

  private async checkOnce(): Promise<void> {
    let grant: TokenGrant
    try {
      grant = await this.opts.fetch()
    } catch (e) {
      if (this.stopped) return
      this.failures++
      const wait = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.failures - 1))
      if (this.failures === 1) {
        // TokendeckError messages are written for users and never hold a secret; others might.
        const why = isTokendeckError(e) ? e.message : 'internal error.'
        const expired =
          this.current.expiresAt !== undefined && this.current.expiresAt <= this.now()
            ? ' The token the command holds has expired.'
            : ''
        this.opts.warn(
          `could not renew the token in ${this.opts.what} for ${this.opts.clusterName}: ${why}${expired} ` +
            `Trying again (first in ${Math.round(wait / 1000)} s); signing in again in another terminal is picked up.`,
        )
      }
      this.schedule(wait)
      return
    }
    if (this.stopped) return
    if (this.failures > 0) this.opts.warn(`renewed the token in ${this.opts.what} again.`)
    this.failures = 0
    if (grant.token !== this.current.token) {
      try {
        this.opts.write(grant.token)
        this.current = grant
      } catch (e) {
        // Kept the old one as current: the next check writes again.
        const code = (e as NodeJS.ErrnoException).code ?? 'write failed'
        this.opts.warn(`could not rewrite ${this.opts.what} (${code}).`)
      }
    } else {
      this.current = grant
    }
    this.schedule(nextCheckDelay(grant.expiresAt, this.now(), this.opts.marginMs))
  }
}
