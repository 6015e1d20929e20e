import type { WebPreferences } from 'electron'

/**
 * Every security-relevant setting spelled out, even where it is Electron's default, so a change
 * of default (or of this file) is caught by test/electron/windowSecurity.test.ts.
 */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // Middle-click would open a link in a new window, around the window-open handler.
    disableBlinkFeatures: 'Auxclick',
  }
}
