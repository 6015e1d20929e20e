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
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (url.host !== 'tokendeck') return new Response('not found', { status: 404 })
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)
    const file = normalize(join(root, relative))
    if (!file.startsWith(root)) return new Response('not found', { status: 404 })
    const response = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(response.body, { status: response.status, headers })
  })
}
