import { BrowserWindow } from 'electron'
import { join } from 'node:path'
import { secureWebPreferences } from './webPreferences'

export interface WindowOptions {
  preloadPath: string
  /** app://tokendeck/index.html in a build, the dev server's URL under `electron-vite dev`. */
  startUrl: string
  iconPath?: string
}

/** The main window, with every security setting spelled out even where it is Electron's default. */
export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1180,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Tokendeck',
    ...(opts.iconPath ? { icon: opts.iconPath } : {}),
    webPreferences: secureWebPreferences(opts.preloadPath),
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(opts.startUrl)
  return win
}

export function preloadPath(mainDir: string): string {
  return join(mainDir, '../preload/index.cjs')
}
