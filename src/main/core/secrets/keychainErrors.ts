/**
 * Turns whatever the OS keychain (through keytar) threw into KEYCHAIN_UNAVAILABLE with words that
 * tell the user what to install, start or unlock. Pure: no keytar here, so it is testable with
 * the exact strings each platform produces. There is never a plaintext fallback; the way out the
 * user is offered is the visible "This session only" mode (memoryStore.ts, switchableStore.ts), or
 * `tokendeck agent --session-only`, and every message says so.
 */
import { TokendeckError } from '../../../shared/errors'
import { TimeoutError } from './withTimeout'

export type KeychainFailure =
  | 'no-library'
  | 'no-secret-service'
  | 'no-session-bus'
  | 'no-keyring'
  | 'locked'
  | 'denied'
  | 'timeout'
  | 'changed-concurrently'
  | 'unknown'

// Order matters: the first match wins.
const PATTERNS: ReadonlyArray<[KeychainFailure, RegExp]> = [
  // Another process deleted or replaced an entry between libsecret's search and its next call
  // (reproduced with concurrent processes on gnome-keyring): the path names an ITEM,
  //   Object does not exist at path “/org/freedesktop/secrets/collection/login/510”
  //   No such interface “org.freedesktop.Secret.Item” on object at path /org/freedesktop/secrets/collection/login/496
  // Not a locked keychain; the store retries the call.
  [
    'changed-concurrently',
    /(does not exist at path|No such interface\s*\S?org\.freedesktop\.Secret\.Item\S?\s*on object at path)\s*\S?\/org\/freedesktop\/secrets\/collection\/[^/\s”"]+\/[^\s”"]+|No such secret item/i,
  ],
  // The path names a COLLECTION (or the default alias): there is no keyring to write to, e.g. a
  // fresh gnome-keyring whose "create a login keyring" prompt could not be shown.
  [
    'no-keyring',
    /does not exist at path\s*\S?\/org\/freedesktop\/secrets\/(collection|aliases)\/|No such secret collection/i,
  ],
  // A missing library's message also says "No such file or directory".
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
  // A policy, a sandbox or the user said no: D-Bus "org.freedesktop.DBus.Error.AccessDenied",
  // Windows "Access is denied.", KeePassXC refusing a client.
  ['denied', /AccessDenied|Access (is |was )?denied|not authori[sz]ed|Permission denied/i],
  // Locked collections; dismissed unlock prompts (libsecret "Prompt dismissed", macOS "User
  // canceled the operation."); a locked macOS keychain with no UI ("User interaction is not allowed.").
  ['locked', /locked|dismiss|cancel|prompt|not allowed|passphrase|unlock/i],
]

export function classifyKeychainFailure(error: unknown): KeychainFailure {
  if (error instanceof TimeoutError) return 'timeout'
  const message = error instanceof Error ? error.message : String(error)
  return PATTERNS.find(([, re]) => re.test(message))?.[0] ?? 'unknown'
}

/** The way out offered with every keychain failure: secrets in memory, never on disk. */
export const SESSION_ONLY_HINT =
  'or run `tokendeck agent --session-only` / choose "This session only" in the app to keep secrets in memory until it quits'

function fixIt(kind: KeychainFailure, timeoutMs: number | undefined): string {
  switch (kind) {
    case 'no-library':
      return 'The keychain library could not be loaded. On Linux install libsecret (Debian/Ubuntu: `sudo apt install libsecret-1-0`; Fedora: `sudo dnf install libsecret`) and restart Tokendeck'
    case 'no-secret-service':
      return 'No Secret Service keychain is running. Install and start one, e.g. GNOME Keyring (`sudo apt install gnome-keyring`) or KeePassXC with Settings → Secret Service Integration enabled, then try again'
    case 'no-session-bus':
      return 'There is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset or points nowhere), so no keychain can be reached. Start Tokendeck from your desktop session, or under `dbus-run-session` with a Secret Service such as gnome-keyring or KeePassXC running'
    case 'no-keyring':
      return 'The keychain has no default keyring to keep secrets in (GNOME Keyring calls it "login"), and the prompt to create one could not be shown or was dismissed. Create and unlock one (e.g. in Seahorse, "Passwords and Keys"), then try again'
    case 'locked':
      return 'The keychain is locked or its unlock prompt was dismissed. Unlock your login keyring (macOS: login keychain) when asked, then try again'
    case 'denied':
      return "The keychain denied Tokendeck access (an access prompt was refused, or a policy or sandbox forbids it). Allow Tokendeck when the keychain asks (KeePassXC: Settings → Secret Service Integration; macOS: the item's Access Control in Keychain Access), then try again"
    case 'timeout':
      return `The keychain did not answer within ${Math.round((timeoutMs ?? 0) / 1000)} s. If an unlock prompt is open, answer it; otherwise check that your keychain (GNOME Keyring, KeePassXC, macOS Keychain, Windows Credential Manager) is running, then try again`
    case 'changed-concurrently':
      return 'Another process changed the same keychain entry at that very moment, several times in a row. Try again'
    case 'unknown':
      return 'The system keychain refused the request. Check that it is running and unlocked, then try again'
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
  const osMessage = redact(
    error instanceof Error ? error.message : String(error),
    ctx.secrets ?? [],
  )
  const said = kind === 'timeout' ? '' : ` (The system said: "${osMessage}".)`
  const message = `Tokendeck could not ${ctx.action} in the system keychain. ${fixIt(kind, ctx.timeoutMs)}, ${SESSION_ONLY_HINT}.${said}`
  // The cause keeps the OS error for logs, scrubbed the same way (a log must not get the value either).
  const cause = new Error(osMessage)
  cause.name = error instanceof Error ? error.name : 'Error'
  return new TokendeckError('KEYCHAIN_UNAVAILABLE', message, { cause })
}
