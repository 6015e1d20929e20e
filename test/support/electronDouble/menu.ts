/** `Menu.buildFromTemplate`'s result: the template, searchable by item id and label. */
import type * as Electron from 'electron'

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
