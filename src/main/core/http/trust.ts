/**
 * Per-cluster TLS trust, as an undici connector. Nothing here touches process-wide TLS settings
 * (no NODE_TLS_REJECT_UNAUTHORIZED, no global agent): each cluster's Agent gets its own
 * connector, so trusting one cluster's self-signed certificate weakens nothing else.
 */
import { X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createSecureContext, type TLSSocket } from 'node:tls'
import { buildConnector } from 'undici'
import { normalizeFingerprint, type ClusterTrust } from '../../../shared/model'
import { TokendeckError } from '../../../shared/errors'

export type Connector = buildConnector.connector

export interface ConnectorOptions {
  /** TCP + TLS handshake budget, ms. */
  connectTimeoutMs: number
  /** host[:port], for messages. */
  host: string
}

/**
 * Build the connector for one cluster's trust setting.
 *
 * TLS session resumption is switched off (maxCachedSessions: 0) in both modes: a resumed session
 * skips the certificate exchange and reports the certificate of the original session, so a
 * server whose certificate was rotated could be "verified" against the old one. Every new
 * connection does a full handshake and is checked afresh; keep-alive still reuses sockets.
 *
 * Each connector builds its TLS context (OpenSSL's SSL_CTX: ciphers, CA store) once and hands
 * it to every connection it makes; left to itself, tls.connect builds a new one per connection,
 * work the engine's thread repeats for each of a storm's handshakes. A shared context shares no
 * session: Node keeps no client sessions in it (they only come back through the `session`
 * option, which undici leaves empty with maxCachedSessions 0).
 */
export function createTrustConnector(trust: ClusterTrust, opts: ConnectorOptions): Connector {
  return 'sha256' in trust
    ? pinnedConnector(trust.sha256, opts)
    : caFileConnector(trust.caPath, opts)
}

/**
 * Pinned mode: the handshake runs WITHOUT CA or hostname verification, and the leaf
 * certificate's SHA-256 is compared with the pin before undici gets the socket, i.e. before a
 * single request byte (credentials, tokens) is written.
 *
 * Why skipping CA and hostname checks is acceptable here: the pin names exactly one certificate,
 * which the admin looked at and accepted for this cluster. Only the holder of that certificate's
 * private key can complete the handshake with it, so a match proves we talk to that server —
 * stronger than "some CA vouches for some certificate with this name", which any CA in the
 * bundle could satisfy. Storage clusters usually have self-signed certificates on IP addresses,
 * where CA and hostname checks could only fail, and users would be taught to click them away.
 */
function pinnedConnector(pin: string, opts: ConnectorOptions): Connector {
  const expected = normalizeFingerprint(pin)
  const inner = buildConnector({
    rejectUnauthorized: false,
    maxCachedSessions: 0,
    timeout: opts.connectTimeoutMs,
    secureContext: createSecureContext({}),
  })
  return (connectOpts, callback) => {
    inner(connectOpts, (err, socket) => {
      if (err !== null) {
        callback(err, null)
        return
      }
      const seen = (socket as TLSSocket).getPeerX509Certificate?.()?.fingerprint256
      if (seen !== undefined && seen === expected) {
        callback(null, socket)
        return
      }
      // Drop the connection before undici can write anything on it.
      socket.destroy()
      callback(pinMismatch(opts.host, seen), null)
    })
  }
}

export function pinMismatch(host: string, seen: string | undefined): TokendeckError {
  if (seen === undefined) {
    return new TokendeckError(
      'TLS_PIN_MISMATCH',
      `${host} presented no certificate, so it cannot be matched against the trusted one. Tokendeck sent nothing to it.`,
    )
  }
  return new TokendeckError(
    'TLS_PIN_MISMATCH',
    `The certificate of ${host} has changed since you trusted it (it is now SHA-256 ${seen}). ` +
      'Tokendeck sent nothing to it. If the cluster’s certificate was renewed, check the new fingerprint with its administrator and trust it again; ' +
      'otherwise someone may be intercepting the connection.',
    { seenSha256: seen },
  )
}

/**
 * CA-file mode: ordinary verification (chain and hostname) against the given CA only — `ca`
 * replaces Node's bundled roots for this connector, so trusting a private CA for one cluster
 * does not mean trusting every public CA for it. The file is read once, on the first
 * connection; a read failure is retried on the next connection (the user may fix the file).
 */
function caFileConnector(caPath: string, opts: ConnectorOptions): Connector {
  let loading: Promise<Connector> | undefined
  const load = async (): Promise<Connector> => {
    let pem: string
    try {
      pem = await readFile(caPath, 'utf8')
    } catch (cause) {
      throw new TokendeckError(
        'TLS_UNTRUSTED',
        `Cannot read the CA certificate file for ${opts.host} (${caPath}). Choose the file again in the cluster's settings.`,
        { cause },
      )
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new TokendeckError(
        'TLS_UNTRUSTED',
        `The CA file for ${opts.host} (${caPath}) holds no PEM certificate. Choose a file that starts with "-----BEGIN CERTIFICATE-----".`,
      )
    }
    // OpenSSL skips a certificate it cannot parse without a word, and every handshake would then
    // fail as "not issued by the trusted CA": say that the file is at fault instead.
    let secureContext: ReturnType<typeof createSecureContext>
    try {
      new X509Certificate(pem)
      secureContext = createSecureContext({ ca: pem })
    } catch (cause) {
      throw new TokendeckError(
        'TLS_UNTRUSTED',
        `The CA file for ${opts.host} (${caPath}) cannot be read as a certificate (${cause instanceof Error ? cause.message : String(cause)}). Choose the CA's certificate file again.`,
        { cause },
      )
    }
    return buildConnector({
      secureContext,
      rejectUnauthorized: true,
      maxCachedSessions: 0,
      timeout: opts.connectTimeoutMs,
    })
  }
  return (connectOpts, callback) => {
    loading ??= load()
    loading.then(
      (inner) => inner(connectOpts, callback),
      (err: unknown) => {
        loading = undefined
        callback(err instanceof Error ? err : new Error(String(err)), null)
      },
    )
  }
}
