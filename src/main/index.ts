/**
 * Composition root: builds the core, then hands it to the thin Electron shell (window, IPC,
 * protocol). Everything that can be tested without Electron lives in ./core.
 */
import { app, BrowserWindow } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startCore } from './core/startCore'
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './electron/appProtocol'
import { registerIpc, sendEvent } from './electron/ipc'
import { denyAllPermissions, hardenWebContents } from './electron/security'
import { createMainWindow, preloadPath } from './electron/window'

const mainDir = fileURLToPath(new URL('.', import.meta.url))
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined
const profile = process.env['TOKENDECK_PROFILE'] === 'demo' ? 'demo' : 'default'

function isAppUrl(url: string): boolean {
  if (devServerUrl && url.startsWith(devServerUrl)) return true
  return url.startsWith(`${APP_ORIGIN}/`)
}

registerAppScheme()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let mainWindow: BrowserWindow | undefined

  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.show()
    mainWindow.focus()
  })

  hardenWebContents(isAppUrl)

  void app.whenReady().then(async () => {
    denyAllPermissions()
    serveRenderer(join(mainDir, '../renderer'))
    const core = await startCore({
      profile,
      appVersion: app.getVersion(),
      onEvent: (event) => {
        if (mainWindow) sendEvent(mainWindow.webContents, event)
      },
    })
    registerIpc(core.dispatcher, isAppUrl)
    const open = () => {
      mainWindow = createMainWindow({
        preloadPath: preloadPath(mainDir),
        startUrl: devServerUrl ?? `${APP_ORIGIN}/index.html`,
        iconPath: join(mainDir, '../../build/icon.png'),
      })
      mainWindow.on('closed', () => (mainWindow = undefined))
    }
    open()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open()
    })
    app.on('before-quit', () => void core.close())
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
