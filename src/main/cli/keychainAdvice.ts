/**
 * The CLI's own words for a keychain that cannot be used. The core's KEYCHAIN_UNAVAILABLE
 * messages end with the way out for every front end, including the app's "This session only"
 * button, which a terminal does not have; here that part becomes what the CLI really offers.
 */
import { SESSION_ONLY_HINT } from '../core/secrets'

export const CLI_SESSION_ONLY_HINT =
  'or keep secrets in memory only: start `tokendeck agent --session-only` (in another terminal, or in the background with `&`) and run your tokendeck commands while it runs; it forgets them when it stops'

/** `message` as the CLI should print it (only KEYCHAIN_UNAVAILABLE messages change). */
export function inCliTerms(code: string, message: string): string {
  if (code !== 'KEYCHAIN_UNAVAILABLE') return message
  return message.split(SESSION_ONLY_HINT).join(CLI_SESSION_ONLY_HINT)
}
