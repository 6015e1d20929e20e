/**
 * `tokendeck tokens expiring [--within 30d]`: every listed token and stored session on every
 * cluster, soonest first (core/expiring), served by the running owner like every token command.
 * Clusters that could not be looked at are named on stderr and in the JSON's `notes`; the rows of
 * the others are printed all the same.
 */
import type { Command } from 'commander'
import { TokendeckError } from '../../../shared/errors'
import type { ExpiringItem, ExpiringReport } from '../../../shared/model'
import { parseExpiresIn } from '../duration'
import { EXIT } from '../exitCodes'
import { isoTime, relative, table, type Output } from '../output'
import type { Runner } from '../runner'

const MAX_WITHIN_S = 10 * 365 * 86_400

export const EXPIRING_HELP = `
Rows are sorted soonest first; tokens that never expire (and sessions whose end is not known)
come last, or are left out with --within. KIND is "token" (a long-lived token) or "session"
(the stored session Tokendeck keeps for the cluster). ACTIONS says what the cluster allows:
rotate (tokendeck tokens rotate), extend (change the expiry in the app) and revoke
(tokendeck tokens revoke).

Exit codes of this command:
  0  every cluster was looked at (whether or not anything expires)
  1  some clusters could not be looked at (signed out, unreachable, refused): they are named on
     stderr and in "notes" with --json; the rows of every other cluster are still printed
  2  bad --within`

function withinSeconds(text: string): number {
  const value = parseExpiresIn(text)
  if (value === 'never' || value > MAX_WITHIN_S)
    throw new TokendeckError(
      'INVALID_INPUT',
      `--within ${text} is not a window: use e.g. 30d, 12h or 2w (at most 3650d).`,
    )
  return value
}

function rows(items: ExpiringItem[], now: number): string[][] {
  return items.map((i) => [
    i.expiresAt === undefined ? (i.kind === 'token' ? 'never' : 'unknown') : isoTime(i.expiresAt),
    i.expiresAt === undefined ? '-' : relative(i.expiresAt, now),
    i.clusterName,
    i.vendor,
    i.kind,
    i.owner,
    i.tokenId ?? '-',
    i.actions.join(',') || '-',
  ])
}

function show(out: Output, report: ExpiringReport, within: string | undefined): void {
  out.result(report)
  for (const n of report.notes) out.warn(`${n.clusterName}: not checked: ${n.error.message}`)
  if (out.json) return
  if (!report.items.length) {
    out.line(within ? `Nothing expires within ${within}.` : 'No tokens or sessions.')
    return
  }
  out.line(
    table(
      ['EXPIRES', 'IN', 'CLUSTER', 'VENDOR', 'KIND', 'OWNER', 'ID', 'ACTIONS'],
      rows(report.items, report.checkedAt),
    ),
  )
}

export function registerExpiring(tokens: Command, runner: Runner): void {
  tokens
    .command('expiring')
    .description('every token and stored session on every cluster, soonest first')
    .option('--within <duration>', 'only what expires within this window: 30d, 12h, 2w')
    .addHelpText('after', EXPIRING_HELP)
    .action(async (flags: { within?: string }, cmd: Command) => {
      const within = flags.within === undefined ? undefined : withinSeconds(flags.within)
      await runner.run(cmd, { keychain: true }, async (ctx, out) => {
        const report = await ctx.call(
          'tokens:expiring',
          within === undefined ? {} : { withinSeconds: within },
        )
        show(out, report, flags.within)
        return report.notes.length ? EXIT.ERROR : EXIT.OK
      })
    })
}
