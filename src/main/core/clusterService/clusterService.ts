/**
 * Cluster lifecycle across the registry, the keychain and the sessions, so that removing a
 * cluster removes its secrets and a changed trust setting takes effect on the next request. It
 * sits above clusters/ and sessions/ (both of which it drives), beside tokens/.
 *
 * Trust is decided on what main itself sees: a new cluster's pinned fingerprint is compared with
 * the certificate the server presents while it is added, and a re-trust accepts only the
 * certificate main observed in the probe it just made (a renderer, or a typo, cannot make main
 * trust a certificate the server does not present).
 */
import type { ClusterDraft, ClusterDetail } from '../../../shared/contract'
import { normalizeFingerprint, type Cluster, type ClusterView } from '../../../shared/model'
import { TokendeckError, isTokendeckError } from '../../../shared/errors'
import { changedFields } from '../../../shared/vendors'
import { bindingFor, bindingMismatch, type SecretStore } from '../secrets'
import type { SessionManager } from '../sessions/sessionManager'
import { probeCertificate, type CertificateInfo } from '../http'
import { parseHttpsUrl } from '../http/url'
import type { VendorClientProvider } from '../vendors/clientProvider'
import { checkVendor, IDENTITY_TIMEOUT_MS } from '../vendors/identify'
import { VendorHttp } from '../vendors/vendorHttp'
import { editTags, type ClusterPatch, type ClusterRegistry } from '../clusters'

export interface ClusterServiceOptions {
  /** The TLS look at a server's certificate (probe.ts); replaceable in tests. */
  probe?: (url: string) => Promise<CertificateInfo>
  /** Wall clock for how long a probe counts as "just made". */
  now?: () => number
  /** How long the fingerprint of a probe is remembered for a re-trust. */
  probeMemoryMs?: number
}

/** A re-trust must follow its probe: the trust dialog is looked at for a minute or two, not a day. */
export const PROBE_MEMORY_MS = 10 * 60_000

export interface RemoveOutcome {
  /** The session was ended on the server (Swarm deletes its session token). */
  signedOutOnServer?: boolean
  /** What the user should know (the server could not be told, …). */
  warnings: string[]
}

export class ClusterService {
  private readonly probed = new Map<string, { sha256: string; at: number }>()
  private readonly probeFn: (url: string) => Promise<CertificateInfo>
  private readonly now: () => number
  private readonly probeMemoryMs: number

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly secrets: SecretStore,
    private readonly sessions: SessionManager,
    private readonly clients: VendorClientProvider,
    options: ClusterServiceOptions = {},
  ) {
    this.probeFn = options.probe ?? ((url) => probeCertificate(url))
    this.now = options.now ?? Date.now
    this.probeMemoryMs = options.probeMemoryMs ?? PROBE_MEMORY_MS
  }

  list(): ClusterView[] {
    return this.registry.list().map((c) => this.view(c))
  }

  view(cluster: Cluster): ClusterView {
    const storedExpiresAt = this.sessions.storedExpiresAt(cluster.id)
    return {
      cluster,
      session: this.sessions.state(cluster.id),
      ...(storedExpiresAt !== undefined ? { storedExpiresAt } : {}),
    }
  }

  /** Add and remove tags as one locked read-modify-write (see tags.ts). */
  async tag(
    clusterId: string,
    add: readonly string[],
    remove: readonly string[],
  ): Promise<ClusterView> {
    return this.view(
      await this.registry.update(clusterId, (c) => ({ tags: editTags(c.tags, add, remove) })),
    )
  }

  detail(clusterId: string): ClusterDetail {
    const view = this.view(this.registry.get(clusterId))
    const identity = this.sessions.identity(clusterId)
    const storedExpiresAt = this.sessions.storedExpiresAt(clusterId)
    return {
      view,
      ...(identity
        ? {
            identity: {
              username: identity.username,
              ...(identity.role ? { role: identity.role } : {}),
              isAdmin: identity.isAdmin,
            },
          }
        : {}),
      ...(storedExpiresAt !== undefined ? { storedExpiresAt } : {}),
    }
  }

  /**
   * Trust on first use: the certificate `url` presents, as main saw it. Remembered for a short
   * while so that trusting exactly this certificate (retrust) needs no second look.
   */
  async probe(url: string): Promise<CertificateInfo> {
    const cert = await this.probeFn(url)
    this.probed.set(urlKey(url), { sha256: cert.sha256, at: this.now() })
    return cert
  }

  /**
   * Adds a cluster after checking it is what the draft says: the pinned fingerprint is the one
   * the server presents, and the server answers like the chosen vendor (vendors/identify.ts). A
   * cluster that cannot be reached now is added unchecked (it may be down for maintenance); its
   * pin is then checked on every connection as always.
   */
  async add(draft: ClusterDraft): Promise<ClusterView> {
    await this.verify(draft)
    return this.view(await this.registry.add(draft))
  }

  async update(clusterId: string, patch: ClusterPatch): Promise<ClusterView> {
    const before = this.registry.get(clusterId)
    const next = { ...before, ...patch }
    const trustChanged = JSON.stringify(before.trust) !== JSON.stringify(next.trust)
    // A new pin is a re-trust by another door: the same rule applies.
    if (trustChanged && 'sha256' in next.trust)
      await this.assertObserved(next.url, next.trust.sha256)
    if (trustChanged || next.url !== before.url) await this.verify(next)
    const after = await this.registry.update(clusterId, patch)
    const connectionChanged =
      before.url !== after.url || JSON.stringify(before.trust) !== JSON.stringify(after.trust)
    // Which vendor fields scope the account: the vendor table's `changesSignIn` (vendors.ts).
    const identityChanged =
      before.username !== after.username || changedFields(before, after, 'changesSignIn').length > 0
    // Another user or another server: the stored credential belongs to neither. Where the
    // vendor can, its session is ended on the server it was made on (best effort: the change
    // is already made).
    const signsOut = identityChanged || before.url !== after.url
    if (signsOut) await this.endServerSession(before)
    if (connectionChanged || identityChanged) await this.clients.evict(clusterId)
    if (signsOut) await this.sessions.signOut(clusterId)
    else if (connectionChanged) await this.sessions.afterRetrust(clusterId)
    return this.view(this.registry.get(clusterId))
  }

  /**
   * Trust set from a shared catalogue whose certificate the user confirmed on import (the
   * catalogue is the out-of-band source, as `--trust-fingerprint` is): takes effect on the next
   * request, the session kept.
   */
  async setImportedTrust(clusterId: string, trust: Cluster['trust']): Promise<void> {
    await this.registry.update(clusterId, { trust })
    await this.clients.evict(clusterId)
    await this.sessions.afterRetrust(clusterId)
  }

  /**
   * The user reviewed the certificate now presented and trusts it. Only a certificate main
   * itself saw this cluster present, in the probe just made, is accepted.
   */
  async retrust(clusterId: string, sha256: string): Promise<ClusterView> {
    const cluster = this.registry.get(clusterId)
    const pin = await this.assertObserved(cluster.url, sha256)
    await this.registry.update(clusterId, { trust: { sha256: pin } })
    await this.clients.evict(clusterId)
    await this.sessions.afterRetrust(clusterId)
    return this.view(this.registry.get(clusterId))
  }

  /**
   * Signs out: first on the server where the vendor can end a session (Swarm deletes its session
   * token), then here (the keychain entry goes). When the server cannot be told, the local sign-out
   * still happens and the error says the token stays valid on the server until it expires.
   */
  async signOut(clusterId: string): Promise<void> {
    const cluster = this.registry.get(clusterId)
    const expiresAt = this.sessions.storedExpiresAt(clusterId)
    const ended = await this.endServerSession(cluster)
    await this.sessions.signOut(clusterId)
    if (ended instanceof TokendeckError) throw notEndedOnServer(cluster, ended, expiresAt)
  }

  /** Removes the cluster, its session (ended on the server first, where the vendor can) and every secret kept for it. */
  async remove(clusterId: string): Promise<RemoveOutcome> {
    const cluster = this.registry.get(clusterId)
    const expiresAt = this.sessions.storedExpiresAt(clusterId)
    const ended = await this.endServerSession(cluster)
    await this.secrets.deleteCredential(clusterId)
    this.sessions.forget(clusterId)
    await this.clients.evict(clusterId)
    await this.registry.remove(clusterId)
    if (ended instanceof TokendeckError)
      return { warnings: [notEndedOnServer(cluster, ended, expiresAt).message] }
    return ended === 'done' ? { signedOutOnServer: true, warnings: [] } : { warnings: [] }
  }

  /** Record what the server said about itself (cluster name, id, version) after sign-in. */
  async recordSeen(clusterId: string): Promise<void> {
    const cluster = this.registry.get(clusterId)
    const client = this.clients.get(cluster)
    const seen = await this.sessions.withSession(clusterId, ({ access }) =>
      client.clusterInfo(access),
    )
    if (JSON.stringify(seen) !== JSON.stringify(cluster.seen))
      await this.registry.update(clusterId, { seen })
  }

  // ---- internals --------------------------------------------------------------------------

  /**
   * The draft's pin is what the server presents, and the server answers like the draft's
   * vendor. Unreachable now: nothing to compare, so nothing is refused.
   */
  private async verify(draft: Pick<Cluster, 'vendor' | 'url' | 'trust' | 'domain'>): Promise<void> {
    if ('sha256' in draft.trust) {
      let cert: CertificateInfo
      try {
        cert = await this.probe(draft.url)
      } catch (e) {
        if (isOffline(e)) return
        throw e
      }
      const given = normalizeFingerprint(draft.trust.sha256)
      if (given !== cert.sha256) throw fingerprintMismatch(draft.url, given, cert.sha256, 'added')
    }
    const http = new VendorHttp({
      url: draft.url,
      trust: draft.trust,
      now: this.now,
      deadlineMs: IDENTITY_TIMEOUT_MS,
    })
    try {
      await checkVendor(http, draft.vendor, draft.domain ? { domain: draft.domain } : {})
    } catch (e) {
      if (!isOffline(e)) throw e
    } finally {
      await http.close()
    }
  }

  /** `sha256` is what main saw `url` present, just now; returns it in canonical form. */
  private async assertObserved(url: string, sha256: string): Promise<string> {
    const want = normalizeFingerprint(sha256)
    const last = this.probed.get(urlKey(url))
    if (last && last.sha256 === want && this.now() - last.at <= this.probeMemoryMs) return want
    const cert = await this.probe(url)
    if (cert.sha256 !== want) throw fingerprintMismatch(url, want, cert.sha256, 'changed')
    return want
  }

  /**
   * Ends the session on the server with the stored credential, where the vendor can (vendor.ts
   * `signOut`). 'none': nothing to end there; an error: the server could not be told.
   */
  private async endServerSession(cluster: Cluster): Promise<'done' | 'none' | TokendeckError> {
    const client = this.clients.get(cluster)
    if (!client.signOut) return 'none'
    const stored = await this.storedValue(cluster)
    if (stored === undefined) return 'none'
    try {
      await client.signOut(stored)
      return 'done'
    } catch (e) {
      return isTokendeckError(e)
        ? e
        : new TokendeckError('INTERNAL', 'Ending the session on the server failed.')
    }
  }

  /** The session's stored credential: in memory if loaded, else the keychain's (if it is this cluster's). */
  private async storedValue(cluster: Cluster): Promise<string | undefined> {
    const loaded = this.sessions.storedCredential(cluster.id)
    if (loaded !== undefined) return loaded
    const saved = await this.secrets.getCredential(cluster.id).catch(() => undefined)
    if (!saved || bindingMismatch(saved.binding, bindingFor(cluster)) !== undefined)
      return undefined
    return saved.value
  }
}

/** One key per server address: origin and path, as a cluster URL names it. */
function urlKey(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname.replace(/\/+$/, '')}`
  } catch {
    return url
  }
}

function hostOf(url: string): string {
  try {
    return parseHttpsUrl(url).host
  } catch {
    return 'the server'
  }
}

function isOffline(e: unknown): boolean {
  return isTokendeckError(e) && (e.code === 'UNREACHABLE' || e.code === 'TIMEOUT')
}

function fingerprintMismatch(
  url: string,
  given: string,
  presented: string,
  nothing: 'added' | 'changed',
): TokendeckError {
  return new TokendeckError(
    'INVALID_INPUT',
    `You gave the fingerprint ${given || '(empty)'}, but ${hostOf(url)} presents ${presented}. ` +
      `Check with the cluster's administrator which one is the cluster's before trusting either; ` +
      `if it is neither, someone may be intercepting the connection. Nothing was ${nothing}.`,
  )
}

function notEndedOnServer(
  cluster: Cluster,
  error: TokendeckError,
  expiresAt: number | undefined,
): TokendeckError {
  const until =
    expiresAt !== undefined && Number.isFinite(expiresAt) && Math.abs(expiresAt) < 8.64e15
      ? ` (until ${new Date(expiresAt).toISOString()})`
      : ''
  return new TokendeckError(
    error.code,
    `Signed out of ${cluster.name} here, but the session could not be ended on the server, so its token stays valid there until it expires${until}. ${error.message}`,
  )
}
