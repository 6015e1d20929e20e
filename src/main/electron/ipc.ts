/**
 * Wires the core's dispatcher to ipcMain. The only check added here is the sender: a call from
 * any frame that is not the app's own page is refused before the core sees it.
 */
import { ipcMain, type WebContents } from 'electron'
import { isTrustedSender } from './appUrl'
import { CHANNEL_NAMES, EVENT_CHANNEL, type TokendeckEvent } from '../../shared/contract'
import type { Dispatcher } from '../core/dispatch'

export function registerIpc(dispatcher: Dispatcher, isAppUrl: (url: string) => boolean): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, input: unknown) => {
      const frame = event.senderFrame
      if (
        !isTrustedSender(
          frame ? { url: frame.url, isTopFrame: frame.parent === null } : null,
          isAppUrl,
        )
      ) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN', message: 'This page may not talk to Tokendeck.' },
        }
      }
      return dispatcher.invoke(channel, input)
    })
  }
}

export function sendEvent(contents: WebContents, event: TokendeckEvent): void {
  if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event)
}
