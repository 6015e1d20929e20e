/** The `app` double: ready, single-instance lock, userData, and Electron's quit sequence. */
import { EventEmitter } from 'node:events'
import type * as Electron from 'electron'
import { electronEvent, type Shell } from './shell'

export class AppDouble
  extends EventEmitter
  implements
    Pick<
      Electron.App,
      | 'isPackaged'
      | 'getVersion'
      | 'isReady'
      | 'whenReady'
      | 'requestSingleInstanceLock'
      | 'quit'
      | 'setPath'
    >
{
  readonly isPackaged = false
  /** Resolves once 'quit' was emitted: the process would exit now. */
  readonly exited: Promise<void>
  hasQuit = false
  private readonly ready: Promise<void>
  private resolveReady!: () => void
  private resolveExited!: () => void

  constructor(private readonly shell: Shell) {
    super()
    this.ready = new Promise((resolve) => (this.resolveReady = resolve))
    this.exited = new Promise((resolve) => (this.resolveExited = resolve))
  }

  getVersion(): string {
    return '0.0.0-double'
  }

  /** Where the app asked Electron to keep its own data (userData and the like). */
  readonly paths = new Map<string, string>()

  setPath(name: Parameters<Electron.App['setPath']>[0], path: string): void {
    if (this.shell.ready && name === 'userData')
      throw new Error('userData must be set before the app is ready')
    this.paths.set(name, path)
  }

  isReady(): boolean {
    return this.shell.ready
  }

  whenReady(): Promise<void> {
    return this.ready
  }

  requestSingleInstanceLock(): boolean {
    return this.shell.options.singleInstanceLock
  }

  quit(): void {
    if (this.hasQuit) return
    this.shell.record('app:before-quit')
    const beforeQuit = electronEvent()
    this.emit('before-quit', beforeQuit)
    if (beforeQuit.defaultPrevented) return
    this.shell.quitting = true
    for (const win of this.shell.windows) {
      if (win.isDestroyed()) continue
      win.close()
      if (!win.isDestroyed()) {
        // A window that refused to close cancels the quit, as in Electron.
        this.shell.quitting = false
        return
      }
    }
    const willQuit = electronEvent()
    this.emit('will-quit', willQuit)
    if (willQuit.defaultPrevented) {
      this.shell.quitting = false
      return
    }
    this.hasQuit = true
    this.emit('quit', electronEvent(), 0)
    this.shell.record('app:quit')
    this.resolveExited()
  }

  /** Driver: Electron finished starting ('ready', then whenReady() resolves). */
  emitReady(): void {
    this.shell.ready = true
    this.emit('ready', electronEvent(), {})
    this.resolveReady()
  }

  /** Driver: the user launched Tokendeck again; Electron tells this (first) instance. */
  launchSecondInstance(argv: string[] = ['tokendeck']): void {
    this.emit('second-instance', electronEvent(), argv, process.cwd(), {})
  }
}
