/** `tokendeck clusters add|list|tag|remove|retrust`: the cluster list the app shows, and its trust. */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Option, type Command } from 'commander'
import type { CertificateInfo, ClusterDraft } from '../../../shared/contract'
import { TokendeckError } from '../../../shared/errors'
import { sameServer } from '../../../shared/sameServer'
import {
  ClusterUrl,
  Sha256Fingerprint,
  normalizeFingerprint,
  normalizeTag,
  Tag,
  type Cluster,
  type ClusterTrust,
} from '../../../shared/model'
import {
  allVendorFields,
  capabilitiesOf,
  vendorFields,
  vendorIds,
  vendorName,
  type Vendor,
} from '../../../shared/vendors'
import type { CliContext } from '../context'
import { registerCatalogue } from './catalogue'
import { isoTime, table, type Output } from '../output'
import { Cancelled, canPrompt, confirm } from '../prompt'
import type { Runner } from '../runner'

export interface TrustFlags {
  trustFingerprint?: string
  caFile?: string
  trustOnFirstUse?: boolean
}

interface AddFlags extends TrustFlags {
  vendor: Vendor
  name: string
  url: string
  username: string
  tag: string[]
  /** The vendor table's connection fields, under commander's camelCase of their flag. */
  [field: string]: unknown
}

/** `s3-url` → `s3Url`: where commander puts a flag's value. */
function flagProperty(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_m: string, c: string) => c.toUpperCase())
}

/** One option per connection field of the vendor table (shared/vendors.ts), for every vendor. */
function addVendorFieldOptions(command: Command): void {
  for (const f of allVendorFields())
    command.option(`--${f.flag} <${f.kind === 'url' ? 'url' : 'value'}>`, f.cliHelp)
}

/**
 * The connection fields given as flags, checked: each must be one of the chosen vendor's, and a
 * URL field is checked like --url. @throws INVALID_INPUT (a usage error) naming the flag.
 */
function vendorFieldValues(vendor: string, flags: Record<string, unknown>): Record<string, string> {
  const own = new Set(vendorFields(vendor).map((f) => f.key))
  const values: Record<string, string> = {}
  for (const f of allVendorFields()) {
    const value = flags[flagProperty(f.flag)]
    if (typeof value !== 'string') continue
    if (!own.has(f.key))
      throw usage(`--${f.flag} is not a setting of ${vendorName(vendor)} clusters.`)
    if (f.kind === 'url') checkUrl(`--${f.flag}`, value)
    values[f.key] = value
  }
  return values
}

/** Commander collector for a repeatable flag (`--tag a --tag b`). */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

/** Tags as typed, normalised and checked; a bad one is a usage error naming it. */
function tagsOf(flag: string, values: readonly string[]): string[] {
  return values.map((raw) => {
    const tag = normalizeTag(raw)
    const parsed = Tag.safeParse(tag)
    if (!parsed.success) {
      throw usage(`${flag} "${raw}": ${parsed.error.issues[0]?.message ?? 'not a valid tag'}.`)
    }
    return tag
  })
}

const usage = (message: string) => new TokendeckError('INVALID_INPUT', message)

export function fingerprintOf(text: string): string {
  const fp = normalizeFingerprint(text)
  if (!Sha256Fingerprint.safeParse(fp).success) {
    throw usage(`"${text}" is not a SHA-256 fingerprint (32 hex pairs, e.g. AB:CD:…).`)
  }
  return fp
}

export async function caFileTrust(file: string): Promise<ClusterTrust> {
  const caPath = path.resolve(file)
  let pem: string
  try {
    pem = await readFile(caPath, 'utf8')
  } catch {
    throw usage(`Cannot read the CA file ${caPath}.`)
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw usage(`${caPath} holds no PEM certificate.`)
  return { caPath }
}

/** Which trust the flags ask for, or 'probe' (look at the certificate and ask). */
export function trustChoice(flags: TrustFlags): 'fingerprint' | 'ca' | 'tofu' | 'probe' {
  const chosen = [
    flags.trustFingerprint !== undefined && 'fingerprint',
    flags.caFile !== undefined && 'ca',
    flags.trustOnFirstUse === true && 'tofu',
  ].filter((x): x is 'fingerprint' | 'ca' | 'tofu' => x !== false)
  if (chosen.length > 1)
    throw usage('Choose one of --trust-fingerprint, --ca-file and --trust-on-first-use.')
  if (chosen.length === 0 && !canPrompt()) {
    throw usage(
      'No trust given and no terminal to confirm the certificate on: pass --trust-fingerprint SHA256 ' +
        '(checked out of band), --ca-file PATH, or --trust-on-first-use.',
    )
  }
  return chosen[0] ?? 'probe'
}

function showCertificate(out: Output, url: string, cert: CertificateInfo): void {
  const now = Date.now()
  out.info(`Certificate presented by ${url}:`)
  out.info(`  SHA-256:  ${cert.sha256}`)
  out.info(`  Subject:  ${cert.subject}`)
  out.info(`  Issuer:   ${cert.issuer}${cert.selfSigned ? ' (self-signed)' : ''}`)
  out.info(`  Valid:    ${isoTime(cert.validFrom)} to ${isoTime(cert.validTo)}`)
  if (cert.subjectAltNames.length) out.info(`  Names:    ${cert.subjectAltNames.join(', ')}`)
  if (cert.validTo < now) out.warn('this certificate has expired.')
  if (cert.validFrom > now) out.warn('this certificate is not valid yet.')
}

/** Probe, show, and (unless trusting on first use by flag) ask. Returns the fingerprint to pin. */
export async function probeAndConfirm(
  ctx: CliContext,
  out: Output,
  url: string,
  ask: boolean,
): Promise<string> {
  const cert = await ctx.call('clusters:probe', { url })
  showCertificate(out, url, cert)
  if (
    ask &&
    !(await confirm(
      'Trust this certificate for this cluster? Check the fingerprint with the cluster’s admin first.',
    ))
  ) {
    throw new Cancelled()
  }
  return cert.sha256
}

/** A URL flag, as the cluster list would take it (https, no user name or password in it). */
export function checkUrl(flag: string, url: string): void {
  const parsed = ClusterUrl.safeParse(url)
  if (parsed.success) return
  const why = parsed.error.issues[0]?.message ?? ''
  // zod's own words for a malformed URL ("Invalid URL") say less than ours.
  throw usage(
    /^invalid/i.test(why) || why === ''
      ? `${flag} is not a valid URL: expected https://host[:port].`
      : `${flag}: ${why}.`,
  )
}

function trustText(c: Cluster): string {
  return 'sha256' in c.trust ? `pin ${c.trust.sha256.slice(0, 23)}…` : `ca ${c.trust.caPath}`
}

export function registerClusters(program: Command, runner: Runner): void {
  const clusters = program
    .command('clusters')
    .description('add, list, remove and re-trust clusters (shared with the app)')

  const add = clusters
    .command('add')
    .description(
      'add a cluster; pins its certificate (shown and confirmed unless a trust flag is given)',
    )
    .addOption(
      new Option('--vendor <vendor>', 'storage system').choices(vendorIds()).makeOptionMandatory(),
    )
    .requiredOption('--name <name>', 'display name (also accepted wherever <cluster> is asked)')
    .requiredOption('--url <url>', 'https://host[:port] of the management API')
    .requiredOption('--username <user>', 'account to sign in with')
  addVendorFieldOptions(add)
  add
    .option(
      '--trust-fingerprint <sha256>',
      'pin this SHA-256 certificate fingerprint (verified out of band)',
    )
    .option('--ca-file <path>', 'trust certificates issued by this PEM CA file')
    .option(
      '--trust-on-first-use',
      'pin whatever certificate the server presents now (shown on stderr)',
    )
    .option('--tag <tag>', 'label for grouping (repeatable: --tag prod --tag site-a)', collect, [])
    .action(async (flags: AddFlags, cmd: Command) => {
      // Before anything is sent anywhere: a URL with a password in it is refused without
      // repeating it.
      checkUrl('--url', flags.url)
      const fields = vendorFieldValues(flags.vendor, flags)
      const tags = [...new Set(tagsOf('--tag', flags.tag))].sort()
      const choice = trustChoice(flags)
      const preset: ClusterTrust | undefined =
        choice === 'fingerprint'
          ? { sha256: fingerprintOf(flags.trustFingerprint ?? '') }
          : choice === 'ca'
            ? await caFileTrust(flags.caFile ?? '')
            : undefined
      await runner.run(cmd, { keychain: false }, async (ctx, out) => {
        const existing = await ctx.clusters()
        if (existing.some((c) => c.name === flags.name)) {
          throw usage(`A cluster named "${flags.name}" already exists; choose another name.`)
        }
        const same = existing.filter(
          (c) => sameServer(c.url, flags.url) && c.username === flags.username,
        )
        for (const c of same) {
          out.warn(
            `${c.name} (id ${c.id}) already signs in to ${c.url} as ${c.username}; both entries share the account (and its lockout), but each keeps its own session.`,
          )
        }
        const trust = preset ?? {
          sha256: await probeAndConfirm(ctx, out, flags.url, choice === 'probe'),
        }
        const draft: ClusterDraft = {
          vendor: flags.vendor,
          name: flags.name,
          url: flags.url,
          username: flags.username,
          trust,
          ...fields,
          ...(tags.length ? { tags } : {}),
        }
        const view = await ctx.call('clusters:add', draft)
        out.result(view.cluster)
        out.line(
          `Added ${view.cluster.name} (id ${view.cluster.id}). Sign in with: tokendeck login ${view.cluster.id}`,
        )
      })
    })

  clusters
    .command('list')
    .description('list clusters (configuration only; see "status" for sessions)')
    .action(async (_flags: unknown, cmd: Command) => {
      await runner.run(cmd, { keychain: false }, async (ctx, out) => {
        const all = await ctx.clusters()
        out.result(all)
        if (!out.json) {
          if (!all.length) out.line('No clusters. Add one with: tokendeck clusters add --help')
          else
            out.line(
              table(
                ['ID', 'NAME', 'VENDOR', 'URL', 'USERNAME', 'TRUST', 'TAGS'],
                all.map((c) => [
                  c.id,
                  c.name,
                  c.vendor,
                  c.url,
                  c.username,
                  trustText(c),
                  (c.tags ?? []).join(','),
                ]),
              ),
            )
        }
      })
    })

  registerCatalogue(clusters, runner)

  clusters
    .command('tag <cluster>')
    .description('add or remove tags of a cluster (labels for grouping: prod, lab, a site)')
    .option('--add <tag>', 'add this tag (repeatable)', collect, [])
    .option('--remove <tag>', 'remove this tag (repeatable)', collect, [])
    .action(async (ref: string, flags: { add: string[]; remove: string[] }, cmd: Command) => {
      const add = tagsOf('--add', flags.add)
      const remove = flags.remove.map(normalizeTag)
      if (!add.length && !remove.length) throw usage('Give --add <tag> or --remove <tag>.')
      await runner.run(cmd, { keychain: false }, async (ctx, out) => {
        const c = await ctx.cluster(ref)
        const view = await ctx.call('clusters:tag', { clusterId: c.id, add, remove })
        const tags = view.cluster.tags ?? []
        out.result({ clusterId: c.id, tags })
        out.line(tags.length ? `${c.name} is tagged ${tags.join(', ')}.` : `${c.name} has no tags.`)
      })
    })

  clusters
    .command('remove <cluster>')
    .description(
      'sign out on the server (where the vendor can), then remove the cluster and every credential kept for it in the keychain',
    )
    .option('--yes', 'do not ask for confirmation')
    .action(async (ref: string, flags: { yes?: boolean }, cmd: Command) => {
      await runner.run(cmd, { keychain: true }, async (ctx, out) => {
        const c = await ctx.cluster(ref)
        // At a terminal, ask; a script (no terminal) removes as it always did, or says --yes.
        if (!flags.yes && canPrompt()) {
          const ends = capabilitiesOf(c.vendor).endsSessionOnServer
            ? ' If signed in, its session is ended on the server first.'
            : ' A session on the server is not ended: it expires there on its own.'
          if (
            !(await confirm(
              `Remove ${c.name} (${c.vendor}, ${c.username} at ${c.url}) and its stored credentials?${ends}`,
            ))
          )
            throw new Cancelled()
        }
        const removed = await ctx.call('clusters:remove', { clusterId: c.id })
        for (const w of removed.warnings ?? []) out.warn(w)
        out.result({
          removed: true,
          clusterId: c.id,
          ...(removed.signedOutOnServer !== undefined
            ? { signedOutOnServer: removed.signedOutOnServer }
            : {}),
          ...(removed.warnings?.length ? { warnings: removed.warnings } : {}),
        })
        out.line(
          removed.signedOutOnServer
            ? `Signed out of ${c.name} on the server, and removed it (id ${c.id}) and its stored credentials.`
            : `Removed ${c.name} (id ${c.id}) and its stored credentials.`,
        )
      })
    })

  clusters
    .command('retrust <cluster>')
    .description(
      'after a certificate change (exit 4, TLS_PIN_MISMATCH): pin the certificate the server presents now',
    )
    .option('--trust-fingerprint <sha256>', 'pin this SHA-256 fingerprint (verified out of band)')
    .option('--trust-on-first-use', 'pin whatever certificate the server presents now')
    .action(async (ref: string, flags: TrustFlags, cmd: Command) => {
      const choice = trustChoice(flags)
      const preset =
        choice === 'fingerprint' ? fingerprintOf(flags.trustFingerprint ?? '') : undefined
      await runner.run(cmd, { keychain: true }, async (ctx, out) => {
        const c = await ctx.cluster(ref)
        const sha256 = preset ?? (await probeAndConfirm(ctx, out, c.url, choice === 'probe'))
        const view = await ctx.call('clusters:retrust', { clusterId: c.id, sha256 })
        out.result(view.cluster)
        out.line(`${c.name} now trusts the certificate ${sha256}.`)
      })
    })
}
