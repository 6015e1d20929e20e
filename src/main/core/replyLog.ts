/**
 * Every reply's outcome in the log, with the user-facing message of failures: what the renderer
 * saw. Successes at debug level, failures at info; never an input or an output (log.ts keeps
 * secrets out, and a channel name is cut to 64 characters).
 */
import type { Dispatcher } from './dispatch'
import type { Logger } from './log'

export function withReplyLog(dispatcher: Dispatcher, log: Logger): Dispatcher {
  return {
    async invoke(channel: unknown, input: unknown) {
      const result = await dispatcher.invoke(channel, input)
      const name = typeof channel === 'string' ? channel.slice(0, 64) : typeof channel
      if (result.ok) log.debug('ipc', { channel: name, ok: true })
      else
        log.info('ipc', {
          channel: name,
          ok: false,
          code: result.error.code,
          error: result.error.message,
        })
      return result
    },
  }
}
