/**
 * Which pages are the app's own: the only ones that may be navigated to and the only senders
 * IPC answers. Pure (no Electron import) so the rule is tested as data.
 */
export const APP_ORIGIN = 'app://tokendeck'

/**
 * Origins are compared parsed, never as string prefixes: "http://localhost:5173" must not admit
 * "http://localhost:5173.evil.example".
 */
export function appUrlCheck(devServerUrl?: string): (url: string) => boolean {
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : undefined
  return (raw) => {
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      return false
    }
    if (devOrigin !== undefined && url.origin === devOrigin) return true
    return (
      url.protocol === 'app:' &&
      url.host === 'tokendeck' &&
      url.username === '' &&
      url.password === ''
    )
  }
}

/** IPC answers only the app's own top-level page: never a subframe, never another origin. */
export function isTrustedSender(
  frame: { url: string; isTopFrame: boolean } | null,
  isAppUrl: (url: string) => boolean,
): boolean {
  return frame !== null && frame.isTopFrame && isAppUrl(frame.url)
}
