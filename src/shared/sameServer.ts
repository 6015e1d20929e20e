/**
 * Whether two cluster URLs name the same server: scheme, host, port and path (a trailing slash
 * aside). `tokendeck clusters add` and the app's add dialog warn with it when a second entry
 * signs in to the same server as the same user (they share the account and its lockout).
 */
export function sameServer(a: string, b: string): boolean {
  try {
    const x = new URL(a)
    const y = new URL(b)
    return (
      x.origin === y.origin && x.pathname.replace(/\/+$/, '') === y.pathname.replace(/\/+$/, '')
    )
  } catch {
    return false
  }
}
