/**
 * Renders core/notify's tray model with Tray and Menu: the icon follows the status, each item
 * id maps back to a command (trayCommand). A desktop without a tray (GNOME without the
 * AppIndicator extension) is not an error: createTray returns undefined, logs once, and every
 * action stays reachable from the window.
 */
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron'
import { join } from 'node:path'
import {
  trayCommand,
  type TrayCommand,
  type TrayItem,
  type TrayModel,
  type TrayStatus,
} from '../core/notify/trayMenu'

export interface TrayHandle {
  render(model: TrayModel): void
  destroy(): void
}

export function createTray(opts: {
  /** Folder holding tray-{ok,warning,error}.png (and @2x). */
  iconDir: string
  onCommand: (command: TrayCommand) => void
  log: (message: string) => void
}): TrayHandle | undefined {
  const icon = (status: TrayStatus) =>
    nativeImage.createFromPath(join(opts.iconDir, `tray-${status}.png`))
  let tray: Tray
  try {
    tray = new Tray(icon('ok'))
  } catch (e) {
    opts.log(
      `No system tray here (${e instanceof Error ? e.message : 'unknown error'}); Tokendeck runs from its window.`,
    )
    return undefined
  }
  if (process.platform === 'win32') tray.on('click', () => opts.onCommand({ type: 'app:open' }))
  let status: TrayStatus | undefined

  const toMenu = (items: TrayItem[]): MenuItemConstructorOptions[] =>
    items.map((item): MenuItemConstructorOptions => {
      switch (item.type) {
        case 'separator':
          return { id: item.id, type: 'separator' }
        case 'submenu':
          return { id: item.id, label: item.label, submenu: toMenu(item.items) }
        case 'item':
          return {
            id: item.id,
            label: item.label,
            enabled: item.enabled,
            click: () => {
              const command = trayCommand(item.id)
              if (command) opts.onCommand(command)
            },
          }
      }
    })

  return {
    render(model) {
      if (tray.isDestroyed()) return
      try {
        if (model.status !== status) tray.setImage(icon(model.status))
        status = model.status
        tray.setToolTip(model.tooltip)
        tray.setContextMenu(Menu.buildFromTemplate(toMenu(model.items)))
      } catch (e) {
        opts.log(`Tray update failed: ${e instanceof Error ? e.message : 'unknown error'}`)
      }
    },
    destroy() {
      if (!tray.isDestroyed()) tray.destroy()
    },
  }
}
