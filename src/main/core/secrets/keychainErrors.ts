/**
 * Turns whatever the OS keychain (through keytar) threw into KEYCHAIN_UNAVAILABLE with words that
 * tell the user what to install, start or unlock. Pure: no keytar here, so it is testable with
 * the exact strings each platform produces. There is never a plaintext fallback; the way out the
 * user is offered is the visible "this session only" mode (memoryStore.ts).
 */
import { TokendeckError } from '../../../shared/errors'
import { TimeoutError } from './withTimeout'

export type KeychainFailure =
  'no-library' | 'no-secret-service' | 'no-session-bus' | 'locked' | 'timeout' | 'unknown'

// Order matters: a missing library's message also says "No such file or directory".
const PATTERNS: ReadonlyArray<[KeychainFailure, RegExp]> = [
  [
    'no-library',
    /cannot open shared object|libsecret|keytar\.node|Cannot find module|was compiled against a different Node/i,
  ],
  // Bus up, nobody owns the name: "The name org.freedesktop.secrets was not provided by any .service files"
  ['no-secret-service', /org\.freedesktop\.secrets|ServiceUnknown|NameHasNoOwner/i],
  // "Cannot autolaunch D-Bus without X11 $DISPLAY" (no DBUS_SESSION_BUS_ADDRESS);
  // "Could not connect: No such file or directory" / "Connection refused" (address points nowhere)
  [
    'no-session-bus',
    /autolaunch|DBUS_SESSION_BUS_ADDRESS|Could not connect|Failed to connect|Connection refused|No such file or directory|\$DISPLAY/i,
  ],
  // gnome-keyring with no login collection and no prompt it could show; locked collections;
  // dismissed prompts (libsecret, macOS "User canceled the operation", "User interaction is not allowed").
  [
    'locked',
    /locked|dismiss|cancel|prompt|denied|not allowed|Object does not exist at path|No such secret (collection|item)|passphrase|authoriz/i,
  ],
]

export function classifyKeychainFailure(error: unknown): KeychainFailure {
  if (error instanceof TimeoutError) return 'timeout'
  const message = error instanceof Error ? error.message : String(error)
  return PATTERNS.find(([, re]) => re.test(message))?.[0] ?? 'unknown'
}

const SESSION_ONLY =
  'Or choose "This session only" to keep secrets in memory until Tokendeck quits (nothing is written to disk).'

function fixIt(kind: KeychainFailure, timeoutMs: number | undefined): string {
  switch (kind) {
    case 'no-library':
      return 'The keychain library could not be loaded. On Linux install libsecret (Debian/Ubuntu: `sudo apt install libsecret-1-0`; Fedora: `sudo dnf install libsecret`) and restart Tokendeck.'
    case 'no-secret-service':
      return 'No Secret Service keychain is running. Install and start one, e.g. GNOME Keyring (`sudo apt install gnome-keyring`) or KeePassXC with Settings → Secret Service Integration enabled, then try again.'
    case 'no-session-bus':
      return 'There is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset or points nowhere), so no keychain can be reached. Start Tokendeck from your desktop session, or under `dbus-run-session` with a Secret Service such as gnome-keyring or KeePassXC running.'
    case 'locked':
      return 'The keychain is locked or its unlock prompt was dismissed. Unlock your login keyring (macOS: login keychain) when asked, then try again.'
    case 'timeout':
      return `The keychain did not answer within ${Math.round((timeoutMs ?? 0) / 1000)} s. If an unlock prompt is open, answer it; otherwise check that your keychain (GNOME Keyring, KeePassXC, macOS Keychain, Windows Credential Manager) is running, then try again.`
    case 'unknown':
      return 'The system keychain refused the request. Check that it is running and unlocked, then try again.'
  }
}

/** Removes every occurrence of the given secret values (and trims) from an OS message. */
function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('[redacted]')
  return out.length > 300 ? `${out.slice(0, 300)}…` : out
}

export interface FailureContext {
  /** What we were doing, for the user: "read a secret", "store a secret"… */
  action: string
  timeoutMs?: number
  /** Values involved in the call; scrubbed from the OS message before it is quoted. */
  secrets?: readonly string[]
}

export function keychainUnavailable(error: unknown, ctx: FailureContext): TokendeckError {
  if (error instanceof TokendeckError) return error
  const kind = classifyKeychainFailure(error)
  const said =
    kind === 'timeout'
      ? ''
      : ` (The system said: "${redact(error instanceof Error ? error.message : String(error), ctx.secrets ?? [])}".)`
  const message = `Tokendeck could not ${ctx.action} in the system keychain. ${fixIt(kind, ctx.timeoutMs)}${said} ${SESSION_ONLY}`
  // The cause is the OS error itself (keytar's messages name no value), kept for logs.
  return new TokendeckError('KEYCHAIN_UNAVAILABLE', message, { cause: error })
}
