/**
 * The core's FilePicker port over Electron's native open dialog, modal to the main window. Only
 * a path comes back: the file is read when a connection is made, as a typed path is.
 */
import {
  dialog,
  type BrowserWindow,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron'
import type { FilePicker } from '../core/files/filePicker'

const CA_FILE_OPTIONS: OpenDialogOptions = {
  title: 'Choose the CA file of the cluster',
  buttonLabel: 'Use this CA file',
  properties: ['openFile', 'dontAddToRecent'],
  filters: [
    { name: 'Certificates (PEM)', extensions: ['pem', 'crt', 'cer'] },
    { name: 'All files', extensions: ['*'] },
  ],
}

const CATALOGUE_FILTERS = [
  { name: 'Tokendeck catalogue (JSON)', extensions: ['json'] },
  { name: 'All files', extensions: ['*'] },
]

export function electronFilePicker(window: () => BrowserWindow | undefined): FilePicker {
  return {
    async pickCaFile() {
      const parent = window()
      const result = parent
        ? await dialog.showOpenDialog(parent, CA_FILE_OPTIONS)
        : await dialog.showOpenDialog(CA_FILE_OPTIONS)
      return result.canceled ? undefined : result.filePaths[0]
    },
    async pickCatalogue(mode, defaultName) {
      const parent = window()
      if (mode === 'save') {
        const options: SaveDialogOptions = {
          title: 'Export the cluster catalogue',
          buttonLabel: 'Export',
          filters: CATALOGUE_FILTERS,
          properties: ['showOverwriteConfirmation', 'dontAddToRecent'],
          ...(defaultName ? { defaultPath: defaultName } : {}),
        }
        const r = parent
          ? await dialog.showSaveDialog(parent, options)
          : await dialog.showSaveDialog(options)
        return r.canceled || !r.filePath ? undefined : r.filePath
      }
      const options: OpenDialogOptions = {
        title: 'Import a cluster catalogue',
        buttonLabel: 'Import',
        properties: ['openFile', 'dontAddToRecent'],
        filters: CATALOGUE_FILTERS,
      }
      const r = parent
        ? await dialog.showOpenDialog(parent, options)
        : await dialog.showOpenDialog(options)
      return r.canceled ? undefined : r.filePaths[0]
    },
  }
}
