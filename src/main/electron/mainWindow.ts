/**
 * The one main window over its lifetime: created on demand, shown and focused when asked, hidden
 * instead of closed while a tray icon can bring it back (unless the app is quitting), and the
 * target of the core's events — including ui:openCluster, held until a fresh page has loaded.
 */
import type { BrowserWindow } from 'electron'
import type { TokendeckEvent } from '../../shared/contract'
import { sendEvent } from './ipc'

export class MainWindow {
  private win: BrowserWindow | undefined
  /** True once a tray icon exists: closing the window then hides it. */
  keepRunningInTray = false
  /** Set on before-quit: closing really closes. */
  quitting = false

  constructor(private readonly create: () => BrowserWindow) {}

  show(): BrowserWindow {
    const existing = this.win
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore()
      existing.show()
      existing.focus()
      return existing
    }
    const win = this.create()
    this.win = win
    win.on('close', (e) => {
      if (!this.keepRunningInTray || this.quitting) return
      e.preventDefault()
      win.hide()
    })
    win.on('closed', () => {
      if (this.win === win) this.win = undefined
    })
    return win
  }

  /** The window if it exists now (e.g. to be the parent of a modal picker). */
  current(): BrowserWindow | undefined {
    return this.win && !this.win.isDestroyed() ? this.win : undefined
  }

  send(event: TokendeckEvent): void {
    if (this.win && !this.win.isDestroyed()) sendEvent(this.win.webContents, event)
  }

  openCluster(clusterId: string): void {
    this.showWith({ event: 'ui:openCluster', payload: { clusterId } })
  }

  /** Brings the window up with the command palette open (the global shortcut). */
  openPalette(): void {
    this.showWith({ event: 'ui:openPalette', payload: {} })
  }

  /** A notification about tokens on many clusters: the Expiring view. */
  openExpiring(): void {
    this.showWith({ event: 'ui:openExpiring', payload: {} })
  }

  private showWith(event: TokendeckEvent): void {
    const win = this.show()
    if (win.webContents.isLoading())
      win.webContents.once('did-finish-load', () => sendEvent(win.webContents, event))
    else sendEvent(win.webContents, event)
  }
}
