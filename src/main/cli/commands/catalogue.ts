/**
 * `tokendeck clusters export|import`: a catalogue of clusters a team shares (see
 * src/shared/catalogue.ts) — where each cluster is, how to trust it, its tags; never a secret.
 */
import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { parseCatalogue, type ImportPlanEntry } from '../../../shared/catalogue'
import { TokendeckError } from '../../../shared/errors'
import { normalizeTag, Tag } from '../../../shared/model'
import type { CliContext } from '../context'
import { isoTime, type Output } from '../output'
import { canPrompt, confirm } from '../prompt'
import type { Runner } from '../runner'

const usage = (message: string) => new TokendeckError('INVALID_INPUT', message)

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

/** An entry whose certificate the user must accept: a new cluster, or a changed certificate. */
function needsConfirm(p: ImportPlanEntry): boolean {
  return p.action === 'add' || (p.action === 'update' && p.trustChanged)
}

function describeEntry(out: Output, p: ImportPlanEntry): void {
  const who = `${p.vendor} ${p.url}${p.username ? ` as ${p.username}` : ''}`
  const what =
    p.action === 'add'
      ? 'new'
      : p.action === 'unchanged'
        ? 'already here, unchanged'
        : p.action === 'update'
          ? `already here; the catalogue has ${p.reason ?? 'changes'}`
          : `skipped: ${p.reason ?? ''}`
  out.info(`${p.index + 1}. ${p.name} (${who}): ${what}`)
  if (!needsConfirm(p)) return
  const c = p.certificate
  if (c.kind === 'pin') out.info(`   pinned certificate SHA-256: ${c.sha256}`)
  else {
    out.info(`   CA certificate: ${c.subject} (issued by ${c.issuer})`)
    out.info(`   valid ${isoTime(c.validFrom)} to ${isoTime(c.validTo)}; SHA-256 ${c.sha256}`)
    if (c.validTo < Date.now()) out.warn(`the CA certificate of ${p.name} has expired.`)
  }
}

/** Ask the server what it presents now and compare with the entry's certificate. */
async function check(ctx: CliContext, out: Output, p: ImportPlanEntry): Promise<boolean> {
  try {
    const seen = await ctx.call('clusters:probe', { url: p.url })
    const c = p.certificate
    const match =
      c.kind === 'pin'
        ? seen.sha256 === c.sha256
        : seen.sha256 === c.sha256 || seen.issuer === c.subject
    out.info(
      match
        ? `   check: the server presents ${seen.sha256}: match`
        : `   check: MISMATCH: the server presents ${seen.sha256} (${seen.subject}, issued by ${seen.issuer})`,
    )
    return match
  } catch (e) {
    out.info(`   check: could not ask the server (${e instanceof Error ? e.message : String(e)})`)
    return false
  }
}

export function registerCatalogue(clusters: Command, runner: Runner): void {
  clusters
    .command('export')
    .description(
      'print the clusters as a catalogue to share (JSON: URLs, users, pinned certificates or CA certificates, tags; never a secret)',
    )
    .option('--tag <tag>', 'only clusters with this tag (repeatable)', collect, [])
    .action(async (flags: { tag: string[] }, cmd: Command) => {
      const tags = flags.tag.map(normalizeTag)
      for (const t of tags)
        if (!Tag.safeParse(t).success) throw usage(`--tag "${t}" is not a valid tag.`)
      await runner.run(cmd, { keychain: false }, async (ctx, out) => {
        const catalogue = await ctx.call('clusters:export', { tags })
        if (out.json) out.result(catalogue)
        else out.raw(JSON.stringify(catalogue, null, 2))
        const n = catalogue.clusters.length
        out.info(`Exported ${n} ${n === 1 ? 'cluster' : 'clusters'} (no passwords or tokens).`)
      })
    })

  clusters
    .command('import <file>')
    .description(
      'add the clusters of a catalogue; shows each new or changed certificate and asks (on a terminal); merges with the clusters you have',
    )
    .option('--yes', 'accept the certificates in the file without asking (checked out of band)')
    .option(
      '--check',
      'probe each new or changed cluster and say whether it presents the certificate in the file (with --yes, mismatches are not accepted)',
    )
    .action(async (file: string, flags: { yes?: boolean; check?: boolean }, cmd: Command) => {
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch {
        throw usage(`Cannot read the catalogue ${file}.`)
      }
      const parsed = parseCatalogue(text)
      if (!parsed.ok) throw usage(`${file} cannot be imported: ${parsed.problems.join('; ')}.`)
      const catalogue = parsed.catalogue
      await runner.run(cmd, { keychain: false }, async (ctx, out) => {
        const plan = await ctx.call('clusters:importPlan', { catalogue })
        const asking = plan.filter(needsConfirm)
        if (asking.length && !flags.yes && !canPrompt()) {
          for (const p of plan) describeEntry(out, p)
          throw usage(
            `${asking.length} ${asking.length === 1 ? 'entry needs' : 'entries need'} its certificate confirmed: run on a terminal, or pass --yes (after checking the file, or with --check).`,
          )
        }
        const confirmed: number[] = []
        for (const p of plan) {
          describeEntry(out, p)
          if (!needsConfirm(p)) continue
          const matches = flags.check ? await check(ctx, out, p) : undefined
          if (flags.yes) {
            if (matches === false) out.warn(`${p.name}: not accepted, the check did not match.`)
            else confirmed.push(p.index)
          } else if (await confirm(`   Trust this certificate for ${p.name}?`)) {
            confirmed.push(p.index)
          }
        }
        const outcomes = await ctx.call('clusters:import', { catalogue, confirmed })
        out.result(outcomes)
        const count = (s: string) => outcomes.filter((o) => o.status === s).length
        for (const o of outcomes)
          if (o.status === 'skipped' || o.status === 'updated')
            out.line(`${o.name}: ${o.status}${o.reason ? ` (${o.reason})` : ''}`)
        out.line(
          `Imported: ${count('added')} added, ${count('unchanged')} unchanged, ${count('updated')} updated, ${count('skipped')} skipped.`,
        )
      })
    })
}
