/**
 * The trust of a cluster as a PEM file other tools can use (`curl --cacert`, `AWS_CA_BUNDLE`,
 * `REQUESTS_CA_BUNDLE`): for `tokendeck cert` and the CA bundle of `tokendeck exec`.
 *
 * A pinned cluster stores only the SHA-256 of its certificate (clusters.json), not the
 * certificate, so the certificate is fetched from the server with one TLS handshake (no request
 * byte is sent) and handed out ONLY if its SHA-256 is the pinned one: a PEM file is how other
 * tools trust, and a certificate that does not match the pin must never become trusted that way.
 * A cluster trusted through a CA file hands out the certificates in that file; only the
 * certificate blocks are copied, so a private key kept in the same file never leaves it.
 */
import { X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import { TokendeckError } from '../../../shared/errors'
import { normalizeFingerprint, type Cluster } from '../../../shared/model'
import { presentedCertificate } from '../../core/http/probe'
import { parseHttpsUrl } from '../../core/http/url'

export interface TrustedCertificates {
  /** 'pinned': the server's own certificate, checked against the pin; 'ca-file': the CA file's certificates. */
  source: 'pinned' | 'ca-file'
  /** PEM text, one or more certificates, ending in a newline. */
  pem: string
  certificates: X509Certificate[]
  /** Pinned: the fingerprint (which matched the pin). */
  sha256?: string
  /** CA file: where the certificates came from. */
  caPath?: string
}

/**
 * What a tool must trust to talk to this cluster the way Tokendeck does. Pinned: the presented
 * certificate, refused (TLS_PIN_MISMATCH) unless its SHA-256 is the pin.
 */
export async function trustedCertificates(
  cluster: Cluster,
  opts: { refusing: string; timeoutMs?: number },
): Promise<TrustedCertificates> {
  if ('caPath' in cluster.trust) return caFileCertificates(cluster, cluster.trust.caPath)
  const pinned = normalizeFingerprint(cluster.trust.sha256)
  const cert = await presentedCertificate(cluster.url, opts.timeoutMs)
  if (cert.fingerprint256 !== pinned) {
    throw new TokendeckError(
      'TLS_PIN_MISMATCH',
      `${opts.refusing}: the server of ${cluster.name} now presents SHA-256 ${cert.fingerprint256}, you pinned ${pinned}.`,
      { seenSha256: cert.fingerprint256 },
    )
  }
  return { source: 'pinned', pem: pemOf([cert]), certificates: [cert], sha256: pinned }
}

async function caFileCertificates(cluster: Cluster, caPath: string): Promise<TrustedCertificates> {
  let text: string
  try {
    text = await readFile(caPath, 'utf8')
  } catch (cause) {
    throw new TokendeckError(
      'TLS_UNTRUSTED',
      `Cannot read the CA certificate file of ${cluster.name} (${caPath}).`,
      { cause },
    )
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
  const certificates: X509Certificate[] = []
  for (const block of blocks) {
    try {
      certificates.push(new X509Certificate(block))
    } catch (cause) {
      throw new TokendeckError(
        'TLS_UNTRUSTED',
        `The CA file of ${cluster.name} (${caPath}) holds a certificate that cannot be read.`,
        { cause },
      )
    }
  }
  if (!certificates.length) {
    throw new TokendeckError(
      'TLS_UNTRUSTED',
      `The CA file of ${cluster.name} (${caPath}) holds no PEM certificate ("-----BEGIN CERTIFICATE-----").`,
    )
  }
  return { source: 'ca-file', pem: pemOf(certificates), certificates, caPath }
}

function pemOf(certs: X509Certificate[]): string {
  return certs.map((c) => `${c.toString().trim()}\n`).join('')
}

/**
 * Why another tool may still refuse a certificate Tokendeck accepts: the pin names one
 * certificate whatever its names and dates, but curl, Python and the AWS CLI check that the
 * certificate names the host in the URL and is within its validity period.
 */
export function toolWarnings(cluster: Cluster, trusted: TrustedCertificates, now = Date.now()) {
  const warnings: string[] = []
  if (trusted.source !== 'pinned') return warnings
  const cert = trusted.certificates[0]!
  const { hostname } = parseHttpsUrl(cluster.url)
  const named = isIP(hostname) ? cert.checkIP(hostname) : cert.checkHost(hostname)
  if (named === undefined) {
    warnings.push(
      `The certificate of ${cluster.name} does not name ${hostname}, so curl and other tools will refuse it for ${cluster.url} ` +
        `(Tokendeck's pin does not depend on names). Use a name the certificate carries (${cert.subjectAltName ?? cert.subject.replace(/\n/g, ', ')}), ` +
        `e.g. with curl --connect-to.`,
    )
  }
  const validTo = Date.parse(cert.validTo)
  const validFrom = Date.parse(cert.validFrom)
  if (Number.isFinite(validTo) && validTo < now)
    warnings.push(
      `The certificate of ${cluster.name} expired on ${cert.validTo}; other tools will refuse it.`,
    )
  else if (Number.isFinite(validFrom) && validFrom > now)
    warnings.push(
      `The certificate of ${cluster.name} is valid only from ${cert.validFrom}; other tools will refuse it until then.`,
    )
  return warnings
}
