import { X509Certificate } from 'node:crypto'
import { generate } from 'selfsigned'

export interface SimCertificate {
  key: string
  cert: string
  /** SHA-256 of the DER certificate, upper-case hex pairs joined by ':' (as browsers show it). */
  fingerprint: string
}

export interface CertificateOptions {
  commonName: string
  /** Sign with this CA instead of self-signing (to test "trust a CA the user gave"). */
  ca?: { key: string; cert: string }
  notBefore?: Date
  notAfter?: Date
}

/** A fresh loopback certificate. EC P-256 keeps generation in the millisecond range. */
export async function createCertificate(opts: CertificateOptions): Promise<SimCertificate> {
  const notBefore = opts.notBefore ?? new Date(Date.now() - 60_000)
  const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + 397 * 86_400_000)
  const result = await generate(
    [
      { name: 'commonName', value: opts.commonName },
      { name: 'organizationName', value: 'Tokendeck simulator' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: notBefore,
      notAfterDate: notAfter,
      ...(opts.ca ? { ca: opts.ca } : {}),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
          ],
        },
      ],
    },
  )
  return { key: result.private, cert: result.cert, fingerprint: fingerprintOf(result.cert) }
}

/** A CA that can sign simulator certificates. */
export async function createCertificateAuthority(
  commonName: string,
): Promise<{ key: string; cert: string }> {
  const result = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      {
        name: 'keyUsage',
        keyCertSign: true,
        cRLSign: true,
        digitalSignature: true,
        critical: true,
      },
    ],
  })
  return { key: result.private, cert: result.cert }
}

export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256
}
