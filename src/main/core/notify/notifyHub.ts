/**
 * Joins the core's session events and a periodic tick to the tray model and the notification
 * policy, so the Electron side only renders: `tray(model)` when the model changed, `show(notice)`
 * and `close(key)` for notifications. Pure: sources and time are injected.
 */
import type { SessionState, Settings } from '../../../shared/model'
import type { Clock } from '../time'
import { LifetimeTracker } from './expiry'
import { NotificationPolicy, type Notice, type NoticeUpdate } from './notificationPolicy'
import { buildTrayModel, type TrayCluster, type TrayModel } from './trayMenu'

export interface NotifySources {
  clusters(): Array<{ id: string; name: string; tags?: readonly string[] }>
  session(clusterId: string): SessionState
  storedExpiresAt(clusterId: string): number | undefined
  settings(): Settings
  /** Adds what other parts know to the tray (the count of tokens expiring soon). */
  decorateTray?(model: TrayModel): TrayModel
}

export interface NotifySinks {
  tray(model: TrayModel): void
  show(notice: Notice): void
  close(key: string): void
}

export class NotifyHub {
  private readonly lifetimes = new LifetimeTracker()
  private readonly last = new Map<string, { state: SessionState; since: number }>()
  private readonly policy: NotificationPolicy
  private lastTray = ''

  constructor(
    private readonly sources: NotifySources,
    private readonly sinks: NotifySinks,
    private readonly clock: Clock,
  ) {
    this.policy = new NotificationPolicy({
      settings: () => sources.settings(),
      clusterName: (id) => sources.clusters().find((c) => c.id === id)?.name,
    })
  }

  /** Reads every cluster's state as it is now (at start): states reached before are news too. */
  start(): void {
    for (const c of this.sources.clusters()) this.sessionChanged(c.id, this.sources.session(c.id))
    this.tick()
  }

  /** From the core's `session:changed` event. */
  sessionChanged(clusterId: string, next: SessionState): void {
    const previous = this.last.get(clusterId)
    if (previous && sameState(previous.state, next)) return
    this.last.set(clusterId, { state: next, since: this.clock.now() })
    this.apply(this.policy.sessionChanged(clusterId, previous?.state, next))
    this.render()
  }

  /** From `clusters:changed` (a cluster added, renamed or removed; settings changed). */
  clustersChanged(): void {
    const known = new Set(this.sources.clusters().map((c) => c.id))
    for (const id of [...this.last.keys()]) {
      if (known.has(id)) continue
      this.last.delete(id)
      this.lifetimes.forget(id)
      this.apply(this.policy.forget(id))
    }
    this.tick()
  }

  /** The periodic pass (every minute or so): expiry warnings and the tray's time-based status. */
  tick(): void {
    const now = this.clock.now()
    const checks = this.sources.clusters().map((c) => {
      const storedExpiresAt = this.sources.storedExpiresAt(c.id)
      const storedLifetimeMs = this.lifetimes.observe(c.id, storedExpiresAt, now)
      return {
        clusterId: c.id,
        ...(storedExpiresAt !== undefined ? { storedExpiresAt } : {}),
        ...(storedLifetimeMs !== undefined ? { storedLifetimeMs } : {}),
      }
    })
    this.apply(this.policy.check(now, checks))
    this.render()
  }

  private render(): void {
    const now = this.clock.now()
    const clusters: TrayCluster[] = this.sources.clusters().map((c) => {
      const storedExpiresAt = this.sources.storedExpiresAt(c.id)
      const storedLifetimeMs = this.lifetimes.observe(c.id, storedExpiresAt, now)
      const last = this.last.get(c.id)
      return {
        id: c.id,
        name: c.name,
        session: this.sources.session(c.id),
        ...(c.tags?.length ? { tags: c.tags } : {}),
        ...(storedExpiresAt !== undefined ? { storedExpiresAt } : {}),
        ...(storedLifetimeMs !== undefined ? { storedLifetimeMs } : {}),
        ...(last ? { stateSince: last.since } : {}),
      }
    })
    const built = buildTrayModel({ clusters, now, settings: this.sources.settings() })
    const model = this.sources.decorateTray?.(built) ?? built
    const text = JSON.stringify(model)
    if (text === this.lastTray) return
    this.lastTray = text
    this.sinks.tray(model)
  }

  private apply(update: NoticeUpdate): void {
    for (const key of update.close) this.sinks.close(key)
    for (const notice of update.show) this.sinks.show(notice)
  }
}

function sameState(a: SessionState, b: SessionState): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
