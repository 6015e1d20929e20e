/**
 * A catalogue of clusters a team shares (`tokendeck clusters export` / `import`, Export… and
 * Import… in the app): where each cluster is, how to trust it and its tags — never a secret,
 * and never a path on the exporter's machine (a CA travels as the certificate itself).
 *
 *   { "format": "tokendeck-catalogue", "version": 1, "clusters": [CatalogueEntry, …] }
 *
 * Every object is strict, so a field that is not here (a password, a token) makes the file
 * invalid instead of being carried along.
 */
import { z } from 'zod'
import {
  ClusterUrl,
  Sha256Fingerprint,
  Tags,
  Vendor,
  type Cluster,
  type ClusterTrust,
} from './model'

export const CATALOGUE_FORMAT = 'tokendeck-catalogue'
export const CATALOGUE_VERSION = 1
/** A CA certificate chain in PEM is a few KB; 64 KB leaves room and stops abuse. */
const MAX_PEM = 65_536

const PEM_CERT = /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/

export const CatalogueTrust = z.union([
  z.strictObject({ sha256: Sha256Fingerprint }),
  z.strictObject({
    caPem: z
      .string()
      .max(MAX_PEM)
      .refine(
        (p) => PEM_CERT.test(p.trim()),
        'caPem must be a PEM certificate (-----BEGIN CERTIFICATE-----)',
      ),
  }),
])
export type CatalogueTrust = z.infer<typeof CatalogueTrust>

const shortText = z.string().trim().min(1).max(256)

export const CatalogueEntry = z
  .strictObject({
    vendor: Vendor,
    name: shortText,
    url: ClusterUrl,
    username: shortText.optional(),
    org: z.string().max(256).optional(),
    tenant: z.string().max(256).optional(),
    domain: z.string().max(256).optional(),
    s3Url: ClusterUrl.optional(),
    trust: CatalogueTrust,
    tags: Tags.optional(),
  })
  .superRefine((e, ctx) => {
    // Fields of another vendor would be ignored silently; say so instead.
    const notFor = (field: 'org' | 'tenant' | 'domain' | 's3Url', vendors: string) => {
      if (e[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `only ${vendors} clusters have it` })
    }
    if (e.vendor !== 'weka') notFor('org', 'WEKA')
    if (e.vendor !== 'swarm') {
      notFor('tenant', 'Swarm')
      notFor('domain', 'Swarm')
      notFor('s3Url', 'Swarm')
    }
  })
export type CatalogueEntry = z.infer<typeof CatalogueEntry>

export const Catalogue = z.strictObject({
  format: z.literal(CATALOGUE_FORMAT),
  version: z.literal(CATALOGUE_VERSION),
  /** ISO time of the export, for people reading the file. */
  exportedAt: z.string().max(64).optional(),
  clusters: z.array(CatalogueEntry).max(10_000),
})
export type Catalogue = z.infer<typeof Catalogue>

export type CatalogueParse = { ok: true; catalogue: Catalogue } | { ok: false; problems: string[] }

/**
 * Read a catalogue file's text. Problems name the entry (number and name) and the field, in
 * the schema's words only, never quoting values (a pasted secret must not reach the screen).
 */
export function parseCatalogue(text: string): CatalogueParse {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { ok: false, problems: ['the file is not valid JSON'] }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { ok: false, problems: ['the file is not a JSON object'] }
  const head = json as Record<string, unknown>
  if (head['format'] !== CATALOGUE_FORMAT)
    return {
      ok: false,
      problems: [`the file is not a Tokendeck catalogue ("format" is not "${CATALOGUE_FORMAT}")`],
    }
  if (head['version'] !== CATALOGUE_VERSION) {
    const v = head['version']
    return {
      ok: false,
      problems: [
        `the catalogue has ${typeof v === 'number' ? `version ${v}` : 'no valid "version"'}; this Tokendeck reads version ${CATALOGUE_VERSION}` +
          (typeof v === 'number' && v > CATALOGUE_VERSION ? ' (a newer Tokendeck wrote it)' : ''),
      ],
    }
  }
  const parsed = Catalogue.safeParse(json)
  if (parsed.success) return { ok: true, catalogue: parsed.data }
  const entries = Array.isArray(head['clusters']) ? (head['clusters'] as unknown[]) : []
  const problems = parsed.error.issues.slice(0, 20).map((issue) => {
    const [top, index, ...field] = issue.path
    const message = describe(issue)
    if (top === 'clusters' && typeof index === 'number') {
      const raw = entries[index] as Record<string, unknown> | undefined
      const name = typeof raw?.['name'] === 'string' ? ` (“${raw['name'].slice(0, 80)}”)` : ''
      const at = field.length ? `${field.map(String).join('.')}: ` : ''
      const trust = raw?.['trust'] as Record<string, unknown> | undefined
      if (field[0] === 'trust' && trust && 'caPath' in trust)
        return `entry ${index + 1}${name}: trust: a catalogue carries the CA certificate itself ("caPem"), not a path on one machine ("caPath")`
      return `entry ${index + 1}${name}: ${at}${message}`
    }
    return `${issue.path.length ? `${issue.path.map(String).join('.')}: ` : ''}${message}`
  })
  return { ok: false, problems }
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')} (a catalogue holds no secrets or other fields)`
  if (issue.code === 'invalid_union') {
    const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]?.[0]
    if (closest) {
      const sub = closest.path.length ? `${closest.path.map(String).join('.')}: ` : ''
      return `${sub}${describe(closest)}`
    }
  }
  return issue.message
}

/** One cluster as a catalogue entry (the CA read by the caller: `caPem`). */
export function catalogueEntryOf(c: Cluster, caPem?: string): CatalogueEntry {
  const trust: CatalogueTrust =
    'sha256' in c.trust ? { sha256: c.trust.sha256 } : { caPem: caPem ?? '' }
  return {
    vendor: c.vendor,
    name: c.name,
    url: c.url,
    username: c.username,
    ...(c.vendor === 'weka' && c.org ? { org: c.org } : {}),
    ...(c.vendor === 'swarm' && c.tenant ? { tenant: c.tenant } : {}),
    ...(c.vendor === 'swarm' && c.domain ? { domain: c.domain } : {}),
    ...(c.vendor === 'swarm' && c.s3Url ? { s3Url: c.s3Url } : {}),
    trust,
    ...(c.tags?.length ? { tags: c.tags } : {}),
  }
}

/** Same vendor, same server (scheme, host, port) and same user: the same cluster. */
export function sameClusterKey(e: {
  vendor: string
  url: string
  username?: string | undefined
}): string {
  let origin = e.url
  try {
    origin = new URL(e.url).origin
  } catch {
    // Not a URL: the schema already refused it; keep the text.
  }
  return `${e.vendor} ${origin} ${(e.username ?? '').trim().toLowerCase()}`
}

/** What importing one entry would do (`clusters:importPlan`). */
export const ImportPlanEntry = z.strictObject({
  index: z.number().int(),
  name: z.string(),
  vendor: Vendor,
  url: z.string(),
  username: z.string().optional(),
  action: z.enum(['add', 'unchanged', 'update', 'skip']),
  /** Why it is skipped, or what an update changes. */
  reason: z.string().optional(),
  existingId: z.string().optional(),
  /** The entry's certificate differs from the one this cluster trusts now (needs a confirm). */
  trustChanged: z.boolean(),
  tagsAdded: z.array(z.string()),
  /** What the entry trusts: a pinned fingerprint, or a CA (its details, read from the PEM). */
  certificate: z.union([
    z.strictObject({ kind: z.literal('pin'), sha256: z.string() }),
    z.strictObject({
      kind: z.literal('ca'),
      sha256: z.string(),
      subject: z.string(),
      issuer: z.string(),
      validFrom: z.number(),
      validTo: z.number(),
    }),
  ]),
})
export type ImportPlanEntry = z.infer<typeof ImportPlanEntry>

export const ImportOutcome = z.strictObject({
  index: z.number().int(),
  name: z.string(),
  status: z.enum(['added', 'unchanged', 'updated', 'skipped']),
  clusterId: z.string().optional(),
  reason: z.string().optional(),
})
export type ImportOutcome = z.infer<typeof ImportOutcome>

export type { ClusterTrust }
