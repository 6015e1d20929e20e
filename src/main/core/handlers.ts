/**
 * The channel → service table. Used by electron/ipc.ts in the app and by the browser tests'
 * bridge, so both exercise exactly the same validation and code. Nothing here returns a stored
 * secret: copy hands the token to the clipboard port and returns only when it clears.
 */
import type { AppInfo } from '../../shared/contract'
import type { ErrorInfo } from '../../shared/model'
import { TokendeckError } from '../../shared/errors'
import { probeCertificate } from './http'
import type { ClusterService } from './clusters/clusterService'
import type { ClusterRegistry } from './clusters'
import type { SessionManager } from './sessions/sessionManager'
import type { TokenOperations } from './tokens/tokenOperations'
import type { ClipboardService } from './clipboard/clipboardService'
import { createDispatcher, type Dispatcher, type DispatchOptions } from './dispatch'

export interface HandlerServices {
  appInfo(): AppInfo
  startupProblems(): ErrorInfo[]
  useSessionOnlySecrets(): Promise<AppInfo>
  registry: ClusterRegistry
  clusters: ClusterService
  sessions: SessionManager
  tokens: TokenOperations
  clipboard: ClipboardService
  /** Tell the UI something was copied (the toast). */
  copied(what: string, clearsInSeconds: number): void
}

export function createHandlers(s: HandlerServices, options?: DispatchOptions): Dispatcher {
  const view = (clusterId: string) => s.clusters.view(s.registry.get(clusterId))
  return createDispatcher(
    {
      'app:info': () => s.appInfo(),
      'app:startupProblems': () => s.startupProblems(),
      'app:useSessionOnlySecrets': () => s.useSessionOnlySecrets(),

      'clusters:list': () => s.clusters.list(),
      'clusters:get': ({ clusterId }) => s.clusters.detail(clusterId),
      'clusters:probe': ({ url }) => probeCertificate(url),
      'clusters:add': (draft) => s.clusters.add(draft),
      'clusters:update': ({ clusterId, patch }) => s.clusters.update(clusterId, patch),
      'clusters:remove': async ({ clusterId }) => {
        await s.clusters.remove(clusterId)
        return { removed: true as const }
      },
      'clusters:retrust': ({ clusterId, sha256 }) => s.clusters.retrust(clusterId, sha256),

      'session:signIn': async ({ clusterId, password }) => {
        await s.sessions.signIn(clusterId, password)
        // What the server says about itself is a nicety: a failure here must not fail sign-in.
        await s.clusters.recordSeen(clusterId).catch(() => undefined)
        return view(clusterId)
      },
      'session:signOut': async ({ clusterId }) => {
        await s.sessions.signOut(clusterId)
        return view(clusterId)
      },
      'session:refresh': async ({ clusterId }) => {
        await s.sessions.refresh(clusterId)
        return view(clusterId)
      },
      'session:copyAccessToken': async ({ clusterId }) => {
        const token = await s.sessions.getAccessToken(clusterId)
        const { clearsInSeconds } = s.clipboard.copy(token)
        s.copied(`access token of ${s.registry.get(clusterId).name}`, clearsInSeconds)
        return { copied: true as const, clearsInSeconds }
      },

      'tokens:list': ({ clusterId, owner }) => s.tokens.list(clusterId, owner),
      'tokens:createWarnings': (input) => s.tokens.createWarnings(input),
      'tokens:create': (input) => s.tokens.create(input),
      'tokens:modify': ({ clusterId, tokenId, expiresAt, enabled }) =>
        s.tokens.modify(clusterId, tokenId, {
          ...(expiresAt !== undefined ? { expiresAt } : {}),
          ...(enabled !== undefined ? { enabled } : {}),
        }),
      'tokens:revoke': async ({ clusterId, target }) => {
        await s.tokens.revoke(clusterId, target)
        return { revoked: true as const }
      },
      'tokens:rotate': ({ clusterId, tokenId, confirmed }) =>
        s.tokens.rotate(clusterId, tokenId, confirmed),

      'settings:get': () => s.registry.getSettings(),
      'settings:update': (patch) => s.registry.updateSettings(patch),
      'clipboard:copyShownSecret': ({ value }) => {
        if (!value.trim()) throw new TokendeckError('INVALID_INPUT', 'Nothing to copy.')
        const { clearsInSeconds } = s.clipboard.copy(value)
        s.copied('secret', clearsInSeconds)
        return { copied: true as const, clearsInSeconds }
      },
    },
    options,
  )
}
