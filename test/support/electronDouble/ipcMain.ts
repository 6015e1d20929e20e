/** The `ipcMain` double: one handler per channel; the test invokes as a page's frame. */
import { EventEmitter } from 'node:events'
import type * as Electron from 'electron'
import type { FrameDouble } from './browserWindow'
import { electronEvent } from './shell'

type InvokeHandler = Parameters<Electron.IpcMain['handle']>[1]

export class IpcMainDouble extends EventEmitter implements Pick<Electron.IpcMain, 'handle'> {
  readonly handlers = new Map<string, InvokeHandler>()

  handle(channel: string, listener: InvokeHandler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, listener)
  }

  /** Driver: a page calls `ipcRenderer.invoke(channel, input)` from `frame`. */
  async invoke(channel: string, input: unknown, frame: FrameDouble | null): Promise<unknown> {
    const handler = this.handlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    // Only senderFrame is read by the shell; the rest of Electron's event is not modelled.
    const event = {
      ...electronEvent(),
      senderFrame: frame,
    } as unknown as Electron.IpcMainInvokeEvent
    return handler(event, input)
  }
}
