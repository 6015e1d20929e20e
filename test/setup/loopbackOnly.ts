/**
 * Every test process may talk to this machine only. A test (or a fuzzer) that builds a URL to
 * anywhere else fails here, loudly, before a packet leaves: the guard sits under undici, node's
 * https and everything else that opens a TCP socket or resolves a name.
 */
import dns from 'node:dns'
import net from 'node:net'
import { isLoopbackHost } from '../sim/common/loopback'

/** As the network guard sees it: no host at all means Node's default, localhost. */
export function isLoopbackTarget(host: string | undefined): boolean {
  return host === undefined || host === '' || isLoopbackHost(host)
}

function refuse(host: string): Error {
  return Object.assign(
    new Error(`test network guard: refused to reach ${host} (tests talk to loopback only)`),
    {
      code: 'ECONNREFUSED',
    },
  )
}

type ConnectArgs = Parameters<net.Socket['connect']>
const originalConnect = net.Socket.prototype.connect
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: ConnectArgs) {
  const first = args[0] as unknown
  const options = (Array.isArray(first) ? first[0] : first) as
    { host?: string; path?: string } | number | string
  let host: string | undefined
  if (typeof options === 'object' && options !== null)
    host = options.path ? undefined : options.host
  else if (typeof options === 'number') host = typeof args[1] === 'string' ? args[1] : undefined
  if (!isLoopbackTarget(host)) {
    const err = refuse(String(host))
    process.nextTick(() => this.destroy(err))
    return this
  }
  return originalConnect.apply(this, args)
} as net.Socket['connect']

const originalLookup = dns.lookup
;(dns as { lookup: unknown }).lookup = function guardedLookup(
  hostname: string,
  ...rest: unknown[]
) {
  if (!isLoopbackTarget(hostname)) {
    const callback = rest[rest.length - 1] as (err: Error) => void
    process.nextTick(() => callback(refuse(hostname)))
    return
  }
  return (originalLookup as (...a: unknown[]) => unknown).call(dns, hostname, ...rest)
}
