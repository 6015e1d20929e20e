/**
 * The renderer's only door to main. `window.tokendeck` is put there by the preload in the app
 * and by the test bridge in the browser tests; both follow TokendeckApi from the contract.
 */
import type {
  ChannelInput,
  ChannelName,
  ChannelOutput,
  TokendeckApi,
  TokendeckEvent,
} from '../../shared/contract'
import type { ErrorInfo } from '../../shared/model'

declare global {
  interface Window {
    tokendeck?: TokendeckApi
  }
}

/** A failed call, as the UI shows it: the code picks the wording, the message is already for humans. */
export class ApiError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message)
    this.name = 'ApiError'
  }
}

/** What failed, as ErrorInfo: the main process's own, or an INTERNAL one for anything else. */
export function errorInfoOf(e: unknown): ErrorInfo {
  return e instanceof ApiError
    ? e.info
    : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) }
}

function bridge(): TokendeckApi {
  if (!window.tokendeck)
    throw new Error('Tokendeck bridge missing: the page was opened outside the app')
  return window.tokendeck
}

export async function call<C extends ChannelName>(
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const result = await bridge().invoke(channel, input)
  if (!result.ok) throw new ApiError(result.error)
  return result.value
}

export function onEvent(listener: (event: TokendeckEvent) => void): () => void {
  return bridge().onEvent(listener)
}
