import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract'
import { ApiError, call } from '../api'
import { errorWords } from '../format'

export interface CallResult<T> {
  /** The reply for the current input (see `keepPrevious`); kept while a reload runs or fails. */
  data: T | undefined
  /** Why the latest call for the current input failed, in the user's words. */
  error: string | undefined
  /** A call for the current input is under way, or none has answered yet. */
  loading: boolean
  /** Calls again with the current input; settles when the reply is in (or was dropped). */
  reload: () => Promise<void>
}

export interface CallOptions {
  /** False: no call (e.g. tokens of a cluster not signed in); what was read stays. Default true. */
  enabled?: boolean
  /**
   * Show the previous input's reply until the new one is in (a filter being changed), instead of
   * nothing. Either way a reply to an older input is never applied.
   */
  keepPrevious?: boolean
}

interface State<T> {
  /** The input (as JSON) the data and error answer. */
  key: string | undefined
  data: T | undefined
  error: string | undefined
  /** A reload was asked for and its reply is not in yet. */
  inFlight: boolean
}

/**
 * One channel read through the typed contract: loading, error, data and reload, for any view
 * that shows what a call returns. Only the reply to the newest call is applied: a slow reply
 * for an earlier input (another filter, another cluster) or after the component has gone is
 * dropped, so it can never show over the page that replaced it.
 */
export function useCall<C extends ChannelName>(
  channel: C,
  input: ChannelInput<C>,
  options: CallOptions = {},
): CallResult<ChannelOutput<C>> {
  const enabled = options.enabled ?? true
  const key = JSON.stringify([channel, input ?? null])
  // Inputs are usually fresh object literals: the call follows their content, not their identity.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stableInput = useMemo(() => input, [key])
  const [state, setState] = useState<State<ChannelOutput<C>>>({
    key: undefined,
    data: undefined,
    error: undefined,
    inFlight: false,
  })
  /** Numbers each call; a reply is applied only if no call was started (or unmount seen) since. */
  const latest = useRef(0)

  useEffect(
    () => () => {
      latest.current++
    },
    [],
  )

  const keepPrevious = options.keepPrevious ?? false
  const run = useCallback(() => {
    const id = ++latest.current
    return call(channel, stableInput).then(
      (data) => {
        if (id === latest.current) setState({ key, data, error: undefined, inFlight: false })
      },
      (e: unknown) => {
        if (id !== latest.current) return
        const error = e instanceof ApiError ? errorWords(e.info) : String(e)
        setState((s) => ({
          key,
          data: s.key === key || keepPrevious ? s.data : undefined,
          error,
          inFlight: false,
        }))
      },
    )
  }, [channel, stableInput, key, keepPrevious])

  // A new input needs no "in flight" mark: no reply for it yet already says loading.
  useEffect(() => {
    if (enabled) void run()
  }, [enabled, run])

  const reload = useCallback(() => {
    setState((s) => (s.inFlight ? s : { ...s, inFlight: true }))
    return run()
  }, [run])

  const current = state.key === key
  return {
    data: current || keepPrevious ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: enabled && (state.inFlight || !current),
    reload,
  }
}
