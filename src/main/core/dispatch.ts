/**
 * Turns a table of typed handlers into one `invoke(channel, input)` that is safe to expose to a
 * renderer: unknown channels, unknown fields, oversize strings and prototype-pollution keys are
 * rejected before any handler runs; outputs are checked against the contract so nothing outside
 * it (a secret, a stack) can leave; every failure comes back as data. Input that breaks the
 * contract is described in the user's terms (describeIssues 'user-input'): the field as they know
 * it and what is wrong in their units, never the channel name or a rejected value.
 */
import {
  channels,
  isChannelName,
  MAX_INPUT_STRING,
  type ChannelInput,
  type ChannelName,
  type ChannelOutput,
  type Result,
} from '../../shared/contract'
import { TokendeckError, isTokendeckError } from '../../shared/errors'
import type { ErrorInfo } from '../../shared/model'
import { describeIssues } from '../../shared/validation/describeIssues'

export type HandlerImplementations = {
  [C in ChannelName]: (input: ChannelInput<C>) => Promise<ChannelOutput<C>> | ChannelOutput<C>
}

export interface Dispatcher {
  invoke(channel: unknown, input: unknown): Promise<Result<unknown>>
}

export interface DispatchOptions {
  /** Where unexpected (non-TokendeckError) failures are reported; never receives the input. */
  onUnexpected?: (channel: string, error: unknown) => void
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
const MAX_DEPTH = 8
const MAX_KEYS = 256

/** Structural limits the schemas cannot express cheaply; throws INVALID_INPUT naming the path. */
export function checkInputShape(value: unknown, path = 'input', depth = 0): void {
  if (depth > MAX_DEPTH) throw invalid(`${path} is nested too deeply`)
  if (typeof value === 'string') {
    if (value.length > MAX_INPUT_STRING)
      throw invalid(`${path} is longer than ${MAX_INPUT_STRING} characters`)
    return
  }
  if (value === null || typeof value !== 'object') return
  const keys = Object.keys(value)
  if (keys.length > MAX_KEYS) throw invalid(`${path} has too many entries`)
  for (const key of keys) {
    if (FORBIDDEN_KEYS.has(key)) throw invalid(`${path} contains the forbidden key "${key}"`)
    checkInputShape((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1)
  }
}

function invalid(message: string): TokendeckError {
  return new TokendeckError('INVALID_INPUT', message)
}

export function createDispatcher(
  impl: HandlerImplementations,
  options: DispatchOptions = {},
): Dispatcher {
  return {
    async invoke(channel, input): Promise<Result<unknown>> {
      try {
        if (!isChannelName(channel)) throw invalid('unknown channel')
        checkInputShape(input)
        const spec = channels[channel]
        const parsed = spec.input.safeParse(input)
        if (!parsed.success) throw invalid(describeIssues(parsed.error.issues, 'user-input'))
        const handler = impl[channel] as (i: unknown) => Promise<unknown> | unknown
        const output = await handler(parsed.data)
        const checked = spec.output.safeParse(output)
        if (!checked.success) {
          // A handler returned something the contract does not allow: refuse to send it.
          options.onUnexpected?.(
            channel,
            new Error(
              `output of ${channel} broke the contract: ${describeIssues(checked.error.issues, 'server-reply')}`,
            ),
          )
          throw new TokendeckError(
            'INTERNAL',
            'Tokendeck hit an internal error; the action did not complete.',
          )
        }
        return { ok: true, value: checked.data }
      } catch (err) {
        return { ok: false, error: toErrorInfo(String(channel).slice(0, 64), err, options) }
      }
    },
  }
}

function toErrorInfo(channel: string, err: unknown, options: DispatchOptions): ErrorInfo {
  if (isTokendeckError(err)) return err.toInfo()
  options.onUnexpected?.(channel, err)
  return {
    code: 'INTERNAL',
    message: 'Tokendeck hit an internal error; the action did not complete.',
  }
}
