/**
 * Trust on first use: look at a server's certificate so the user can decide whether to pin it.
 * One TLS handshake with verification off (we are asking what the certificate IS, not whether
 * to trust it), then the socket is destroyed: no HTTP request, no credentials, nothing but the
 * handshake ever goes to the server.
 */
import { X509Certificate } from 'node:crypto'
import { isIP } from 'node:net'
import { connect, type TLSSocket } from 'node:tls'
import { TokendeckError } from '../../../shared/errors'
import { DeadlineError, mapTransportError } from './errors'
import { parseHttpsUrl } from './url'

export interface CertificateInfo {
  /** Canonical 'AB:CD:…' (upper-case, as Node's fingerprint256 and browsers show it): the value to pin. */
  sha256: string
  /** e.g. "CN=weka01.example.com, O=Example". */
  subject: string
  issuer: string
  /** Validity window, epoch ms. */
  validFrom: number
  validTo: number
  /** Issued by itself (the usual case for storage clusters), as opposed to by a CA. */
  selfSigned: boolean
  /** e.g. ["DNS:localhost", "IP:127.0.0.1"]. */
  subjectAltNames: string[]
}

export interface ProbeOptions {
  /** Whole probe budget (TCP connect + handshake), ms. Default 10 s. */
  timeoutMs?: number
}

export const DEFAULT_PROBE_TIMEOUT_MS = 10_000

export async function probeCertificate(
  url: string,
  opts: ProbeOptions = {},
): Promise<CertificateInfo> {
  return describeCertificate(
    await presentedCertificate(url, opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS),
  )
}

/**
 * The certificate the server at `url` presents, without verifying anything about it: the probe
 * shows it for trust on first use, `tokendeck cert` hands it out after comparing it with the pin.
 */
export async function presentedCertificate(
  url: string,
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<X509Certificate> {
  const { hostname, port, host } = parseHttpsUrl(url)
  const ctx = { endpoint: 'TLS handshake', host }
  return new Promise<X509Certificate>((resolve, reject) => {
    let settled = false
    const finish = (
      socket: TLSSocket,
      outcome: { cert: X509Certificate } | { err: unknown },
    ): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      if ('cert' in outcome) resolve(outcome.cert)
      else reject(mapTransportError(outcome.err, ctx))
    }
    const socket = connect({
      host: hostname,
      port,
      // SNI only for names: RFC 6066 forbids IP literals, and servers that select a
      // certificate by name must be shown the name the user typed. No session cache, so a
      // rotated certificate cannot hide behind a resumed session.
      ...(isIP(hostname) === 0 ? { servername: hostname } : {}),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    })
    const timer = setTimeout(() => finish(socket, { err: new DeadlineError(timeoutMs) }), timeoutMs)
    socket.once('secureConnect', () => {
      const peer = socket.getPeerX509Certificate()
      if (peer) finish(socket, { cert: peer })
      else
        finish(socket, {
          err: new TokendeckError(
            'BAD_RESPONSE',
            `${host} completed the TLS handshake without presenting a certificate.`,
          ),
        })
    })
    socket.on('error', (err) => finish(socket, { err }))
  })
}

/** What the trust dialog shows about a certificate. Parsing is Node's (OpenSSL), not ours. */
export function describeCertificate(cert: X509Certificate): CertificateInfo {
  return {
    sha256: cert.fingerprint256,
    subject: readableName(cert.subject),
    issuer: readableName(cert.issuer),
    validFrom: Date.parse(cert.validFrom),
    validTo: Date.parse(cert.validTo),
    // Same name AND its own key verifies the signature: a CA-issued certificate that merely
    // repeats its issuer's name is not self-signed. (Not checkIssued(): OpenSSL also demands
    // keyCertSign there, which self-signed server certificates rarely carry.)
    selfSigned: cert.subject === cert.issuer && safeVerify(cert),
    subjectAltNames: splitAltNames(cert.subjectAltName),
  }
}

function safeVerify(cert: X509Certificate): boolean {
  try {
    return cert.verify(cert.publicKey)
  } catch {
    return false
  }
}

/** Node gives "C=US\nO=Example\nCN=host"; show the parts people recognise first, one line. */
function readableName(dn: string): string {
  const parts = dn.split('\n').filter((p) => p.length > 0)
  const rank = (p: string): number => {
    const key = p.slice(0, p.indexOf('='))
    const i = ['CN', 'O', 'OU'].indexOf(key)
    return i < 0 ? 3 : i
  }
  return parts
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map(({ p }) => p)
    .join(', ')
}

function splitAltNames(san: string | undefined): string[] {
  if (!san) return []
  return san
    .split(/,\s*/)
    .map((s) => s.trim().replace(/^IP Address:/, 'IP:'))
    .filter((s) => s.length > 0)
}
