/** The `protocol` double: schemes registered before ready, handlers after, errors as Electron's. */
import type * as Electron from 'electron'
import type { Shell } from './shell'

type ProtocolHandler = Parameters<Electron.Protocol['handle']>[1]
/** What a page gets for one request to a custom scheme. */
export type ProtocolOutcome =
  | { status: number; headers: Headers; body: string }
  | { error: 'net::ERR_UNEXPECTED'; thrown: unknown }

export class ProtocolDouble implements Pick<
  Electron.Protocol,
  'registerSchemesAsPrivileged' | 'handle'
> {
  readonly privileged: Electron.CustomScheme[] = []
  readonly handlers = new Map<string, ProtocolHandler>()

  constructor(private readonly shell: Shell) {}

  registerSchemesAsPrivileged(customSchemes: Electron.CustomScheme[]): void {
    if (this.shell.ready)
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready')
    this.privileged.push(...customSchemes)
  }

  handle(scheme: string, handler: ProtocolHandler): void {
    this.shell.requireReady('protocol.handle')
    this.handlers.set(scheme, handler)
  }

  /**
   * Driver: the page requests `url`. As Electron 45's protocol.handle does, a handler that throws
   * (or rejects) yields net::ERR_UNEXPECTED for the page, not an HTTP status.
   */
  async request(url: string): Promise<ProtocolOutcome> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1))
    if (!handler) throw new Error(`no handler for ${url}`)
    try {
      const response = await handler(new Request(url))
      return { status: response.status, headers: response.headers, body: await response.text() }
    } catch (thrown) {
      return { error: 'net::ERR_UNEXPECTED', thrown }
    }
  }
}
