import type * as Electron from 'electron'
import type { Shell } from './shell'

/** System-wide shortcuts: one owner per accelerator, like the desktop. */
export class GlobalShortcutDouble implements Pick<
  Electron.GlobalShortcut,
  'register' | 'unregister' | 'isRegistered'
> {
  readonly registered = new Map<string, () => void>()
  /** Accelerators another application holds: register() refuses them. */
  readonly takenElsewhere = new Set<string>()

  constructor(private readonly shell: Shell) {}

  register(accelerator: string, callback: () => void): boolean {
    this.shell.requireReady('globalShortcut')
    if (this.takenElsewhere.has(accelerator) || this.registered.has(accelerator)) return false
    this.registered.set(accelerator, callback)
    this.shell.record(`shortcut:register:${accelerator}`)
    return true
  }

  unregister(accelerator: string): void {
    if (this.registered.delete(accelerator)) this.shell.record(`shortcut:unregister:${accelerator}`)
  }

  isRegistered(accelerator: string): boolean {
    return this.registered.has(accelerator)
  }

  /** Driver: the user presses the shortcut anywhere on the desktop. */
  press(accelerator: string): void {
    const callback = this.registered.get(accelerator)
    if (!callback) throw new Error(`no shortcut ${accelerator} is registered`)
    callback()
  }
}
