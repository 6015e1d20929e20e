/**
 * A double of the `electron` module, so the real shell (src/main/index.ts and
 * src/main/electron/**) runs under vitest on machines without an Electron binary.
 *
 * Typed from Electron's own electron.d.ts: every export the shell imports is named through
 * `Pick<typeof Electron, …>`, and every piece declares the members it stands in for as
 * `implements Pick<Electron.X, …>` (or takes Electron's parameter types), so a renamed, removed
 * or re-typed Electron API fails `npm run typecheck` here instead of passing a test against a
 * double that no longer matches.
 *
 * It keeps the rules of Electron that the shell depends on (and that a careless double would
 * hide): the protocol scheme is registered before 'ready', windows, trays and the protocol
 * handler only after it; ipcMain refuses a second handler for a channel; `app.quit()` emits
 * 'before-quit' (which may be prevented), closes every window (any of which may refuse), then
 * 'will-quit' and 'quit'; closing the last window emits 'window-all-closed' unless quitting;
 * protocol.handle turns a thrown handler into net::ERR_UNEXPECTED (lib/browser/api/protocol.ts).
 *
 * What the shell did is recorded on the pieces (windows shown, messages sent, menus, clipboard,
 * notifications) and in `timeline`; drivers with plain names (`emitReady`, `clickMenuItem`,
 * `click`, `invoke`, `request`) play the user and the OS. `until(check)` waits, without polling,
 * until the double has recorded something that makes `check` return a value.
 *
 * One file per Electron piece (app.ts, browserWindow.ts, tray.ts, …); this one assembles them
 * into the module the shell imports, and re-exports them.
 */
import type * as Electron from 'electron'
import { AppDouble } from './app'
import { BrowserWindowDouble } from './browserWindow'
import { ClipboardDouble, ClipboardItemDouble } from './clipboard'
import { DialogDouble } from './dialog'
import { GlobalShortcutDouble } from './globalShortcut'
import { IpcMainDouble } from './ipcMain'
import { MenuDouble } from './menu'
import { net } from './net'
import { NotificationDouble } from './notification'
import { PowerMonitorDouble } from './powerMonitor'
import { ProtocolDouble } from './protocol'
import { SessionDouble } from './session'
import { Shell, type ElectronDoubleOptions } from './shell'
import { TrayDouble, type ImageDouble } from './tray'

export { AppDouble } from './app'
export { BrowserWindowDouble, WebContentsDouble, type FrameDouble } from './browserWindow'
export { ClipboardDouble, ClipboardItemDouble } from './clipboard'
export { DialogDouble, type OpenDialogCall } from './dialog'
export { GlobalShortcutDouble } from './globalShortcut'
export { IpcMainDouble } from './ipcMain'
export { MenuDouble } from './menu'
export { NotificationDouble } from './notification'
export { PowerMonitorDouble } from './powerMonitor'
export { ProtocolDouble, type ProtocolOutcome } from './protocol'
export { SessionDouble } from './session'
export type { ElectronDoubleOptions } from './shell'
export { TrayDouble, type ImageDouble } from './tray'

type ElectronModule = typeof Electron

/** Every export the shell imports, by Electron's name: a renamed or removed one fails here. */
type ShellExport = keyof Pick<
  ElectronModule,
  | 'app'
  | 'BrowserWindow'
  | 'clipboard'
  | 'ClipboardItem'
  | 'dialog'
  | 'ipcMain'
  | 'Menu'
  | 'nativeImage'
  | 'net'
  | 'Notification'
  | 'powerMonitor'
  | 'globalShortcut'
  | 'protocol'
  | 'session'
  | 'Tray'
>

export interface ElectronDouble {
  /** The module to hand to `vi.doMock('electron', () => double.module)`. */
  module: Record<ShellExport, unknown>
  app: AppDouble
  clipboard: ClipboardDouble
  /** The native file picker (showOpenDialog). */
  dialog: DialogDouble
  ipcMain: IpcMainDouble
  powerMonitor: PowerMonitorDouble
  globalShortcut: GlobalShortcutDouble
  protocol: ProtocolDouble
  session: SessionDouble
  windows: readonly BrowserWindowDouble[]
  trays: readonly TrayDouble[]
  notifications: readonly NotificationDouble[]
  /** What the shell did, in order ('window:show', 'clipboard:clear', 'app:quit', …). */
  timeline: readonly string[]
  /** Resolves with check()'s first defined value, re-checking whenever the double records anything. */
  until<T>(check: () => T | undefined | false): Promise<T>
}

export function createElectronDouble(options: ElectronDoubleOptions = {}): ElectronDouble {
  const shell = new Shell({
    singleInstanceLock: true,
    trayAvailable: true,
    notificationsSupported: true,
    ...options,
  })
  const app = new AppDouble(shell)
  const clipboard = new ClipboardDouble(shell)
  const dialog = new DialogDouble((what) => shell.record(what))
  const ipcMain = new IpcMainDouble()
  const powerMonitor = new PowerMonitorDouble(shell)
  const globalShortcut = new GlobalShortcutDouble(shell)
  const protocol = new ProtocolDouble(shell)
  const defaultSession = new SessionDouble()

  // The classes the shell constructs itself, bound to this run's state.
  class BrowserWindow extends BrowserWindowDouble {
    constructor(opts?: Electron.BrowserWindowConstructorOptions) {
      super(shell, app, opts)
    }
  }
  class Tray extends TrayDouble {
    constructor(...args: ConstructorParameters<typeof Electron.Tray>) {
      super(shell, ...args)
    }
  }
  class Notification extends NotificationDouble {
    static isSupported: (typeof Electron.Notification)['isSupported'] = () =>
      shell.options.notificationsSupported
    constructor(opts?: Electron.NotificationConstructorOptions) {
      super(shell, opts)
    }
  }
  const Menu = {
    buildFromTemplate: (template: Parameters<typeof Electron.Menu.buildFromTemplate>[0]) =>
      new MenuDouble(template as Electron.MenuItemConstructorOptions[]),
  }
  const nativeImage = {
    createFromPath: (
      ...[path]: Parameters<typeof Electron.nativeImage.createFromPath>
    ): ImageDouble => ({ path }),
  }
  const session: Record<keyof Pick<typeof Electron.session, 'defaultSession'>, SessionDouble> = {
    get defaultSession() {
      shell.requireReady('session.defaultSession')
      return defaultSession
    },
  }

  const module: Record<ShellExport, unknown> = {
    app,
    BrowserWindow,
    clipboard,
    ClipboardItem: ClipboardItemDouble,
    dialog,
    ipcMain,
    Menu,
    nativeImage,
    net,
    Notification,
    powerMonitor,
    globalShortcut,
    protocol,
    session,
    Tray,
  }

  return {
    module,
    app,
    clipboard,
    dialog,
    ipcMain,
    powerMonitor,
    globalShortcut,
    protocol,
    session: defaultSession,
    windows: shell.windows,
    trays: shell.trays,
    notifications: shell.notifications,
    timeline: shell.timeline,
    until<T>(check: () => T | undefined | false): Promise<T> {
      return new Promise((resolve, reject) => {
        const test = () => {
          let value: T | undefined | false
          try {
            value = check()
          } catch (e) {
            shell.changes.off('change', test)
            reject(e instanceof Error ? e : new Error(String(e)))
            return
          }
          if (value === undefined || value === false) return
          shell.changes.off('change', test)
          resolve(value)
        }
        shell.changes.on('change', test)
        test()
      })
    },
  }
}
