/**
 * The owner's periodic look at what expires (the app runs it; a terminal does not): makes the
 * expiring report, shows the warnings expiryAlerts.ts decides on (recorded by noticeLedger.ts so
 * a restart stays quiet) and keeps the count the tray shows. Checks never overlap: one asked for
 * while another runs is done once, right after it. Time comes from the injected clock.
 */
import type { ExpiringReport, SessionState, Settings } from '../../../shared/model'
import type { Notice } from '../notify/notificationPolicy'
import type { TrayModel } from '../notify/trayMenu'
import type { Clock } from '../time'
import { countExpiringSoon, decideAlerts } from './expiryAlerts'
import type { NoticeLedger } from './noticeLedger'
import { withExpiringCount } from './trayBadge'

export interface ExpiryWatcherOptions {
  report: () => Promise<ExpiringReport>
  settings: () => Settings
  ledger: NoticeLedger
  clock: Clock
  show: (notice: Notice) => void
  /** After each check: the tray's count may have changed. */
  checked?: () => void
  /** A check that failed as a whole (the ledger's lock, say); the next one tries again. */
  onError?: (e: unknown) => void
  /** Runs a requested check a little later, so a burst (start, many sign-ins) makes one. */
  later?: (fn: () => void) => void
}

/** How long a requested check waits for more requests to join it. */
export const CHECK_DELAY_MS = 2_000

const defaultLater = (fn: () => void) => void setTimeout(fn, CHECK_DELAY_MS).unref()

export class ExpiryWatcher {
  private last: ExpiringReport | undefined
  private running: Promise<void> | undefined
  private again = false
  private scheduled = false
  /** Clusters with a live session: one that starts or ends changes what there is to report. */
  private readonly live = new Set<string>()

  constructor(private readonly opts: ExpiryWatcherOptions) {}

  /** Looks at every cluster now; resolves when this (or the check it joined) is done. */
  check(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      do {
        this.again = false
        await this.once().catch((e: unknown) => this.opts.onError?.(e))
      } while (this.again)
    })().finally(() => (this.running = undefined))
    return this.running
  }

  /** A check soon (joined by every other request until it starts). */
  checkSoon(): void {
    if (this.scheduled) return
    this.scheduled = true
    ;(this.opts.later ?? defaultLater)(() => {
      this.scheduled = false
      void this.check()
    })
  }

  /** From the core's session:changed: a session that became live, or ended, asks for a check. */
  sessionChanged(clusterId: string, session: SessionState): void {
    const alive = session.state === 'active' || session.state === 'refreshing'
    if (alive && !this.live.has(clusterId)) {
      this.live.add(clusterId)
      this.checkSoon()
    } else if (!alive && this.live.delete(clusterId)) this.checkSoon()
  }

  /** Tokens and sessions inside their warning window, as of the last check and the clock now. */
  expiringCount(): number {
    if (!this.last) return 0
    return countExpiringSoon(this.opts.settings(), this.last.items, this.opts.clock.now())
  }

  /** The tray model with the count in its tooltip (and a warning icon when there is one). */
  decorateTray(model: TrayModel): TrayModel {
    return withExpiringCount(model, this.expiringCount())
  }

  private async once(): Promise<void> {
    const report = await this.opts.report()
    this.last = report
    const now = this.opts.clock.now()
    const settings = this.opts.settings()
    const notices = await this.opts.ledger.update((previous) => {
      const d = decideAlerts(settings, report, now, previous)
      return { announced: d.announced, result: d.notices }
    })
    for (const n of notices) this.opts.show(n)
    this.opts.checked?.()
  }
}
