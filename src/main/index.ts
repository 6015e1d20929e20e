/**
 * Composition root: builds the core, then hands it to the thin Electron shell (window, IPC,
 * protocol, tray, notifications, clipboard). Everything that can be tested without Electron
 * lives in ./core.
 */
import { app } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ownSessions, type OwnedSessions } from './core/agent/sessionOwner'
import { dataDir } from './core/clusters'
import { startCore } from './core/startCore'
import { asCaller } from './core/audit/caller'
import { NotifyHub } from './core/notify/notifyHub'
import { ExpiryWatcher } from './core/expiring/expiryWatcher'
import { NoticeLedger } from './core/expiring/noticeLedger'
import type { TrayCommand } from './core/notify/trayMenu'
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './electron/appProtocol'
import { appUrlCheck } from './electron/appUrl'
import { ElectronClipboard } from './electron/clipboard'
import { electronFilePicker } from './electron/filePicker'
import { registerIpc } from './electron/ipc'
import { MainWindow } from './electron/mainWindow'
import { createNotifier } from './electron/notifications'
import { denyAllPermissions, hardenWebContents } from './electron/security'
import { createTray } from './electron/tray'
import { GlobalShortcutBinding } from './electron/globalShortcut'
import { powerMonitorLockEvents } from './electron/powerEvents'
import { createMainWindow, preloadPath } from './electron/window'

const mainDir = fileURLToPath(new URL('.', import.meta.url))
const buildDir = join(mainDir, '../../build')
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined
const profile = process.env['TOKENDECK_PROFILE'] === 'demo' ? 'demo' : 'default'
/** How often expiry warnings and the tray's time-based status are re-checked. */
const NOTIFY_CHECK_MS = 60_000
/** How often every cluster's tokens are listed for expiry warnings (it costs a request each). */
const EXPIRY_CHECK_MS = 15 * 60_000
/** Quit waits at most this long for the core to close (and the clipboard to be cleared). */
const CLOSE_TIMEOUT_MS = 5_000
const log = (message: string) => console.warn(`[tokendeck] ${message}`)

const isAppUrl = appUrlCheck(devServerUrl)

registerAppScheme()

// With TOKENDECK_HOME (a portable install, a test, a second profile), Electron's own data
// (Chromium's cache, the single-instance lock) lives beside Tokendeck's, so such an instance
// neither collides with the user's everyday Tokendeck nor writes into its folder.
if (process.env['TOKENDECK_HOME']) app.setPath('userData', join(dataDir(profile), 'electron'))

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  const mainWindow = new MainWindow(() =>
    createMainWindow({
      preloadPath: preloadPath(mainDir),
      startUrl: devServerUrl ?? `${APP_ORIGIN}/index.html`,
      iconPath: join(buildDir, 'icon.png'),
    }),
  )
  const clipboard = new ElectronClipboard(log)
  let owned: OwnedSessions | undefined
  let hub: NotifyHub | undefined
  let expiry: ExpiryWatcher | undefined

  app.on('second-instance', () => void mainWindow.show())
  hardenWebContents(isAppUrl)

  void app.whenReady().then(async () => {
    denyAllPermissions()
    serveRenderer(join(mainDir, '../renderer'))
    // The app owns the profile's sessions; `tokendeck` in a terminal is served through its agent
    // socket (core/agent), so a token it asks for costs no refresh and no keychain write.
    owned = await ownSessions({
      role: 'app',
      dataDir: dataDir(profile),
      runWithoutAgentIfUnavailable: true,
      version: app.getVersion(),
      onWait: (owner) =>
        log(`Waiting for ${owner.role} (process ${owner.pid}) to hand over the sessions`),
      startCore: () =>
        startCore({
          profile,
          appVersion: app.getVersion(),
          clipboard,
          lockEvents: powerMonitorLockEvents(),
          filePicker: electronFilePicker(() => mainWindow.current()),
          onEvent: (event) => {
            mainWindow.send(event)
            if (event.event === 'session:changed') {
              hub?.sessionChanged(event.payload.clusterId, event.payload.session)
              expiry?.sessionChanged(event.payload.clusterId, event.payload.session)
            }
            if (event.event === 'clusters:changed') hub?.clustersChanged()
          },
        }),
    })
    const started = owned.core
    registerIpc(started.dispatcher, isAppUrl)

    const runCommand = (command: TrayCommand) => {
      switch (command.type) {
        case 'copy':
          void asCaller({ actor: 'tray' }, () =>
            started.dispatcher.invoke('session:copyAccessToken', { clusterId: command.clusterId }),
          ).then((r) => {
            if (!r.ok) mainWindow.openCluster(command.clusterId) // the window says why
          })
          return
        case 'copyAs':
          void started.dispatcher
            .invoke('session:copyAs', { clusterId: command.clusterId, format: command.format })
            .then((r) => {
              if (!r.ok) mainWindow.openCluster(command.clusterId) // the window says why
            })
          return
        case 'refresh':
          void started.dispatcher.invoke('session:refresh', { clusterId: command.clusterId })
          return
        case 'open':
          return mainWindow.openCluster(command.clusterId)
        case 'app:open':
          return void mainWindow.show()
        case 'app:quit':
          return app.quit()
      }
    }
    const tray = createTray({ iconDir: buildDir, onCommand: runCommand, log })
    mainWindow.keepRunningInTray = tray !== undefined
    const notifier = createNotifier({
      iconPath: join(buildDir, 'icon.png'),
      actions: {
        openCluster: (id) => mainWindow.openCluster(id),
        openExpiring: () => mainWindow.openExpiring(),
      },
      log,
    })
    hub = new NotifyHub(
      {
        clusters: () => started.registry.list(),
        session: (id) => started.sessions.state(id),
        storedExpiresAt: (id) => started.sessions.storedExpiresAt(id),
        settings: () => started.registry.getSettings(),
        decorateTray: (model) => expiry?.decorateTray(model) ?? model,
      },
      {
        tray: (model) => tray?.render(model),
        show: (n) => notifier.show(n),
        close: (key) => notifier.close(key),
      },
      { now: () => Date.now() },
    )
    expiry = new ExpiryWatcher({
      report: () => started.expiring(),
      settings: () => started.registry.getSettings(),
      ledger: new NoticeLedger(dataDir(profile)),
      clock: { now: () => Date.now() },
      show: (n) => notifier.show(n),
      checked: () => hub?.tick(),
      onError: (e) =>
        log(`Checking token expiry failed: ${e instanceof Error ? e.message : 'unknown error'}`),
    })
    hub.start()
    setInterval(() => hub?.tick(), NOTIFY_CHECK_MS).unref()
    expiry.checkSoon()
    setInterval(() => expiry?.checkSoon(), EXPIRY_CHECK_MS).unref()

    const shortcut = new GlobalShortcutBinding(() => mainWindow.openPalette(), log)
    shortcut.apply(started.registry.getSettings().globalShortcut)
    started.registry.onChange((change) => {
      if (change.kind === 'settings-updated') shortcut.apply(change.settings.globalShortcut)
    })

    mainWindow.show()
    app.on('activate', () => void mainWindow.show())
    app.on('will-quit', () => {
      shortcut.dispose()
      notifier.closeAll()
      tray?.destroy()
    })
  })

  // Close the core (which clears a token Tokendeck put on the clipboard) before exiting.
  app.on('before-quit', (event) => {
    mainWindow.quitting = true
    if (!owned) return
    event.preventDefault()
    const closing = owned
    owned = undefined // the app.quit() below passes straight through
    const done = closing
      .close()
      .catch((e: unknown) =>
        log(`Closing the core failed: ${e instanceof Error ? e.message : 'unknown error'}`),
      )
      .then(() => clipboard.flush())
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())
    void Promise.race([done, timeout]).finally(() => app.quit())
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
