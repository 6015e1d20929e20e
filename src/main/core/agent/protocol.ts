/**
 * The agent protocol between a session owner (the app, `tokendeck agent`, or a CLI that owns for
 * its lifetime) and its clients (other CLI processes, and the tools of `exec` /
 * `credential_process`): one JSON object per line, both ways, every frame checked with zod.
 *
 * It is the IPC contract again (`call` carries a contract channel, validated by the owner's
 * dispatcher on the way in and by the client against the contract on the way out) plus what a
 * terminal needs and a window must never get: the access token itself (`accessToken`).
 * Errors are data (`ErrorInfo`), never a stack.
 *
 * `closing` answers a request the owner did NOT start because it is shutting down: the client
 * may send it again to the next owner, even a sign-in, as no password was used. `closing` with
 * id 0 (GOODBYE_ID, never a request's) is the owner's last frame on a connection: every request
 * it started has been answered before it, so any still unanswered was not run — a request the
 * client wrote while the owner was finishing would otherwise be lost without knowing whether it
 * ran (two terminals: one owner's command ends as the other's request arrives).
 */
import { z } from 'zod'
import { AccessKeyId, ClusterId, ErrorInfo, S3KeyHandle } from '../../../shared/model'

/** 2: kept S3 keys are named by their handle (s3Credential.tokenId), no longer by access key id. */
export const AGENT_PROTOCOL_VERSION = 2
/** One frame; a contract input is at most a few KB, a token list a few hundred. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024

export const OwnerRole = z.enum(['app', 'agent', 'cli'])
export type OwnerRole = z.infer<typeof OwnerRole>

/** The id of the owner's goodbye frame (`closing`): request ids start at 1. */
export const GOODBYE_ID = 0

const v = z.literal(AGENT_PROTOCOL_VERSION)
const id = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

export const AgentRequest = z.discriminatedUnion('method', [
  z.strictObject({ v, id, method: z.literal('hello'), role: OwnerRole, pid: z.number().int() }),
  z.strictObject({
    v,
    id,
    method: z.literal('call'),
    channel: z.string().max(64),
    // Absent for channels without input (JSON has no `undefined`).
    input: z.unknown().optional(),
  }),
  z.strictObject({ v, id, method: z.literal('accessToken'), clusterId: ClusterId }),
  /**
   * A kept S3 key for a terminal's tool (credential_process, exec); never for a window. Named by
   * its handle: the access key id (on Swarm the token itself, docs/protocols/swarm.md §2.1) is
   * only ever in the reply, to the one caller that asked for the key.
   */
  z.strictObject({
    v,
    id,
    method: z.literal('s3Credential'),
    clusterId: ClusterId,
    tokenId: S3KeyHandle,
  }),
  z.strictObject({
    v,
    id,
    method: z.literal('settle'),
    clusterIds: z.array(ClusterId).max(10_000),
  }),
  /** Please stop owning once what is running is done (the app asks `tokendeck agent`). */
  z.strictObject({ v, id, method: z.literal('handover') }),
])
export type AgentRequest = z.infer<typeof AgentRequest>
export type AgentMethod = AgentRequest['method']

export const AgentResponse = z.union([
  z.strictObject({ v, id, ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ v, id, ok: z.literal(false), error: ErrorInfo }),
  z.strictObject({ v, id, closing: z.literal(true) }),
])
export type AgentResponse = z.infer<typeof AgentResponse>

export const Hello = z.strictObject({
  protocol: z.number().int(),
  role: OwnerRole,
  pid: z.number().int(),
  version: z.string().max(64),
})
export type Hello = z.infer<typeof Hello>

export const AccessTokenReply = z.strictObject({
  token: z
    .string()
    .min(1)
    .max(64 * 1024),
  expiresAt: z.number().optional(),
})
export type AccessTokenReply = z.infer<typeof AccessTokenReply>

export const S3CredentialReply = z.strictObject({
  accessKeyId: AccessKeyId,
  secretAccessKey: z
    .string()
    .min(1)
    .max(64 * 1024),
  expiresAt: z.number().optional(),
})
export type S3CredentialReply = z.infer<typeof S3CredentialReply>

/**
 * Splits a byte stream into lines, refusing a line longer than MAX_FRAME_BYTES (a peer that
 * sends an endless line would otherwise fill memory).
 */
export class LineReader {
  private buffer = ''

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onTooLong: () => void,
  ) {}

  push(chunk: string): void {
    this.buffer += chunk
    let nl: number
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl)
      this.buffer = this.buffer.slice(nl + 1)
      if (line.trim()) this.onLine(line)
    }
    if (this.buffer.length > MAX_FRAME_BYTES) {
      this.buffer = ''
      this.onTooLong()
    }
  }
}

/** Channels a client may not call through the agent: they act on the owner's own desktop. */
export const CHANNELS_NOT_SERVED = new Set([
  'app:useSessionOnlySecrets',
  'clipboard:copyShownSecret',
  'session:copyAccessToken',
  'session:copyAs',
])
