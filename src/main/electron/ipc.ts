/**
 * Wires the core's dispatcher to ipcMain. The only check added here is the sender: a call from
 * any frame that is not the app's own page is refused before the core sees it.
 */
import { ipcMain, type WebContents, type WebFrameMain } from 'electron'
import { CHANNEL_NAMES, EVENT_CHANNEL, type TokendeckEvent } from '../../shared/contract'
import type { Dispatcher } from '../core/dispatch'

export function registerIpc(dispatcher: Dispatcher, isAppUrl: (url: string) => boolean): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, input: unknown) => {
      if (!isTrustedSender(event.senderFrame, isAppUrl)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This page may not talk to Tokendeck.' } }
      }
      return dispatcher.invoke(channel, input)
    })
  }
}

function isTrustedSender(frame: WebFrameMain | null, isAppUrl: (url: string) => boolean): boolean {
  return frame !== null && frame.parent === null && isAppUrl(frame.url)
}

export function sendEvent(contents: WebContents, event: TokendeckEvent): void {
  if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event)
}
