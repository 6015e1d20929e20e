/**
 * The `session:copyAs` handler: a fresh token, the text of the asked format (copyFormats.ts), the
 * clipboard — cleared later exactly like a bare token (ClipboardService), because what is on the
 * clipboard holds the token either way.
 */
import type { CopyFormat } from '../../../shared/contract'
import type { ClusterRegistry } from '../clusters'
import type { SessionManager } from '../sessions/sessionManager'
import type { ClipboardService } from './clipboardService'
import { ensureCaFile } from './caFile'
import { COPY_FORMAT_LABELS, copyText } from './copyFormats'

export interface CopyAsServices {
  registry: ClusterRegistry
  sessions: SessionManager
  clipboard: ClipboardService
  dataDir: string
  copied(what: string, clearsInSeconds: number): void
}

export async function copyAs(
  s: CopyAsServices,
  clusterId: string,
  format: CopyFormat,
): Promise<{ copied: true; clearsInSeconds: number; warnings?: string[] }> {
  const cluster = s.registry.get(clusterId)
  // The certificate first: a server that no longer presents the pinned certificate gets no
  // command that would send it the token.
  const ca = format === 'curl' ? await ensureCaFile(s.dataDir, cluster) : undefined
  const token = await s.sessions.getAccessToken(clusterId)
  const text = copyText({ cluster, token, format, ...(ca ? { caFile: ca.path } : {}) })
  const { clearsInSeconds } = s.clipboard.copy(text, {
    what: `access-token as ${format}`,
    clusterId,
  })
  s.copied(`${COPY_FORMAT_LABELS[format]} of ${cluster.name}`, clearsInSeconds)
  return {
    copied: true,
    clearsInSeconds,
    ...(ca?.warnings.length ? { warnings: ca.warnings } : {}),
  }
}
