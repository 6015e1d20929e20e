/** `tokendeck login|logout|token|status`: sessions, kept in the same keychain as the app's. */
import type { Command } from 'commander'
import { TokendeckError } from '../../../shared/errors'
import type { SessionState } from '../../../shared/model'
import { COPY_FORMATS, type CopyFormat } from '../../../shared/contract'
import { dataDir } from '../../core/clusters'
import { ensureCaFile } from '../../core/clipboard/caFile'
import { copyText } from '../../core/clipboard/copyFormats'
import { EXIT, exitCodeFor, type ExitCode } from '../exitCodes'
import { bareToken, describeSession, oneLine, when } from '../output'
import { askHidden, canPrompt, readLinesFromStdin } from '../prompt'
import { isChangeRequired, newPasswordFor } from './loginPasswordChange'
import type { Runner } from '../runner'
import { recordFromCli } from '../../core/audit'

/** `status <cluster>` exits 0 only for a usable session, else with the code of why not. */
function exitForState(s: SessionState): ExitCode {
  switch (s.state) {
    case 'active':
    case 'refreshing':
      return EXIT.OK
    case 'signed-out':
    case 'expired':
    case 'locked':
      return EXIT.AUTH
    case 'untrusted':
      return EXIT.NETWORK
    case 'failed':
      return exitCodeFor(s.error.code)
    case 'signing-in':
      return EXIT.ERROR
  }
}

export function registerSession(program: Command, runner: Runner): void {
  program
    .command('login <cluster>')
    .description(
      'sign in (the password is used for exactly one request: never stored, never retried)',
    )
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option(
      '--new-password-stdin',
      'with --password-stdin: when the server requires a new password (WEKA), read it from the second line of stdin',
    )
    .action(
      async (
        ref: string,
        flags: { passwordStdin?: boolean; newPasswordStdin?: boolean },
        cmd: Command,
      ) => {
        if (flags.newPasswordStdin && !flags.passwordStdin) {
          throw new TokendeckError(
            'INVALID_INPUT',
            '--new-password-stdin reads the second line of stdin: pass --password-stdin too, with the current password on the first line.',
          )
        }
        if (!flags.passwordStdin && !canPrompt()) {
          throw new TokendeckError(
            'INVALID_INPUT',
            'No terminal to ask for the password on: pass --password-stdin and pipe it in.',
          )
        }
        await runner.run(cmd, { keychain: true }, async (ctx, out) => {
          const c = await ctx.cluster(ref)
          const [password, newFromStdin] = flags.passwordStdin
            ? await readLinesFromStdin(flags.newPasswordStdin ? 2 : 1)
            : [await askHidden(`Password for ${c.username} on ${c.name}: `)]
          if (!password)
            throw new TokendeckError('INVALID_INPUT', 'The password is empty; nothing was sent.')
          if (flags.newPasswordStdin && newFromStdin === undefined) {
            throw new TokendeckError(
              'INVALID_INPUT',
              'No second line on stdin for --new-password-stdin; nothing was sent.',
            )
          }
          let view
          try {
            view = await ctx.call('session:signIn', { clusterId: c.id, password })
          } catch (e) {
            if (!isChangeRequired(e)) throw e
            const newPassword = await newPasswordFor(c, ref, newFromStdin)
            view = await ctx.call('session:changePassword', {
              clusterId: c.id,
              currentPassword: password,
              newPassword,
            })
            out.line(`Changed the password of ${c.username} on ${c.name}.`)
          }
          out.result({ clusterId: c.id, session: view.session })
          out.line(`Signed in to ${c.name} as ${c.username}: ${describeSession(view.session)}.`)
        })
      },
    )

  program
    .command('logout <cluster>')
    .description('sign out and remove the stored session credential from the keychain')
    .action(async (ref: string, _flags: unknown, cmd: Command) => {
      await runner.run(cmd, { keychain: true }, async (ctx, out) => {
        const c = await ctx.cluster(ref)
        const view = await ctx.call('session:signOut', { clusterId: c.id })
        out.result({ clusterId: c.id, session: view.session })
        out.line(`Signed out of ${c.name}.`)
      })
    })

  program
    .command('token <cluster>')
    .description(
      'print a fresh access token and nothing else on stdout (refreshing the session first if needed)',
    )
    .option(
      '--as <format>',
      'print it as: token (default), header (the HTTP header the vendor takes), export (a shell export line ' +
        'with the variables of `tokendeck exec`), curl (a curl command calling the cluster’s identity endpoint, ' +
        'trusting the pinned certificate)',
    )
    .action(async (ref: string, flags: { as?: string }, cmd: Command) => {
      const format = copyFormatOf(flags.as)
      await runner.run(cmd, { keychain: true }, async (ctx, out) => {
        const c = await ctx.cluster(ref)
        // Before the token: a server that no longer presents the pinned certificate gets no
        // command that would send it one.
        const ca =
          format === 'curl' ? await ensureCaFile(dataDir(runner.global(cmd).profile), c) : undefined
        for (const w of ca?.warnings ?? []) out.warn(w)
        const { token, expiresAt } = await ctx.accessToken(c.id)
        await recordFromCli(
          runner.global(cmd).profile,
          { event: 'copy', what: 'access-token', to: 'terminal' },
          c,
        )
        const text =
          format === 'token'
            ? bareToken(token)
            : copyText({ cluster: c, token, format, ...(ca ? { caFile: ca.path } : {}) })
        if (out.json) {
          out.result({
            clusterId: c.id,
            token,
            ...(expiresAt !== undefined ? { expiresAt } : {}),
            ...(format !== 'token' ? { format, text } : {}),
            ...(ca ? { caFile: ca.path } : {}),
          })
        } else {
          out.raw(text)
        }
      })
    })

  program
    .command('status [cluster]')
    .description('session state and expiry of one cluster (exit 0 only if signed in) or of all')
    .action(async (ref: string | undefined, _flags: unknown, cmd: Command) => {
      await runner.run(cmd, { keychain: true }, async (ctx, out) => {
        const targets = ref === undefined ? await ctx.clusters() : [await ctx.cluster(ref)]
        await ctx.settle(targets.map((c) => c.id))
        const details = []
        for (const c of targets) details.push(await ctx.call('clusters:get', { clusterId: c.id }))
        const rows = details.map((d) => ({
          clusterId: d.view.cluster.id,
          name: d.view.cluster.name,
          vendor: d.view.cluster.vendor,
          url: d.view.cluster.url,
          username: d.view.cluster.username,
          session: d.view.session,
          ...(d.identity ? { identity: d.identity } : {}),
          ...(d.storedExpiresAt !== undefined ? { storedExpiresAt: d.storedExpiresAt } : {}),
        }))
        out.result(ref === undefined ? rows : rows[0])
        if (!out.json) {
          if (!rows.length) out.line('No clusters.')
          for (const r of rows) {
            out.line(
              `${oneLine(r.name)} (${r.clusterId}, ${r.vendor}, ${oneLine(r.username)} at ${oneLine(r.url)})`,
            )
            out.line(`  ${describeSession(r.session)}`)
            if (r.identity)
              out.line(
                `  identity: ${oneLine(r.identity.username)}${r.identity.role ? ` (${oneLine(r.identity.role)})` : ''}`,
              )
            if (r.storedExpiresAt !== undefined)
              out.line(`  session credential valid until ${when(r.storedExpiresAt)}`)
          }
        }
        if (ref !== undefined && rows[0]) return exitForState(rows[0].session)
        return undefined
      })
    })
}

function copyFormatOf(value: string | undefined): CopyFormat {
  if (value === undefined) return 'token'
  if ((COPY_FORMATS as readonly string[]).includes(value)) return value as CopyFormat
  throw new TokendeckError(
    'INVALID_INPUT',
    `--as takes one of ${COPY_FORMATS.join(', ')} (not "${value.slice(0, 40)}").`,
  )
}
