/**
 * Export and import of a shared catalogue (src/shared/catalogue.ts). Export reads each CA file
 * so the certificate itself travels, never a path. Import first plans (what each entry would
 * do, with its certificate to show), then applies what the user confirmed: a new cluster, or a
 * changed certificate of a known one, only with that entry's confirmation. Entries are applied
 * one by one through the registry's locked read-modify-write; one that fails is reported and the
 * others still run. Imported CA certificates are written into the data directory.
 */
import { createHash, X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import {
  CATALOGUE_FORMAT,
  CATALOGUE_VERSION,
  catalogueEntryOf,
  sameClusterKey,
  type Catalogue,
  type CatalogueEntry,
  type ImportOutcome,
  type ImportPlanEntry,
} from '../../../shared/catalogue'
import { TokendeckError, isTokendeckError } from '../../../shared/errors'
import type { Cluster, ClusterTrust } from '../../../shared/model'
import { describeCertificate } from '../http'
import { writeFileAtomic } from './atomicFile'
import type { ClusterRegistry } from './registry'
import { editTags } from './tags'

/** Folder of the data directory that holds imported CA certificates. */
export const CA_DIR = 'ca'

/**
 * Sets a known cluster's trust from the catalogue so it takes effect on the next request, the
 * session kept (clusterService/clusterService.ts, which sits above this folder).
 */
export interface ImportedTrustSetter {
  setImportedTrust(clusterId: string, trust: Cluster['trust']): Promise<void>
}

export class CatalogueService {
  constructor(
    private readonly registry: ClusterRegistry,
    private readonly clusters: ImportedTrustSetter,
  ) {}

  /** Every cluster (or those with one of `tags`) as a catalogue. @throws INVALID_INPUT for an unreadable CA file */
  async export(tags: readonly string[] = [], now = new Date()): Promise<Catalogue> {
    const wanted = new Set(tags)
    const chosen = this.registry
      .list()
      .filter((c) => wanted.size === 0 || (c.tags ?? []).some((t) => wanted.has(t)))
    const entries: CatalogueEntry[] = []
    for (const c of chosen) {
      if ('sha256' in c.trust) entries.push(catalogueEntryOf(c))
      else entries.push(catalogueEntryOf(c, await readCa(c)))
    }
    return {
      format: CATALOGUE_FORMAT,
      version: CATALOGUE_VERSION,
      exportedAt: now.toISOString(),
      clusters: entries,
    }
  }

  /** What importing each entry would do; nothing is changed. */
  async plan(catalogue: Catalogue): Promise<ImportPlanEntry[]> {
    const existing = this.registry.list()
    const byKey = new Map(existing.map((c) => [sameClusterKey(c), c]))
    const firstIndex = new Map<string, number>()
    const plans: ImportPlanEntry[] = []
    for (const [index, e] of catalogue.clusters.entries()) {
      const base = {
        index,
        name: e.name,
        vendor: e.vendor,
        url: e.url,
        ...(e.username !== undefined ? { username: e.username } : {}),
        tagsAdded: [] as string[],
        trustChanged: false,
      }
      const certificate = certificateOf(e)
      if (certificate === undefined) {
        plans.push({
          ...base,
          action: 'skip',
          reason: 'its caPem could not be read as a certificate',
          certificate: { kind: 'pin', sha256: '' },
        })
        continue
      }
      const skip = (reason: string) => plans.push({ ...base, certificate, action: 'skip', reason })
      if (e.username === undefined) {
        skip('it names no user: add it with your user name (tokendeck clusters add)')
        continue
      }
      const key = sameClusterKey(e)
      const earlier = firstIndex.get(key)
      if (earlier !== undefined) {
        skip(`it is the same cluster as entry ${earlier + 1}`)
        continue
      }
      firstIndex.set(key, index)
      const known = byKey.get(key)
      if (known === undefined) {
        const clash = existing.find((c) => sameName(c.name, e.name))
        if (clash) skip(`another cluster is already named "${clash.name}"`)
        else plans.push({ ...base, certificate, action: 'add' })
        continue
      }
      const trustChanged = !(await sameTrust(known, e))
      const tagsAdded = (e.tags ?? []).filter((t) => !(known.tags ?? []).includes(t))
      const changes = [
        trustChanged && 'a different certificate',
        tagsAdded.length > 0 && `tags ${tagsAdded.join(', ')}`,
      ].filter((x): x is string => x !== false)
      plans.push({
        ...base,
        certificate,
        existingId: known.id,
        trustChanged,
        tagsAdded,
        action: changes.length ? 'update' : 'unchanged',
        ...(changes.length ? { reason: changes.join(' and ') } : {}),
      })
    }
    return plans
  }

  /**
   * Apply the catalogue. `confirmed` are the entries whose certificate the user accepted: a new
   * cluster needs it to be added; a known one needs it for its certificate to change (its new
   * tags are added either way). Tags are only ever added, never taken away.
   */
  async import(catalogue: Catalogue, confirmed: readonly number[]): Promise<ImportOutcome[]> {
    const ok = new Set(confirmed)
    const outcomes: ImportOutcome[] = []
    for (const p of await this.plan(catalogue)) {
      const e = catalogue.clusters[p.index]!
      const base = { index: p.index, name: p.name }
      try {
        if (p.action === 'skip') {
          outcomes.push({ ...base, status: 'skipped', ...(p.reason ? { reason: p.reason } : {}) })
        } else if (p.action === 'unchanged') {
          outcomes.push({ ...base, status: 'unchanged', clusterId: p.existingId! })
        } else if (p.action === 'add') {
          if (!ok.has(p.index)) {
            outcomes.push({
              ...base,
              status: 'skipped',
              reason: 'its certificate was not confirmed',
            })
            continue
          }
          const added = await this.registry.add({
            vendor: e.vendor,
            name: e.name,
            url: e.url,
            username: e.username!,
            ...(e.org ? { org: e.org } : {}),
            ...(e.tenant ? { tenant: e.tenant } : {}),
            ...(e.domain ? { domain: e.domain } : {}),
            ...(e.s3Url ? { s3Url: e.s3Url } : {}),
            trust: await this.trustFor(e),
            ...(e.tags?.length ? { tags: [...e.tags].sort() } : {}),
          })
          outcomes.push({ ...base, status: 'added', clusterId: added.id })
        } else {
          const id = p.existingId!
          const trust = p.trustChanged && ok.has(p.index)
          if (p.tagsAdded.length)
            await this.registry.update(id, (c) => ({ tags: editTags(c.tags, p.tagsAdded, []) }))
          if (trust) await this.clusters.setImportedTrust(id, await this.trustFor(e))
          if (!trust && !p.tagsAdded.length) {
            outcomes.push({
              ...base,
              status: 'skipped',
              clusterId: id,
              reason: 'its changed certificate was not confirmed; the trusted one is kept',
            })
            continue
          }
          const note = [
            trust && 'certificate',
            p.tagsAdded.length > 0 && `tags ${p.tagsAdded.join(', ')}`,
          ].filter((x): x is string => x !== false)
          const kept =
            p.trustChanged && !trust
              ? '; its changed certificate was not confirmed, kept the trusted one'
              : ''
          outcomes.push({
            ...base,
            status: 'updated',
            clusterId: id,
            reason: `${note.join(' and ')}${kept}`,
          })
        }
      } catch (err) {
        outcomes.push({
          ...base,
          status: 'skipped',
          reason: isTokendeckError(err) ? err.message : String(err),
        })
      }
    }
    return outcomes
  }

  /** The trust to store: a pin as it is; a CA written into the data directory. */
  private async trustFor(e: CatalogueEntry): Promise<ClusterTrust> {
    if ('sha256' in e.trust) return { sha256: e.trust.sha256 }
    const pem = `${e.trust.caPem.trim()}\n`
    const name = createHash('sha256').update(pem).digest('hex').slice(0, 24)
    const file = path.join(path.dirname(this.registry.file), CA_DIR, `imported-${name}.pem`)
    await writeFileAtomic(file, pem, { mode: 0o644 })
    return { caPath: file }
  }
}

function sameName(a: string, b: string): boolean {
  const k = (s: string) => s.normalize('NFC').trim().toLowerCase()
  return k(a) === k(b)
}

function certificateOf(e: CatalogueEntry): ImportPlanEntry['certificate'] | undefined {
  if ('sha256' in e.trust) return { kind: 'pin', sha256: e.trust.sha256 }
  try {
    const info = describeCertificate(new X509Certificate(e.trust.caPem))
    return {
      kind: 'ca',
      sha256: info.sha256,
      subject: info.subject,
      issuer: info.issuer,
      validFrom: info.validFrom,
      validTo: info.validTo,
    }
  } catch {
    return undefined
  }
}

/**
 * The CA file's certificates, and nothing else: a bundle may hold a private key beside them,
 * which must never travel in a file meant for the whole team.
 */
async function readCa(c: Cluster): Promise<string> {
  const file = 'caPath' in c.trust ? c.trust.caPath : ''
  try {
    const text = await readFile(file, 'utf8')
    const certs = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)
    if (!certs) throw new Error('no certificate')
    return certs.join('\n')
  } catch {
    throw new TokendeckError(
      'INVALID_INPUT',
      `Cannot read the CA file of ${c.name} (${file}), so it cannot be exported with its certificate.`,
    )
  }
}

async function sameTrust(c: Cluster, e: CatalogueEntry): Promise<boolean> {
  if ('sha256' in c.trust) return 'sha256' in e.trust && e.trust.sha256 === c.trust.sha256
  if (!('caPem' in e.trust)) return false
  try {
    return (await readFile(c.trust.caPath, 'utf8')).trim() === e.trust.caPem.trim()
  } catch {
    return false
  }
}
