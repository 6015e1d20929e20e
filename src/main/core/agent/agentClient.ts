/**
 * A client's side of the agent socket: sends requests, matches answers by id, validates every
 * frame. When the owner goes away, pending requests fail with `OwnerGone`, which says whether the
 * owner could have started them (it answered `closing`: certainly not; the connection dropped:
 * unknown), so the caller decides whether sending again is safe. A sign-in is never sent twice
 * unless the owner said it did not start it.
 */
import type net from 'node:net'
import { channels, isChannelName, type Result } from '../../../shared/contract'
import { TokendeckError } from '../../../shared/errors'
import type { OwnerApi } from './ownerApi'
import {
  AccessTokenReply,
  AGENT_PROTOCOL_VERSION,
  AgentResponse,
  GOODBYE_ID,
  Hello,
  LineReader,
  S3CredentialReply,
  type AgentRequest,
  type OwnerRole,
} from './protocol'

/** The owner stopped before answering. `started: false` means it certainly did not run it. */
export class OwnerGone extends Error {
  constructor(readonly started: boolean | 'unknown') {
    super(started === false ? 'the owner is closing' : 'the owner went away')
    this.name = 'OwnerGone'
  }
}

type Pending = { resolve: (r: AgentResponse) => void; reject: (e: Error) => void }

export class AgentClient implements OwnerApi {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private closedError: OwnerGone | undefined
  /** Resolves when the connection is closed (the owner finished draining or died). */
  readonly closed: Promise<void>
  hello: Hello | undefined

  constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8')
    const reader = new LineReader(
      (line) => this.receive(line),
      () => socket.destroy(),
    )
    socket.on('data', (chunk: string) => reader.push(chunk))
    socket.on('error', () => undefined)
    this.closed = new Promise((resolve) => {
      // The owner may have closed this connection before we got it (it connected while the
      // owner was finishing): then no 'close' event is coming, and nothing was sent on it yet.
      if (socket.destroyed) {
        this.closedError = new OwnerGone(false)
        resolve()
        return
      }
      socket.once('close', () => {
        // After the owner's goodbye nothing unanswered was run; without it, it may have been.
        this.closedError ??= new OwnerGone('unknown')
        for (const p of this.pending.values()) p.reject(this.closedError)
        this.pending.clear()
        resolve()
      })
    })
  }

  /** Exchange hellos: who owns, and do we speak the same protocol. */
  async handshake(role: OwnerRole): Promise<Hello> {
    const reply = await this.request({ method: 'hello', role, pid: process.pid })
    const hello = Hello.safeParse(reply)
    if (!hello.success || hello.data.protocol !== AGENT_PROTOCOL_VERSION) {
      this.close()
      throw new TokendeckError(
        'INTERNAL',
        'The Tokendeck that owns your sessions speaks another agent protocol; use the same version of Tokendeck for the app and the command line.',
      )
    }
    this.hello = hello.data
    return hello.data
  }

  async call(channel: string, input: unknown): Promise<Result<unknown>> {
    if (!isChannelName(channel))
      throw new TokendeckError('INVALID_INPUT', `Unknown operation "${channel.slice(0, 64)}".`)
    const frame = await this.frame({ method: 'call', channel, input })
    if (!frame.ok) return { ok: false, error: frame.error }
    // Validated on the way out by the owner, and again here: a client trusts no frame.
    const checked = channels[channel].output.safeParse(frame.value)
    if (!checked.success) throw badFrame()
    return { ok: true, value: checked.data }
  }

  async accessToken(clusterId: string) {
    const parsed = AccessTokenReply.safeParse(
      await this.request({ method: 'accessToken', clusterId }),
    )
    if (!parsed.success) throw badFrame()
    return parsed.data
  }

  async s3Credential(clusterId: string, tokenId: string) {
    const parsed = S3CredentialReply.safeParse(
      await this.request({ method: 's3Credential', clusterId, tokenId }),
    )
    if (!parsed.success) throw badFrame()
    return parsed.data
  }

  async settle(clusterIds: string[]): Promise<void> {
    await this.request({ method: 'settle', clusterIds })
  }

  /** Ask the owner to stop owning once its work is done; resolves when it has closed. */
  async handover(): Promise<void> {
    await this.request({ method: 'handover' })
    await this.closed
  }

  close(): void {
    this.socket.end()
  }

  /** A request whose failure becomes a TokendeckError; its value is the caller's to check. */
  private async request(body: DistributiveOmit<AgentRequest, 'v' | 'id'>): Promise<unknown> {
    const frame = await this.frame(body)
    if (!frame.ok) {
      const { code, message, retryAt, seenSha256 } = frame.error
      throw new TokendeckError(code, message, {
        ...(retryAt !== undefined ? { retryAt } : {}),
        ...(seenSha256 !== undefined ? { seenSha256 } : {}),
      })
    }
    return frame.value
  }

  private frame(
    body: DistributiveOmit<AgentRequest, 'v' | 'id'>,
  ): Promise<Extract<AgentResponse, { ok: boolean }>> {
    if (this.closedError || this.socket.destroyed) return Promise.reject(new OwnerGone(false))
    const id = this.nextId++
    return new Promise<AgentResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.socket.write(`${JSON.stringify({ v: AGENT_PROTOCOL_VERSION, id, ...body })}\n`)
    }).then((frame) => {
      if ('closing' in frame) throw new OwnerGone(false)
      return frame
    })
  }

  private receive(line: string): void {
    let frame: AgentResponse
    try {
      const parsed = AgentResponse.safeParse(JSON.parse(line))
      if (!parsed.success) throw badFrame()
      frame = parsed.data
    } catch {
      this.socket.destroy()
      return
    }
    if (frame.id === GOODBYE_ID && 'closing' in frame) {
      this.closedError = new OwnerGone(false)
      for (const p of this.pending.values()) p.reject(this.closedError)
      this.pending.clear()
      return
    }
    const p = this.pending.get(frame.id)
    if (!p) return
    this.pending.delete(frame.id)
    p.resolve(frame)
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

function badFrame(): TokendeckError {
  return new TokendeckError(
    'INTERNAL',
    'The Tokendeck that owns your sessions sent an answer this version does not understand.',
  )
}
