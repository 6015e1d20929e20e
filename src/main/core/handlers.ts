/**
 * The channel → service table. Used by electron/ipc.ts in the app and by the browser tests'
 * bridge, so both exercise exactly the same validation and code. Nothing here returns a stored
 * secret: copy hands the token to the clipboard port (which clears it later, if it still holds
 * it) and answers with when that will be, never with the token.
 */
import type { AppInfo } from '../../shared/contract'
import type { ErrorInfo } from '../../shared/model'
import { TokendeckError } from '../../shared/errors'
import { CatalogueService } from './clusters/catalogueService'
import type { ClusterService } from './clusterService/clusterService'
import type { ClusterRegistry } from './clusters'
import type { SessionManager } from './sessions/sessionManager'
import type { TokenOperations } from './tokens/tokenOperations'
import type { ClipboardService } from './clipboard/clipboardService'
import type { KeptS3Keys } from './s3keys/keptS3Keys'
import type { ExpiringReport } from '../../shared/model'
import type { FilePicker } from './files/filePicker'
import { openCatalogue, saveCatalogue } from './files/catalogueFiles'
import { createDispatcher, type Dispatcher, type DispatchOptions } from './dispatch'
import type { AuditLog } from './audit'
import { copyAs } from './clipboard/copyAs'
import type { CredentialImport } from './import/credentialImport'
import type { PasswordChange } from './passwords/passwordChange'

export interface HandlerServices {
  appInfo(): AppInfo
  startupProblems(): ErrorInfo[]
  useSessionOnlySecrets(): Promise<AppInfo>
  registry: ClusterRegistry
  clusters: ClusterService
  sessions: SessionManager
  tokens: TokenOperations
  s3Keys: KeptS3Keys
  clipboard: ClipboardService
  /** The profile's data directory ("Copy as curl" keeps the cluster's certificate there). */
  dataDir: string
  /** Tokens and sessions across all clusters, soonest first (core/expiring). */
  expiring(withinMs?: number): Promise<ExpiringReport>
  /** Tell the UI something was copied (the toast). */
  copied(what: string, clearsInSeconds: number): void
  /** The audit log (the Activity view reads it). */
  audit: AuditLog
  /** The desktop's file picker; absent where there is none (CLI, agent). */
  filePicker?: FilePicker | undefined
  imports: CredentialImport
  /** Paths of plaintext vendor CLI credential files found in the home directory. */
  plaintextCredentials(): Promise<string[]>
  /** Changing a password the server requires changed (WEKA). */
  passwords: PasswordChange
}

export function createHandlers(s: HandlerServices, options?: DispatchOptions): Dispatcher {
  const view = (clusterId: string) => s.clusters.view(s.registry.get(clusterId))
  return createHandlersTable(s, view, options)
}

function createHandlersTable(
  s: HandlerServices,
  view: (clusterId: string) => ReturnType<ClusterService['view']>,
  options?: DispatchOptions,
): Dispatcher {
  const catalogue = new CatalogueService(s.registry, s.clusters)
  return createDispatcher(
    {
      'app:info': () => s.appInfo(),
      'app:startupProblems': () => s.startupProblems(),
      'app:useSessionOnlySecrets': () => s.useSessionOnlySecrets(),

      'clusters:list': () => s.clusters.list(),
      'clusters:get': ({ clusterId }) => s.clusters.detail(clusterId),
      'clusters:probe': ({ url }) => s.clusters.probe(url),
      'clusters:add': (draft) => s.clusters.add(draft),
      'clusters:update': ({ clusterId, patch }) => s.clusters.update(clusterId, patch),
      'clusters:remove': async ({ clusterId }) => {
        // Its kept S3 keys first: a keychain failure stops the removal before anything is lost.
        await s.s3Keys.forgetCluster(clusterId)
        const { signedOutOnServer, warnings } = await s.clusters.remove(clusterId)
        return {
          removed: true as const,
          ...(signedOutOnServer !== undefined ? { signedOutOnServer } : {}),
          ...(warnings.length ? { warnings } : {}),
        }
      },
      'clusters:retrust': ({ clusterId, sha256 }) => s.clusters.retrust(clusterId, sha256),
      'clusters:tag': ({ clusterId, add, remove }) =>
        s.clusters.tag(clusterId, add ?? [], remove ?? []),
      'clusters:export': ({ tags }) => catalogue.export(tags),
      'clusters:importPlan': ({ catalogue: c }) => catalogue.plan(c),
      'clusters:import': ({ catalogue: c, confirmed }) => catalogue.import(c, confirmed),
      'files:saveCatalogue': async ({ tags }) =>
        saveCatalogue(s.filePicker, await catalogue.export(tags)),
      'files:openCatalogue': () => openCatalogue(s.filePicker),

      'session:signIn': async ({ clusterId, password }) => {
        await s.sessions.signIn(clusterId, password)
        // What the server says about itself is a nicety: a failure here must not fail sign-in.
        await s.clusters.recordSeen(clusterId).catch(() => undefined)
        return view(clusterId)
      },
      'session:changePassword': async ({ clusterId, currentPassword, newPassword }) => {
        await s.passwords.change(clusterId, currentPassword, newPassword)
        await s.clusters.recordSeen(clusterId).catch(() => undefined)
        return view(clusterId)
      },
      'session:signOut': async ({ clusterId }) => {
        // Through the cluster service: where the vendor can (Swarm), the session is ended on
        // the server too, not only forgotten here.
        await s.clusters.signOut(clusterId)
        return view(clusterId)
      },
      'session:refresh': async ({ clusterId }) => {
        await s.sessions.refresh(clusterId)
        return view(clusterId)
      },
      'session:copyAccessToken': async ({ clusterId }) => {
        const token = await s.sessions.getAccessToken(clusterId)
        const { clearsInSeconds } = s.clipboard.copy(token, { what: 'access-token', clusterId })
        s.copied(`access token of ${s.registry.get(clusterId).name}`, clearsInSeconds)
        return { copied: true as const, clearsInSeconds }
      },
      'session:copyAs': ({ clusterId, format }) => copyAs(s, clusterId, format),

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
      'tokens:expiring': ({ withinSeconds }) =>
        s.expiring(withinSeconds === undefined ? undefined : withinSeconds * 1000),

      'settings:get': () => s.registry.getSettings(),
      'settings:update': (patch) => s.registry.updateSettings(patch),
      'audit:recent': async ({ limit, clusterId }) => {
        const { records, notes, file } = await s.audit.read({
          limit,
          ...(clusterId ? { clusterId } : {}),
        })
        return { records: records.reverse(), notes, file }
      },
      'session:import': async ({ clusterId, refreshToken, source }) => {
        await s.imports.importRefreshToken(clusterId, refreshToken, source)
        await s.clusters.recordSeen(clusterId).catch(() => undefined)
        return view(clusterId)
      },
      'app:plaintextCredentials': async () => ({ files: await s.plaintextCredentials() }),
      'clipboard:copyShownSecret': ({ value }) => {
        if (!value.trim()) throw new TokendeckError('INVALID_INPUT', 'Nothing to copy.')
        // Kept while the dialog is open, then for longer than a plain copy: it cannot be copied again.
        const { clearsInSeconds } = s.clipboard.copyOneTime(value, { what: 'shown-secret' })
        return { copied: true as const, clearsInSeconds }
      },
      'clipboard:shownSecretClosed': () => s.clipboard.releaseOneTime(),
      's3keys:list': ({ clusterId }) => s.s3Keys.list(clusterId),
      's3keys:keep': ({ handle }) => s.s3Keys.keep(handle),
      's3keys:discard': ({ handle }) => ({ discarded: s.s3Keys.discard(handle) }),
      's3keys:forget': async ({ clusterId, tokenId }) => ({
        forgotten: await s.s3Keys.forget(clusterId, tokenId),
      }),
      'files:pickCaFile': async () => {
        if (!s.filePicker)
          throw new TokendeckError(
            'UNSUPPORTED',
            'There is no file picker here: type the path of the CA file instead.',
          )
        const path = await s.filePicker.pickCaFile()
        return path !== undefined ? { path } : {}
      },
    },
    options,
  )
}
