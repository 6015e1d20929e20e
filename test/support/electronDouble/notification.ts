/** The `Notification` double: shown, closed, clicked by the test playing the user. */
import { EventEmitter } from 'node:events'
import type * as Electron from 'electron'
import { electronEvent, type Shell } from './shell'

export class NotificationDouble
  extends EventEmitter
  implements Pick<Electron.Notification, 'title' | 'body' | 'show' | 'close'>
{
  title: string
  body: string
  shown = false
  closed = false

  constructor(
    private readonly shell: Shell,
    readonly options: Electron.NotificationConstructorOptions = {},
  ) {
    super()
    this.title = options.title ?? ''
    this.body = options.body ?? ''
  }

  show(): void {
    this.shown = true
    this.shell.notifications.push(this)
    this.shell.record('notification:show')
  }

  close(): void {
    this.closed = true
    this.emit('close', electronEvent())
    this.shell.record('notification:close')
  }

  /** Driver: the user clicks the notification. */
  click(): void {
    this.emit('click', electronEvent())
  }
}
