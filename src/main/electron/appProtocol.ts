/**
 * The renderer is served from `app://tokendeck/` rather than file://, so it has a real origin the
 * IPC sender check can pin, and every response carries the Content-Security-Policy header.
 */
import { net, protocol } from 'electron'
import { join, normalize, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'

export const APP_SCHEME = 'app'
export { APP_ORIGIN } from './appUrl'

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

export function serveRenderer(rendererDir: string): void {
  const root = normalize(rendererDir + sep)
  const notFound = () => new Response('not found', { status: 404 })
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (url.host !== 'tokendeck') return notFound()
    let relative: string
    try {
      relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)
    } catch {
      // A malformed escape ("%E0%A4%A", a lone "%") throws URIError; a handler that throws is a
      // failed load plus a logged stack, so answer it as the bad request it is.
      return new Response('bad request', { status: 400 })
    }
    const file = normalize(join(root, relative))
    if (!file.startsWith(root)) return notFound()
    let response: Response
    try {
      response = await net.fetch(pathToFileURL(file).toString())
    } catch {
      // net.fetch rejects (net::ERR_FILE_NOT_FOUND) for a file that is not there; that is a 404,
      // not a handler failure.
      return notFound()
    }
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(response.body, { status: response.status, headers })
  })
}
