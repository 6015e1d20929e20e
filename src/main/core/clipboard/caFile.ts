/**
 * The certificate a pasted `curl` command trusts (`--cacert`), kept at one stable path per
 * cluster in the data directory (`certs/<cluster id>.pem`), so a copied command keeps working
 * after Tokendeck quits and copying again does not leave a trail of temporary files.
 *
 * What goes in it is decided by cli/exec/certificate.ts, the same code as `tokendeck cert` and
 * the CA bundle of `tokendeck exec`: for a pinned cluster the server's certificate, handed out
 * only if its SHA-256 is still the pin; for a CA-file cluster only the certificate blocks of that
 * file. A file already there that holds exactly the pinned certificate is reused without a
 * handshake. Written atomically (temp file + rename), so the app and a terminal copying at once
 * never leave half a certificate; a certificate is public, so the file is 0644.
 */
import { X509Certificate } from 'node:crypto'
import path from 'node:path'
import { normalizeFingerprint, type Cluster } from '../../../shared/model'
import { toolWarnings, trustedCertificates } from '../../cli/exec/certificate'
import { readTextIfExists, writeFileAtomic } from '../clusters/atomicFile'

export const CERTS_DIR = 'certs'

export function caFilePath(dataDir: string, clusterId: string): string {
  return path.join(dataDir, CERTS_DIR, `${clusterId}.pem`)
}

export interface CaFile {
  path: string
  /** Why curl may still refuse the certificate (its names, its dates): for the user. */
  warnings: string[]
}

export async function ensureCaFile(
  dataDir: string,
  cluster: Cluster,
  opts: { timeoutMs?: number } = {},
): Promise<CaFile> {
  const file = caFilePath(dataDir, cluster.id)
  const existing = await readTextIfExists(file).catch(() => undefined)
  if ('sha256' in cluster.trust && existing !== undefined) {
    const cert = onlyCertificate(existing)
    if (cert && cert.fingerprint256 === normalizeFingerprint(cluster.trust.sha256)) {
      const trusted = { source: 'pinned' as const, pem: existing, certificates: [cert] }
      return { path: file, warnings: toolWarnings(cluster, trusted) }
    }
  }
  const trusted = await trustedCertificates(cluster, {
    refusing: 'Not writing a curl command that would trust it',
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  })
  if (existing !== trusted.pem) await writeFileAtomic(file, trusted.pem, { mode: 0o644 })
  return { path: file, warnings: toolWarnings(cluster, trusted) }
}

function onlyCertificate(pem: string): X509Certificate | undefined {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
  if (blocks.length !== 1) return undefined
  try {
    return new X509Certificate(blocks[0]!)
  } catch {
    return undefined
  }
}
