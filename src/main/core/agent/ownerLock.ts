/**
 * Who owns a profile's sessions, decided by the operating system: a listening socket exists only
 * while its process lives, and creating a name with link(2) is atomic. No pid files to guess at.
 *
 * Unix. The owner's socket is reachable as `<key>.<generation>.sock` in the private directory.
 * To claim, a process first listens on a socket of its own under a random name, then:
 *   1. finds the highest generation g present;
 *   2. connects to it: it answers → there is an owner, become its client;
 *      ECONNREFUSED / ENOENT → that owner is dead (killed, crashed): its name is stale;
 *   3. links its own, already listening socket as generation g+1. link(2) fails with EEXIST if
 *      another process got there first: then go back to 1 and connect to the winner.
 * A generation is created only by someone who found the one below it dead, and a dead socket
 * never comes back to life, so there is never more than one live owner, and a stale name left by
 * a killed process is simply superseded (and removed by the next owner). Because the socket is
 * already listening when its name appears, nobody can mistake a starting owner for a dead one.
 *
 * Windows. A named pipe is owned by its process and vanishes with it: listen on the profile's
 * pipe; EADDRINUSE means an owner exists, so connect to it.
 */
import { randomBytes } from 'node:crypto'
import { link, readdir, unlink } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { TokendeckError } from '../../../shared/errors'
import type { AgentEndpoint } from './agentEndpoint'

export type Claim =
  | { role: 'owner'; server: net.Server; path: string; release(): Promise<void> }
  | { role: 'client'; socket: net.Socket; path: string }

export interface ClaimOptions {
  /** Accepts connections from clients once this process owns (wired before the name appears). */
  onConnection: (socket: net.Socket) => void
  /** How many times to go round when the system is busy (EAGAIN) or others keep winning. */
  attempts?: number
}

/** Become the owner of the endpoint's profile, or a client of the process that is. */
export async function claimOwnership(endpoint: AgentEndpoint, opts: ClaimOptions): Promise<Claim> {
  if (endpoint.pipe !== undefined) return claimPipe(endpoint.pipe, opts)
  const dir = endpoint.dir!
  const own = path.join(dir, `${endpoint.key}.t${randomBytes(6).toString('hex')}.sock`)
  const server = net.createServer(opts.onConnection)
  await listen(server, own)
  let won: string | undefined
  try {
    const attempts = opts.attempts ?? 200
    for (let attempt = 0; attempt < attempts; attempt++) {
      const gens = await generations(dir, endpoint.key)
      const top = gens[0] ?? 0
      if (top > 0) {
        const name = socketName(dir, endpoint.key, top)
        const outcome = await tryConnect(name)
        if (outcome.kind === 'live') return { role: 'client', socket: outcome.socket, path: name }
        if (outcome.kind === 'busy') {
          await pause(attempt)
          continue
        }
      }
      const next = socketName(dir, endpoint.key, top + 1)
      try {
        await link(own, next)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue // someone else won g+1
        throw e
      }
      won = next
      // Our socket stays reachable under its generation name; the random name can go. (libuv
      // unlinks the bound name again on close; ENOENT then is harmless.)
      await unlink(own).catch(() => undefined)
      await removeStale(dir, endpoint.key, gens)
      const path_ = next
      return {
        role: 'owner',
        server,
        path: path_,
        release: async () => {
          // The name first, so nobody connects to a socket about to close, then the socket.
          await unlink(path_).catch(() => undefined)
          await new Promise<void>((resolve) => server.close(() => resolve()))
        },
      }
    }
    throw new TokendeckError(
      'BUSY',
      `Could not find or become the owner of Tokendeck's sessions in ${dir}: other processes kept claiming it. Try again.`,
    )
  } finally {
    if (won === undefined) {
      server.close()
      await unlink(own).catch(() => undefined)
    }
  }
}

async function claimPipe(pipe: string, opts: ClaimOptions): Promise<Claim> {
  const attempts = opts.attempts ?? 200
  for (let attempt = 0; attempt < attempts; attempt++) {
    const server = net.createServer(opts.onConnection)
    try {
      await listen(server, pipe)
      return {
        role: 'owner',
        server,
        path: pipe,
        release: () => new Promise<void>((resolve) => server.close(() => resolve())),
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e
    }
    const outcome = await tryConnect(pipe)
    if (outcome.kind === 'live') return { role: 'client', socket: outcome.socket, path: pipe }
    await pause(attempt) // the owner is going away right now; its pipe will be gone soon
  }
  throw new TokendeckError(
    'BUSY',
    `Could not find or become the owner of Tokendeck's sessions (${pipe}). Try again.`,
  )
}

/** A connection to the current owner, or undefined when nobody owns (never claims). */
export async function connectToOwner(endpoint: AgentEndpoint): Promise<net.Socket | undefined> {
  if (endpoint.pipe !== undefined) {
    const outcome = await tryConnect(endpoint.pipe)
    return outcome.kind === 'live' ? outcome.socket : undefined
  }
  const dir = endpoint.dir!
  for (let attempt = 0; attempt < 50; attempt++) {
    const top = (await generations(dir, endpoint.key))[0]
    if (top === undefined) return undefined
    const outcome = await tryConnect(socketName(dir, endpoint.key, top))
    if (outcome.kind === 'live') return outcome.socket
    if (outcome.kind === 'dead') return undefined
    await pause(attempt)
  }
  return undefined
}

function socketName(dir: string, key: string, generation: number): string {
  return path.join(dir, `${key}.${generation}.sock`)
}

/** Generations present for the key, highest first. */
async function generations(dir: string, key: string): Promise<number[]> {
  const pattern = new RegExp(`^${key}\\.(\\d{1,9})\\.sock$`)
  const names = await readdir(dir)
  return names
    .map((n) => pattern.exec(n)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => b - a)
}

/** Names below the new generation belong to owners found dead; drop them (best effort). */
async function removeStale(dir: string, key: string, gens: number[]): Promise<void> {
  for (const g of gens) await unlink(socketName(dir, key, g)).catch(() => undefined)
}

type ConnectOutcome = { kind: 'live'; socket: net.Socket } | { kind: 'dead' } | { kind: 'busy' }

function tryConnect(name: string): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const socket = net.createConnection(name)
    socket.once('connect', () => {
      socket.removeAllListeners('error')
      // Until the client takes it over, an error (the owner vanishing) must not crash us; the
      // client sees the socket destroyed and looks again.
      socket.on('error', () => undefined)
      resolve({ kind: 'live', socket })
    })
    socket.once('error', (e: NodeJS.ErrnoException) => {
      socket.destroy()
      // ECONNREFUSED: a socket file nobody listens on. ENOENT: the name went away meanwhile.
      // Anything else (EAGAIN: a full backlog) says nothing about liveness: look again.
      resolve(
        e.code === 'ECONNREFUSED' || e.code === 'ENOENT' ? { kind: 'dead' } : { kind: 'busy' },
      )
    })
  })
}

function listen(server: net.Server, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e)
    server.once('error', onError)
    server.listen(name, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

/** A short, growing, jittered pause between claim attempts (others are mid-claim). */
function pause(attempt: number): Promise<void> {
  const ms = Math.min(200, 2 ** Math.min(attempt, 7)) * (0.5 + Math.random())
  return new Promise((resolve) => setTimeout(resolve, ms))
}
