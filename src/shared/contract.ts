/**
 * Every IPC channel and event, written once. Main validates each input against `input` (a
 * compromised renderer is just bad input) and each output against `output` (strict objects, so a
 * field that is not in the contract — a secret, say — cannot slip through). Preload and renderer
 * derive their types from here.
 */
import { z } from 'zod'
import { ClusterView, ErrorInfo, SessionState } from './model'

/** Longest string the renderer may send in any field: generous for URLs and PEM paths, small for abuse. */
export const MAX_INPUT_STRING = 4096

export const AppInfo = z.strictObject({
  name: z.string(),
  version: z.string(),
  /** 'demo' when running on the simulated clusters' profile. */
  profile: z.enum(['default', 'demo']),
  /** 'keychain' normally; 'session-only' when the user chose to keep secrets in memory. */
  secretStorage: z.enum(['keychain', 'session-only']),
  platform: z.string(),
})
export type AppInfo = z.infer<typeof AppInfo>

const NoInput = z.undefined()

export const channels = {
  'app:info': { input: NoInput, output: AppInfo },
  'clusters:list': { input: NoInput, output: z.array(ClusterView) },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>

export type Channels = typeof channels
export type ChannelName = keyof Channels
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>
export type ChannelOutput<C extends ChannelName> = z.output<Channels[C]['output']>

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[]

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name)
}

/** Every reply crosses the boundary as data: errors carry a code and words, never a stack. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

/** Events main pushes to the renderer. */
export const events = {
  'session:changed': z.strictObject({ clusterId: z.string(), session: SessionState }),
  'clusters:changed': z.strictObject({}),
} as const satisfies Record<string, z.ZodType>
export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>
export type TokendeckEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName]

/** The IPC channel name main uses to push events. */
export const EVENT_CHANNEL = 'tokendeck:event'

/** What `window.tokendeck` is, in the app (preload) and in the browser tests (bridge) alike. */
export interface TokendeckApi {
  invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>
  /** Subscribe to main's events; returns the unsubscribe function. */
  onEvent(listener: (event: TokendeckEvent) => void): () => void
}
