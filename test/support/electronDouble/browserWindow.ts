/** `BrowserWindow` and its `webContents`: show/hide/close, page loads, navigation. */
import { EventEmitter } from 'node:events'
import type * as Electron from 'electron'
import type { AppDouble } from './app'
import { electronEvent, type Shell } from './shell'

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
