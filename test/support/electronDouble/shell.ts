/**
 * What every piece of one Electron double shares: the options of the run, Electron's event
 * object, and the Shell state (windows, trays, notifications, the timeline `until` watches).
 */
import { EventEmitter } from 'node:events'
import type * as Electron from 'electron'
import type { BrowserWindowDouble } from './browserWindow'
import type { NotificationDouble } from './notification'
import type { TrayDouble } from './tray'

export interface ElectronDoubleOptions {
  /** false: another Tokendeck holds the single-instance lock. */
  singleInstanceLock?: boolean
  /** false: `new Tray()` throws, as on a desktop without a system tray. */
  trayAvailable?: boolean
  /** Notification.isSupported(). */
  notificationsSupported?: boolean
}

/** Electron's event object: preventDefault() and defaultPrevented, plus the event's params. */
export function electronEvent<P extends object>(params: P): Electron.Event<P>
export function electronEvent(): Electron.Event
export function electronEvent(params: object = {}): Electron.Event {
  let prevented = false
  const event = {
    preventDefault: () => {
      prevented = true
    },
    get defaultPrevented() {
      return prevented
    },
  }
  return Object.assign(event, params)
}

/** State shared by every piece of one double (one app run). */
export class Shell {
  readonly changes = new EventEmitter()
  readonly timeline: string[] = []
  readonly windows: BrowserWindowDouble[] = []
  readonly trays: TrayDouble[] = []
  readonly notifications: NotificationDouble[] = []
  ready = false
  quitting = false

  constructor(readonly options: Required<ElectronDoubleOptions>) {}

  record(what: string): void {
    this.timeline.push(what)
    this.changes.emit('change')
  }

  changed(): void {
    this.changes.emit('change')
  }

  requireReady(what: string): void {
    // Electron throws for these before 'ready'; so does the double, to catch a wrong order.
    if (!this.ready) throw new Error(`${what} cannot be used before the app is ready`)
  }
}
