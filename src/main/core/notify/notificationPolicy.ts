/**
 * Decides which desktop notifications to show, from session state changes and a periodic check
 * of stored-credential expiry. Pure: time comes in as an argument, notices go out as data, and
 * electron/notifications.ts shows them.
 *
 *   refresh-failed       a background refresh failed — once per failure streak (the retries that
 *                        follow stay quiet); a return to active ends the streak.
 *   signed-out           the server no longer accepts the stored credential (signed-out or
 *                        expired with REFRESH_EXPIRED: it expired or was revoked).
 *   expiring             the stored credential entered its warning window (expiry.ts) — once per
 *                        crossing: a later credential that slides forward inside the window
 *                        (WEKA's refresh) is not announced again; leaving the window re-arms it.
 *   certificate-changed  the cluster presented a different certificate (untrusted).
 *
 * Failures of a sign-in the user started in the window are not notified: the window shows them.
 * Every notice has a `key`: one per cluster's credential (refresh-failed, signed-out, expiring)
 * and one per cluster's certificate, so a newer notice replaces the older one about the same
 * thing instead of piling up; `close` lists keys whose notice no longer holds (recovered, signed
 * in again, re-trusted, removed). Titles and bodies carry cluster names, error messages (which
 * never hold secrets) and durations — never a token.
 */
import type { SessionState, Settings } from '../../../shared/model'
import { formatTimeLeft, isExpiringSoon } from './expiry'

export type NoticeKind = 'refresh-failed' | 'signed-out' | 'expiring' | 'certificate-changed'

export interface Notice {
  key: string
  clusterId: string
  kind: NoticeKind
  title: string
  body: string
  /** Clicking opens this view instead of the cluster (a summary about many clusters). */
  view?: 'expiring'
}

export interface NoticeUpdate {
  show: Notice[]
  /** Keys of notices to take down (their situation is over). */
  close: string[]
}

export interface ExpiryCheck {
  clusterId: string
  storedExpiresAt?: number
  storedLifetimeMs?: number
}

export interface NotificationPolicyOptions {
  settings: () => Pick<Settings, 'notifications' | 'expiryWarning'>
  /** The cluster's display name (falls back to its id). */
  clusterName: (clusterId: string) => string | undefined
}

const MAX_MESSAGE = 200

export const credentialKey = (clusterId: string) => `${clusterId}:credential`
export const certificateKey = (clusterId: string) => `${clusterId}:certificate`

export class NotificationPolicy {
  /** Clusters in a refresh-failure streak that has been announced (or suppressed). */
  private readonly failing = new Set<string>()
  /** Clusters whose credential is inside its warning window, with the expiry last announced. */
  private readonly expiring = new Map<string, number>()
  /** What kind of notice each key shows now, to close only what we showed. */
  private readonly shown = new Map<string, NoticeKind>()

  constructor(private readonly opts: NotificationPolicyOptions) {}

  sessionChanged(
    clusterId: string,
    previous: SessionState | undefined,
    next: SessionState,
  ): NoticeUpdate {
    const out: NoticeUpdate = { show: [], close: [] }
    const toggles = this.opts.settings().notifications
    const name = this.name(clusterId)
    const byUser = previous?.state === 'signing-in'

    switch (next.state) {
      case 'failed':
        if (!byUser && !this.failing.has(clusterId)) {
          this.failing.add(clusterId)
          const retry =
            next.retryAt !== undefined
              ? 'Tokendeck keeps retrying on its own.'
              : 'Open Tokendeck to sign in again.'
          if (toggles.refreshFailed) {
            this.push(
              out,
              'refresh-failed',
              clusterId,
              `Couldn't refresh ${name}`,
              `${message(next.error.message)} ${retry}`,
            )
          }
        }
        break
      case 'refreshing':
        break // a retry inside a streak, or a routine refresh
      case 'active':
        this.failing.delete(clusterId)
        this.closeIf(out, credentialKey(clusterId), ['refresh-failed', 'signed-out'])
        this.closeIf(out, certificateKey(clusterId), ['certificate-changed'])
        break
      case 'signed-out':
      case 'expired': {
        this.failing.delete(clusterId)
        this.expiring.delete(clusterId)
        const ended = next.reason?.code === 'REFRESH_EXPIRED'
        const already =
          (previous?.state === 'signed-out' || previous?.state === 'expired') &&
          previous.reason?.code === 'REFRESH_EXPIRED'
        if (ended && !already && !byUser) {
          if (toggles.signedOut) {
            this.push(
              out,
              'signed-out',
              clusterId,
              `Signed out of ${name}`,
              `${message(next.reason!.message)} Sign in again to keep working.`,
            )
          }
        } else if (!ended) {
          // The user signed out, or a sign-in attempt ended: nothing about the old credential holds.
          this.closeIf(out, credentialKey(clusterId), ['refresh-failed', 'signed-out', 'expiring'])
        }
        break
      }
      case 'signing-in':
        this.failing.delete(clusterId)
        break
      case 'untrusted':
        if (!byUser && previous?.state !== 'untrusted' && toggles.certificateChanged) {
          this.push(
            out,
            'certificate-changed',
            clusterId,
            `Certificate of ${name} changed`,
            'Tokendeck stopped talking to this cluster. Open it to review the new certificate before trusting it.',
          )
        }
        break
      case 'locked':
        break
    }
    return out
  }

  /** The periodic pass over stored-credential expiries. */
  check(now: number, clusters: ExpiryCheck[]): NoticeUpdate {
    const out: NoticeUpdate = { show: [], close: [] }
    const settings = this.opts.settings()
    for (const c of clusters) {
      const exp = c.storedExpiresAt
      const inWindow = exp !== undefined && isExpiringSoon(settings, exp, now, c.storedLifetimeMs)
      if (!inWindow) {
        // Renewed, signed out, dead or the threshold moved: the next crossing is news again.
        if (this.expiring.delete(c.clusterId))
          this.closeIf(out, credentialKey(c.clusterId), ['expiring'])
        continue
      }
      const announced = this.expiring.get(c.clusterId)
      this.expiring.set(c.clusterId, announced === undefined ? exp : Math.min(announced, exp))
      // Same crossing: already announced, or a renewal that moved the expiry later.
      if (announced !== undefined && exp >= announced) continue
      if (!settings.notifications.expiring) continue
      const name = this.name(c.clusterId)
      this.push(
        out,
        'expiring',
        c.clusterId,
        `${name}: sign-in expires in ${formatTimeLeft(exp - now)}`,
        `The stored session for ${name} ends in ${formatTimeLeft(exp - now)}. Sign in again before then to keep access.`,
      )
    }
    return out
  }

  /** A removed cluster: forget it and take its notices down. */
  forget(clusterId: string): NoticeUpdate {
    this.failing.delete(clusterId)
    this.expiring.delete(clusterId)
    const close = [credentialKey(clusterId), certificateKey(clusterId)].filter((k) =>
      this.shown.delete(k),
    )
    return { show: [], close }
  }

  private push(
    out: NoticeUpdate,
    kind: NoticeKind,
    clusterId: string,
    title: string,
    body: string,
  ): void {
    const key =
      kind === 'certificate-changed' ? certificateKey(clusterId) : credentialKey(clusterId)
    this.shown.set(key, kind)
    out.show.push({ key, clusterId, kind, title, body })
  }

  private closeIf(out: NoticeUpdate, key: string, kinds: NoticeKind[]): void {
    const kind = this.shown.get(key)
    if (kind && kinds.includes(kind)) {
      this.shown.delete(key)
      out.close.push(key)
    }
  }

  private name(clusterId: string): string {
    return this.opts.clusterName(clusterId) ?? clusterId
  }
}

function message(text: string): string {
  const t = text.trim()
  const cut = t.length > MAX_MESSAGE ? `${t.slice(0, MAX_MESSAGE - 1)}…` : t
  return /[.!?…]$/.test(cut) ? cut : `${cut}.`
}
