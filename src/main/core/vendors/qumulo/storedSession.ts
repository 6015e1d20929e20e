/**
 * The form a Qumulo session takes in the keychain: the bearer token and when the session dies,
 * so another process resuming it (the CLI, the app after a restart) still knows when.
 */
/**
 * What Tokendeck keeps of a Qumulo session: the session bearer token and when it dies (docs/protocols/qumulo.md §2.1:
 * 10 h after sign-in; Qumulo offers no call that says). The bearer is the part after the last
 * prefix field, sent as is; the keychain holds the whole value like any other credential.
 * Values stored before this form (a bare bearer) still resume, with the expiry unknown.
 */
const STORED_SESSION = /^tokendeck-qumulo-session:v1:(\d{1,16}):(.+)$/s

export function encodeStoredSession(bearer: string, expiresAt: number): string {
  return `tokendeck-qumulo-session:v1:${Math.max(0, Math.round(expiresAt))}:${bearer}`
}

export function decodeStoredSession(stored: string): { bearer: string; expiresAt?: number } {
  const m = STORED_SESSION.exec(stored)
  if (!m) return { bearer: stored }
  const expiresAt = Number(m[1])
  return { bearer: m[2]!, ...(Number.isSafeInteger(expiresAt) ? { expiresAt } : {}) }
}
