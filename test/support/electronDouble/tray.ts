/** The `Tray` double (and the images nativeImage makes for it); refuses without a system tray. */
import { EventEmitter } from 'node:events'
import type * as Electron from 'electron'
import type { MenuDouble } from './menu'
import type { Shell } from './shell'

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
