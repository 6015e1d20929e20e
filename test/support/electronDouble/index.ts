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
 */
import { EventEmitter } from 'node:events'
import { readFile, stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type * as Electron from 'electron'
import { DialogDouble } from './dialog'

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

export interface ElectronDoubleOptions {
  /** false: another Tokendeck holds the single-instance lock. */
  singleInstanceLock?: boolean
  /** false: `new Tray()` throws, as on a desktop without a system tray. */
  trayAvailable?: boolean
  /** Notification.isSupported(). */
  notificationsSupported?: boolean
}

/** Electron's event object: preventDefault() and defaultPrevented, plus the event's params. */
function electronEvent<P extends object>(params: P): Electron.Event<P>
function electronEvent(): Electron.Event
function electronEvent(params: object = {}): Electron.Event {
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
class Shell {
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

/** A frame as IPC sees it: only the two fields the sender check reads. */
export interface FrameDouble {
  url: Electron.WebFrameMain['url']
  parent: FrameDouble | null
}
// Compile-time only: Electron's WebFrameMain still has both members.
type _FrameFields = keyof Pick<Electron.WebFrameMain, 'url' | 'parent'>

export class WebContentsDouble
  extends EventEmitter
  implements
    Pick<
      Electron.WebContents,
      'send' | 'isDestroyed' | 'isLoading' | 'getURL' | 'setWindowOpenHandler'
    >
{
  /** Every message sent to the page, in order. */
  readonly sent: Array<{ channel: string; args: unknown[] }> = []
  readonly mainFrame: FrameDouble = { url: '', parent: null }
  windowOpenHandler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0] | undefined
  private loading = false
  private destroyed = false

  constructor(private readonly shell: Shell) {
    super()
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed')
    this.sent.push({ channel, args })
    this.shell.changed()
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  isLoading(): boolean {
    return this.loading
  }

  getURL(): string {
    return this.mainFrame.url
  }

  setWindowOpenHandler(handler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0]): void {
    this.windowOpenHandler = handler
  }

  /** Driver: the page tries to navigate itself (a link, `location = …`); true if it may. */
  navigate(url: string): boolean {
    const event = electronEvent({ url })
    this.emit('will-navigate', event, url)
    if (event.defaultPrevented) return false
    this.mainFrame.url = url
    return true
  }

  /** Starts a load that finishes on a later turn, as a real page load does. */
  startLoad(url: string, done: () => void): Promise<void> {
    this.loading = true
    return new Promise((resolve) =>
      setImmediate(() => {
        if (this.destroyed) return resolve()
        this.mainFrame.url = url
        this.loading = false
        this.emit('did-finish-load', electronEvent())
        done()
        this.shell.changed()
        resolve()
      }),
    )
  }

  destroy(): void {
    this.destroyed = true
  }
}

export class BrowserWindowDouble
  extends EventEmitter
  implements
    Pick<
      Electron.BrowserWindow,
      | 'show'
      | 'hide'
      | 'focus'
      | 'isVisible'
      | 'isFocused'
      | 'isMinimized'
      | 'minimize'
      | 'restore'
      | 'isDestroyed'
      | 'close'
      | 'destroy'
      | 'loadURL'
    >
{
  readonly webContents: WebContentsDouble
  private visible = false
  private focused = false
  private minimized = false
  private destroyed = false

  constructor(
    private readonly shell: Shell,
    private readonly app: AppDouble,
    readonly options: Electron.BrowserWindowConstructorOptions = {},
  ) {
    super()
    shell.requireReady('BrowserWindow')
    this.webContents = new WebContentsDouble(shell)
    shell.windows.push(this)
    app.emit('web-contents-created', electronEvent(), this.webContents)
    app.emit('browser-window-created', electronEvent(), this)
    shell.record('window:created')
  }

  show(): void {
    this.visible = true
    this.focused = true
    this.minimized = false
    this.shell.record('window:show')
  }

  hide(): void {
    this.visible = false
    this.focused = false
    this.shell.record('window:hide')
  }

  focus(): void {
    this.focused = true
    this.shell.changed()
  }

  isVisible(): boolean {
    return this.visible && !this.minimized
  }

  isFocused(): boolean {
    return this.focused
  }

  isMinimized(): boolean {
    return this.minimized
  }

  minimize(): void {
    this.minimized = true
    this.focused = false
  }

  restore(): void {
    this.minimized = false
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  /** What the window's close button does: 'close' (may be prevented), then 'closed'. */
  close(): void {
    if (this.destroyed) return
    const event = electronEvent()
    this.emit('close', event)
    if (event.defaultPrevented) return
    this.destroy()
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.visible = false
    this.webContents.destroy()
    this.emit('closed')
    this.shell.record('window:closed')
    if (!this.shell.quitting && this.shell.windows.every((w) => w.isDestroyed()))
      this.app.emit('window-all-closed', electronEvent())
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.startLoad(url, () => this.emit('ready-to-show', electronEvent()))
  }
}

export class MenuDouble {
  constructor(readonly template: Electron.MenuItemConstructorOptions[]) {}

  /** Finds an item by id anywhere in the menu. */
  find(id: string, items = this.template): Electron.MenuItemConstructorOptions | undefined {
    for (const item of items) {
      if (item.id === id) return item
      if (Array.isArray(item.submenu)) {
        const found = this.find(id, item.submenu as Electron.MenuItemConstructorOptions[])
        if (found) return found
      }
    }
    return undefined
  }

  /** Every label, submenus flattened (separators left out). */
  labels(items = this.template): string[] {
    return items.flatMap((item) => [
      ...(item.label !== undefined ? [item.label] : []),
      ...(Array.isArray(item.submenu)
        ? this.labels(item.submenu as Electron.MenuItemConstructorOptions[])
        : []),
    ])
  }
}

/** What nativeImage.createFromPath returns here: just the path it was made from. */
export interface ImageDouble {
  path: string
}
// The shell hands our images and menus back through Electron-typed slots (new Tray(image),
// tray.setContextMenu(menu)); these recover what the double made.
const imagePath = (image: Electron.NativeImage | string): string =>
  typeof image === 'string' ? image : (image as unknown as ImageDouble).path
const asMenu = (menu: Electron.Menu | null) => menu as unknown as MenuDouble | null

export class TrayDouble
  extends EventEmitter
  implements
    Pick<Electron.Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'isDestroyed' | 'destroy'>
{
  image: string
  tooltip = ''
  menu: MenuDouble | null = null
  private destroyed = false

  constructor(
    private readonly shell: Shell,
    ...[image]: ConstructorParameters<typeof Electron.Tray>
  ) {
    super()
    shell.requireReady('Tray')
    if (!shell.options.trayAvailable) throw new Error('this desktop has no system tray')
    this.image = imagePath(image)
    shell.trays.push(this)
    shell.record('tray:created')
  }

  setImage(image: Electron.NativeImage | string): void {
    this.image = imagePath(image)
    this.shell.changed()
  }

  setToolTip(toolTip: string): void {
    this.tooltip = toolTip
    this.shell.changed()
  }

  setContextMenu(menu: Electron.Menu | null): void {
    this.menu = asMenu(menu)
    this.shell.changed()
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  destroy(): void {
    this.destroyed = true
    this.shell.record('tray:destroyed')
  }

  /** Driver: the user picks this item in the tray's menu (only an enabled one can be picked). */
  clickMenuItem(id: string): void {
    const item = this.menu?.find(id)
    if (!item) throw new Error(`the tray menu has no item "${id}"`)
    if (item.enabled === false) throw new Error(`tray item "${id}" is disabled`)
    // A real menu passes (menuItem, window, event); the shell's handlers use none of them.
    ;(item.click as (() => void) | undefined)?.()
  }
}

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

type ClipboardItemInput = ConstructorParameters<typeof Electron.ClipboardItem>[0]

export class ClipboardItemDouble implements Pick<Electron.ClipboardItem, 'types'> {
  readonly types: string[]
  constructor(readonly items: ClipboardItemInput) {
    this.types = Object.keys(items)
  }
}

export class ClipboardDouble implements Pick<
  Electron.Clipboard,
  'write' | 'writeText' | 'readText' | 'clear'
> {
  /** The plain text on the (one, system-wide) clipboard. */
  text = ''
  /** The formats of the last write (text/plain plus any platform markers). */
  formats: string[] = []
  private stalled = false

  constructor(private readonly shell: Shell) {}

  async write(data: Electron.ClipboardItem[]): Promise<void> {
    await this.gate()
    const item = (data[0] as unknown as ClipboardItemDouble | undefined)?.items ?? {}
    const text = item['text/plain']
    this.set(typeof text === 'string' ? text : '', Object.keys(item))
  }

  async writeText(text: string): Promise<void> {
    await this.gate()
    this.set(text, ['text/plain'])
  }

  async readText(): Promise<string> {
    await this.gate()
    return this.text
  }

  clear(): void {
    if (this.stalled) return
    this.text = ''
    this.formats = []
    this.shell.record('clipboard:clear')
  }

  /** Driver: the user copies something of their own in another app. */
  userCopies(text: string): void {
    this.text = text
    this.formats = ['text/plain']
    this.shell.record('clipboard:user-copy')
  }

  /** Driver: the OS clipboard stops answering (a hung clipboard manager); nothing settles. */
  stall(): void {
    this.stalled = true
  }

  private set(text: string, formats: string[]): void {
    this.text = text
    this.formats = formats
    this.shell.record('clipboard:write')
  }

  private gate(): Promise<void> {
    return this.stalled ? new Promise<void>(() => undefined) : Promise.resolve()
  }
}

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

type InvokeHandler = Parameters<Electron.IpcMain['handle']>[1]

export class IpcMainDouble extends EventEmitter implements Pick<Electron.IpcMain, 'handle'> {
  readonly handlers = new Map<string, InvokeHandler>()

  handle(channel: string, listener: InvokeHandler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, listener)
  }

  /** Driver: a page calls `ipcRenderer.invoke(channel, input)` from `frame`. */
  async invoke(channel: string, input: unknown, frame: FrameDouble | null): Promise<unknown> {
    const handler = this.handlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    // Only senderFrame is read by the shell; the rest of Electron's event is not modelled.
    const event = {
      ...electronEvent(),
      senderFrame: frame,
    } as unknown as Electron.IpcMainInvokeEvent
    return handler(event, input)
  }
}

type ProtocolHandler = Parameters<Electron.Protocol['handle']>[1]
/** What a page gets for one request to a custom scheme. */
export type ProtocolOutcome =
  | { status: number; headers: Headers; body: string }
  | { error: 'net::ERR_UNEXPECTED'; thrown: unknown }

export class ProtocolDouble implements Pick<
  Electron.Protocol,
  'registerSchemesAsPrivileged' | 'handle'
> {
  readonly privileged: Electron.CustomScheme[] = []
  readonly handlers = new Map<string, ProtocolHandler>()

  constructor(private readonly shell: Shell) {}

  registerSchemesAsPrivileged(customSchemes: Electron.CustomScheme[]): void {
    if (this.shell.ready)
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready')
    this.privileged.push(...customSchemes)
  }

  handle(scheme: string, handler: ProtocolHandler): void {
    this.shell.requireReady('protocol.handle')
    this.handlers.set(scheme, handler)
  }

  /**
   * Driver: the page requests `url`. As Electron 45's protocol.handle does, a handler that throws
   * (or rejects) yields net::ERR_UNEXPECTED for the page, not an HTTP status.
   */
  async request(url: string): Promise<ProtocolOutcome> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1))
    if (!handler) throw new Error(`no handler for ${url}`)
    try {
      const response = await handler(new Request(url))
      return { status: response.status, headers: response.headers, body: await response.text() }
    } catch (thrown) {
      return { error: 'net::ERR_UNEXPECTED', thrown }
    }
  }
}

type PermissionRequestHandler = Parameters<Electron.Session['setPermissionRequestHandler']>[0]
type PermissionCheckHandler = Parameters<Electron.Session['setPermissionCheckHandler']>[0]
type DevicePermissionHandler = Parameters<Electron.Session['setDevicePermissionHandler']>[0]

export class SessionDouble implements Pick<
  Electron.Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
> {
  permissionRequest: PermissionRequestHandler = null
  permissionCheck: PermissionCheckHandler = null
  devicePermission: DevicePermissionHandler = null

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequest = handler
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheck = handler
  }

  setDevicePermissionHandler(handler: DevicePermissionHandler): void {
    this.devicePermission = handler
  }
}

/**
 * net.fetch for the file: URLs the app protocol serves. Like Electron's, it rejects for a file
 * that is not there (net::ERR_FILE_NOT_FOUND) instead of answering 404. Folders are not
 * modelled (Chromium may list them), so asking for one is an error of the test.
 */
const net = {
  async fetch(input: string | Request): Promise<Response> {
    const url = new URL(typeof input === 'string' ? input : input.url)
    if (url.protocol !== 'file:') throw new Error(`the double's net.fetch serves file: only`)
    const path = fileURLToPath(url)
    const found = await stat(path).catch(() => undefined)
    if (!found) throw new Error('net::ERR_FILE_NOT_FOUND')
    if (!found.isFile()) throw new Error(`the double's net.fetch does not serve folders: ${path}`)
    return new Response(await readFile(path), { status: 200 })
  },
} satisfies Pick<Electron.Net, 'fetch'>

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
