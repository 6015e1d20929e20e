/**
 * The core's FilePicker port over Electron's native open dialog, modal to the main window. Only
 * a path comes back: the file is read when a connection is made, as a typed path is.
 */
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron'
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

export function electronFilePicker(window: () => BrowserWindow | undefined): FilePicker {
  return {
    async pickCaFile() {
      const parent = window()
      const result = parent
        ? await dialog.showOpenDialog(parent, CA_FILE_OPTIONS)
        : await dialog.showOpenDialog(CA_FILE_OPTIONS)
      return result.canceled ? undefined : result.filePaths[0]
    },
  }
}
