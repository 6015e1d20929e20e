/**
 * Exposes `window.tokendeck`: `invoke` for the contract's channels only and `onEvent` for main's
 * events. Nothing else of ipcRenderer, Node or process reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { CHANNEL_NAMES, EVENT_CHANNEL } from '../shared/channelNames'
import type { TokendeckApi, TokendeckEvent } from '../shared/contract'

const allowed = new Set<string>(CHANNEL_NAMES)

const api: TokendeckApi = {
  invoke(channel, input) {
    if (!allowed.has(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'INVALID_INPUT', message: 'unknown channel' },
      })
    }
    return ipcRenderer.invoke(channel, input)
  },
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, payload: TokendeckEvent) => listener(payload)
    ipcRenderer.on(EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler)
    }
  },
}

contextBridge.exposeInMainWorld('tokendeck', api)
