import { EventEmitter } from 'node:events'
import type * as Electron from 'electron'
import { electronEvent, type Shell } from './shell'

/** Power and lock events (pause on lock): the test drives them. */
// Compile-time only: the shell subscribes with on/off, which Electron's powerMonitor still has.
type _PowerMonitorMembers = keyof Pick<Electron.PowerMonitor, 'on' | 'off'>
export class PowerMonitorDouble extends EventEmitter {
  constructor(private readonly shell: Shell) {
    super()
  }

  /** Driver: the OS reports 'lock-screen', 'unlock-screen', 'suspend' or 'resume'. */
  report(event: 'lock-screen' | 'unlock-screen' | 'suspend' | 'resume'): void {
    this.shell.requireReady('powerMonitor')
    this.emit(event, electronEvent())
    this.shell.record(`power:${event}`)
  }
}
