/**
 * `tokendeck audit [--since 7d] [--cluster <name>] [--token <id>] [--json]`: what Tokendeck did
 * with credentials (core/audit), read straight from the log file — no session owner needed, so it
 * works while the app runs and when nothing runs. Text shows local times; --json prints the
 * records as JSON lines (one object a line, oldest first). A damaged line is skipped with a note
 * on stderr and the rest is printed.
 */
import type { Command } from 'commander'
import type { AuditRecord } from '../../../shared/audit'
import { TokendeckError } from '../../../shared/errors'
import { AuditLog } from '../../core/audit'
import { dataDir, keychainService, readOrCreateProfileId } from '../../core/clusters'
import { KeytarSecretStore } from '../../core/secrets'
import { parseExpiresIn } from '../duration'
import { EXIT } from '../exitCodes'
import { oneLine, table } from '../output'
import type { Runner } from '../runner'

interface AuditFlags {
  since?: string
  cluster?: string
  token?: string
}

export function registerAudit(program: Command, runner: Runner): void {
  program
    .command('audit')
    .description(
      'what Tokendeck did with credentials (sign-in/out, tokens created/rotated/revoked, copies, exec…); ' +
        'never a secret, token ids only as HMAC-SHA256 hashes',
    )
    .option('--since <duration>', 'only the last 7d, 12h, 90m…')
    .option('--cluster <cluster>', 'only this cluster (id or name, also of a removed cluster)')
    .option('--token <id>', 'only records about this token id (hashed with the profile key)')
    .action(async (flags: AuditFlags, cmd: Command) => {
      const global = runner.global(cmd)
      const out = runner.output(cmd)
      const since = sinceOf(flags.since)
      const dir = dataDir(global.profile)
      let log = new AuditLog({ dataDir: dir, actor: 'cli' })
      let hash: string | undefined
      if (flags.token !== undefined) {
        const namespace = (await readOrCreateProfileId(dir)).id
        log = new AuditLog({
          dataDir: dir,
          actor: 'cli',
          secrets: new KeytarSecretStore({ service: keychainService(global.profile), namespace }),
        })
        hash = await log.hash(flags.token)
      }
      const { records, notes, file } = await log.read(since === undefined ? {} : { since })
      const shown = records.filter(
        (r) =>
          (flags.cluster === undefined ||
            r.clusterId === flags.cluster ||
            r.clusterName === flags.cluster) &&
          (hash === undefined || r.token === hash || r.newToken === hash),
      )
      for (const note of notes) out.warn(note)
      if (out.json) {
        for (const r of shown) out.raw(JSON.stringify(r))
      } else if (shown.length === 0) {
        out.line(records.length ? 'No records match.' : `Nothing recorded yet (${file}).`)
      } else {
        out.line(
          table(
            ['TIME', 'EVENT', 'OUTCOME', 'BY', 'CLUSTER', 'DETAILS'],
            shown.map((r) => [
              localTime(r.time),
              r.event,
              r.outcome,
              r.clientPid !== undefined ? `${r.actor} (pid ${r.clientPid})` : r.actor,
              r.clusterName ? `${r.clusterName}${r.vendor ? ` (${r.vendor})` : ''}` : '-',
              details(r),
            ]),
          ),
        )
      }
      runner.exitCode = EXIT.OK
    })
}

function sinceOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  let seconds: number | 'never'
  try {
    seconds = parseExpiresIn(text)
  } catch {
    seconds = 'never'
  }
  if (seconds === 'never')
    throw new TokendeckError(
      'INVALID_INPUT',
      `--since "${text}" is not a duration: use e.g. 7d, 12h or 90m.`,
    )
  return Date.now() - seconds * 1000
}

/** `2026-11-30 14:05:09` in the local time zone; an unreadable time as it was written. */
export function localTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return oneLine(iso)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

/** The rest of a record, short: hashes cut to 12 hex digits (enough to tell them apart by eye). */
function details(r: AuditRecord): string {
  const shortHash = (h: string) => h.replace(/^hmac-sha256:([0-9a-f]{12})[0-9a-f]*$/, '#$1')
  const parts = [
    r.what !== undefined ? `${r.what}${r.to ? ` → ${r.to}` : ''}` : undefined,
    r.token !== undefined ? `token ${shortHash(r.token)}` : undefined,
    r.newToken !== undefined ? `new ${shortHash(r.newToken)}` : undefined,
    r.user !== undefined ? `user ${r.user}` : undefined,
    r.expiresAt !== undefined
      ? `expires ${r.expiresAt === null ? 'never' : new Date(r.expiresAt).toISOString()}`
      : undefined,
    r.command !== undefined ? `command ${r.command}` : undefined,
    r.exitCode !== undefined ? `exit ${r.exitCode}` : undefined,
    r.source !== undefined ? `from ${r.source}` : undefined,
  ]
  return parts.filter((p) => p !== undefined).join(', ') || '-'
}
