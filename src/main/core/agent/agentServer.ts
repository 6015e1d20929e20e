/**
 * The owner's side of the agent socket: reads request lines, answers each with the OwnerApi, and
 * shuts down cleanly. While draining (the owner is quitting, or handing over to the app) it
 * finishes what it started and answers anything new with `closing`, so a client knows that
 * request was never run and may take it to the next owner. Inputs are never logged: a sign-in
 * carries a password.
 */
import type net from 'node:net'
import { isTokendeckError } from '../../../shared/errors'
import type { ErrorInfo } from '../../../shared/model'
import { asCaller } from '../audit/caller'
import type { OwnerApi } from './ownerApi'
import {
  AGENT_PROTOCOL_VERSION,
  AgentRequest,
  CHANNELS_NOT_SERVED,
  GOODBYE_ID,
  LineReader,
  type AgentResponse,
  type Hello,
  type OwnerRole,
} from './protocol'

/** Every frame this owner sends carries its protocol version. */
const V = AGENT_PROTOCOL_VERSION

export interface AgentServerOptions {
  api: OwnerApi
  role: OwnerRole
  version: string
  /** A client asked this owner to stop owning (only honoured by `agent` and `cli` owners). */
  onHandover?: () => void
  /** Unexpected failures, for the log; never receives an input. */
  onUnexpected?: (error: unknown) => void
}

export class AgentServer {
  private readonly sockets = new Set<net.Socket>()
  /** The pid each client said hello with: the audit log names who was served. */
  private readonly clientPids = new WeakMap<net.Socket, number>()
  private inflight = 0
  private draining = false
  private drained: (() => void) | undefined
  /** Requests served, for the bench and tests (how much went through the owner). */
  served = 0

  constructor(private readonly opts: AgentServerOptions) {}

  /** Wire to the server's 'connection' event. */
  readonly accept = (socket: net.Socket): void => {
    this.sockets.add(socket)
    socket.setEncoding('utf8')
    const reader = new LineReader(
      (line) => void this.handle(socket, line),
      () => socket.destroy(),
    )
    socket.on('data', (chunk: string) => reader.push(chunk))
    socket.on('error', () => undefined) // a client that vanished is not our failure
    socket.on('close', () => this.sockets.delete(socket))
    if (this.draining && this.inflight === 0) {
      this.send(socket, { v: V, id: GOODBYE_ID, closing: true })
      socket.end()
    }
  }

  /** Stop taking work, finish what runs, close every connection. */
  drain(): Promise<void> {
    this.draining = true
    return new Promise((resolve) => {
      this.drained = resolve
      this.maybeFinished()
    })
  }

  private async handle(socket: net.Socket, line: string): Promise<void> {
    let request: AgentRequest
    try {
      const parsed = AgentRequest.safeParse(JSON.parse(line))
      if (!parsed.success) {
        const rawId = (JSON.parse(line) as { id?: unknown }).id
        const id = typeof rawId === 'number' && Number.isSafeInteger(rawId) ? rawId : 0
        const v = (JSON.parse(line) as { v?: unknown }).v
        const message =
          v !== AGENT_PROTOCOL_VERSION
            ? `This Tokendeck speaks agent protocol ${AGENT_PROTOCOL_VERSION}; the request used ${String(v)}. Use the same version of Tokendeck for the app and the command line.`
            : 'The request to the Tokendeck agent was malformed.'
        return this.send(socket, { v: V, id, ok: false, error: { code: 'INVALID_INPUT', message } })
      }
      request = parsed.data
    } catch {
      socket.destroy() // not JSON at all: not a client of ours
      return
    }
    if (request.method === 'hello') {
      this.clientPids.set(socket, request.pid)
      const hello: Hello = {
        protocol: AGENT_PROTOCOL_VERSION,
        role: this.opts.role,
        pid: process.pid,
        version: this.opts.version,
      }
      return this.send(socket, { v: V, id: request.id, ok: true, value: hello })
    }
    if (this.draining) return this.send(socket, { v: V, id: request.id, closing: true })
    this.inflight++
    this.served++
    try {
      const clientPid = this.clientPids.get(socket)
      const caller = { actor: 'agent-client' as const, ...(clientPid ? { clientPid } : {}) }
      const reply = await asCaller(caller, () => this.run(request))
      this.send(socket, { v: V, id: request.id, ...reply })
    } finally {
      this.inflight--
      this.maybeFinished()
    }
  }

  private async run(
    request: Exclude<AgentRequest, { method: 'hello' }>,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: ErrorInfo }> {
    try {
      switch (request.method) {
        case 'call':
          if (CHANNELS_NOT_SERVED.has(request.channel))
            return refuse(`${request.channel} only works in the app's own window.`)
          return await this.opts.api.call(request.channel, request.input)
        case 'accessToken':
          return { ok: true, value: await this.opts.api.accessToken(request.clusterId) }
        case 's3Credential':
          return {
            ok: true,
            value: await this.opts.api.s3Credential(request.clusterId, request.tokenId),
          }
        case 'settle':
          await this.opts.api.settle(request.clusterIds)
          return { ok: true, value: null }
        case 'handover':
          if (this.opts.role === 'app')
            return refuse('The Tokendeck app owns these sessions; quit the app to stop it.')
          queueMicrotask(() => this.opts.onHandover?.())
          return { ok: true, value: null }
      }
    } catch (e) {
      if (isTokendeckError(e)) return { ok: false, error: e.toInfo() }
      this.opts.onUnexpected?.(e)
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: 'Tokendeck hit an internal error; the action did not complete.',
        },
      }
    }
  }

  private send(socket: net.Socket, frame: AgentResponse): void {
    if (!socket.destroyed && !socket.writableEnded) socket.write(`${JSON.stringify(frame)}\n`)
  }

  private maybeFinished(): void {
    if (!this.draining || this.inflight > 0) return
    // Every started request has been answered: the goodbye tells each client that whatever it
    // still waits for was never run (protocol.ts).
    for (const s of this.sockets) {
      this.send(s, { v: V, id: GOODBYE_ID, closing: true })
      s.end()
    }
    const done = this.drained
    this.drained = undefined
    done?.()
  }
}

function refuse(message: string): { ok: false; error: ErrorInfo } {
  return { ok: false, error: { code: 'INVALID_INPUT', message } }
}
