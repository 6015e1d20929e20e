/**
 * Shows the notices core/notify decides on. One live Notification per key: a newer notice about
 * the same credential or certificate closes the older one first (and carries the key as its
 * platform id, so macOS and Windows replace it in their notification centres too). Clicking a
 * notice opens its cluster.
 */
import { Notification } from 'electron'
import type { Notice } from '../core/notify/notificationPolicy'

export interface NotificationActions {
  openCluster(clusterId: string): void
  /** A notice about many tokens (`view: 'expiring'`) opens the Expiring view. */
  openExpiring?(): void
}

export interface Notifier {
  show(notice: Notice): void
  close(key: string): void
  closeAll(): void
}

/** Windows toast tags are at most 64 characters. */
const MAX_ID = 64

export function createNotifier(opts: {
  iconPath?: string
  actions: NotificationActions
  log: (m: string) => void
}): Notifier {
  const live = new Map<string, Notification>()
  let warned = false

  const close = (key: string) => {
    const n = live.get(key)
    if (!n) return
    live.delete(key)
    n.removeAllListeners()
    n.close()
  }

  return {
    show(notice) {
      if (!Notification.isSupported()) {
        if (!warned)
          opts.log(
            'Notifications are not supported on this desktop; the tray and window still show every state.',
          )
        warned = true
        return
      }
      close(notice.key)
      const n = new Notification({
        title: notice.title,
        body: notice.body,
        ...(notice.key.length <= MAX_ID ? { id: notice.key } : {}),
        ...(opts.iconPath ? { icon: opts.iconPath } : {}),
      })
      n.on('click', () =>
        notice.view === 'expiring' && opts.actions.openExpiring
          ? opts.actions.openExpiring()
          : opts.actions.openCluster(notice.clusterId),
      )
      n.on('close', () => {
        if (live.get(notice.key) === n) live.delete(notice.key)
      })
      live.set(notice.key, n)
      n.show()
    },
    close,
    closeAll() {
      for (const key of [...live.keys()]) close(key)
    },
  }
}
