/**
 * Entry point of `tokendeck`, the command-line companion of Tokendeck (run via bin/tokendeck.mjs
 * or `npm run tokendeck --`). It starts the same core as the app, without Electron and without
 * background refresh, runs one command and exits.
 *
 * Exit codes (also in `tokendeck --help`; defined in exitCodes.ts):
 *   0 ok · 1 other failure · 2 usage / invalid input / unknown cluster · 3 authentication
 *   (BAD_CREDENTIALS, ACCOUNT_LOCKED, PASSWORD_CHANGE_REQUIRED, FORBIDDEN, REFRESH_EXPIRED,
 *   NOT_SIGNED_IN) · 4 network or TLS (UNREACHABLE, TIMEOUT, SERVER_ERROR, BAD_RESPONSE,
 *   TLS_PIN_MISMATCH, TLS_UNTRUSTED) · 5 keychain or config (KEYCHAIN_UNAVAILABLE, CONFIG_CORRUPT)
 *
 * Errors: `tokendeck: <message>` on stderr; with --json, stdout also carries one JSON value
 * `{"error":{"code","message"}}` in place of the result. Never a stack trace, never a secret.
 */
import { main } from './program'

function fail(): void {
  // Whatever it was, its details may hold anything: say only that it happened.
  process.stderr.write('tokendeck: internal error; the command did not complete.\n')
  process.exit(1)
}
process.on('uncaughtException', fail)
process.on('unhandledRejection', fail)
// `tokendeck tokens list prod | head`: a closed pipe is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1))

const code = await main(process.argv)
process.exitCode = code
// Everything is closed by now; should a native call (keychain) still hold the loop, don't hang.
setTimeout(() => process.exit(code), 2000).unref()
