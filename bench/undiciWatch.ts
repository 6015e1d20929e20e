/**
 * Watches every undici request and connection in this process through undici's diagnostics
 * channels: how many requests were in flight at once and how many sockets were open at once —
 * the engine's effective concurrency, which the core never states itself (it follows from one
 * Agent per cluster and a scheduler that refreshes everything due at once).
 */
import diagnostics from 'node:diagnostics_channel'
import type { Socket } from 'node:net'

export interface WatchWindow {
  maxInFlight: number
  requests: number
  socketsOpened: number
  maxOpenSockets: number
}

export class UndiciWatch {
  private readonly pending = new WeakSet<object>()
  private readonly sockets = new Set<Socket>()
  private inFlight = 0
  private window: WatchWindow = { maxInFlight: 0, requests: 0, socketsOpened: 0, maxOpenSockets: 0 }
  private readonly unsubscribe: Array<() => void> = []

  constructor() {
    const on = (name: string, fn: (message: unknown) => void) => {
      diagnostics.subscribe(name, fn)
      this.unsubscribe.push(() => diagnostics.unsubscribe(name, fn))
    }
    on('undici:request:create', (m) => {
      const { request } = m as { request: object }
      this.pending.add(request)
      this.inFlight++
      this.window.requests++
      this.window.maxInFlight = Math.max(this.window.maxInFlight, this.inFlight)
    })
    const done = (m: unknown) => {
      const { request } = m as { request: object }
      if (this.pending.delete(request)) this.inFlight--
    }
    on('undici:request:trailers', done)
    on('undici:request:error', done)
    on('undici:client:connected', (m) => {
      const { socket } = m as { socket: Socket }
      this.sockets.add(socket)
      this.window.socketsOpened++
      this.window.maxOpenSockets = Math.max(this.window.maxOpenSockets, this.sockets.size)
      socket.once('close', () => this.sockets.delete(socket))
    })
  }

  /** Starts a new measurement window; counts what is open now as the starting point. */
  begin(): void {
    this.window = {
      maxInFlight: this.inFlight,
      requests: 0,
      socketsOpened: 0,
      maxOpenSockets: this.sockets.size,
    }
  }

  end(): WatchWindow {
    return { ...this.window }
  }

  close(): void {
    for (const u of this.unsubscribe) u()
  }
}
