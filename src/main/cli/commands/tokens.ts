/** `tokendeck tokens list|create|revoke|rotate`: long-lived tokens, through the app's own operations. */
import type { Command } from 'commander'
import type { CreateTokenInput, RotateStep } from '../../../shared/contract'
import { TokendeckError } from '../../../shared/errors'
import type { ErrorInfo, KeptS3Key, OneTimeSecret, TokenSummary } from '../../../shared/model'
import type { CliContext } from '../context'
import { parseExpiresIn } from '../duration'
import { EXIT } from '../exitCodes'
import { bareToken, isoTime, oneLine, table, when, type Output } from '../output'
import { Cancelled, canPrompt, confirm } from '../prompt'
import type { Runner } from '../runner'
import { registerExpiring } from './expiring'

const usage = (message: string) => new TokendeckError('INVALID_INPUT', message)

/** The lifetimes a token may be asked for (the contract's bounds), said in the flag's own units. */
const MIN_LIFETIME_S = 60
const MAX_LIFETIME_S = 10 * 365 * 86_400

/** `--expires-in`, checked here so a mistake is told in the flag's words, not the contract's. */
function lifetimeOf(text: string): number | 'never' {
  const value = parseExpiresIn(text)
  if (value === 'never') return value
  if (value < MIN_LIFETIME_S)
    throw usage(
      `--expires-in ${text} is too short: a token must live at least 1 minute (e.g. 90m, 12h, 30d).`,
    )
  if (value > MAX_LIFETIME_S)
    throw usage(`--expires-in ${text} is too long: at most 3650d (10 years), or "never".`)
  return value
}

/** Show warnings; go on only with --yes or a "yes" at the terminal. */
async function confirmed(
  out: Output,
  warnings: string[],
  question: string,
  yes: boolean | undefined,
): Promise<void> {
  for (const w of warnings) out.warn(w)
  if (yes) return
  if (!canPrompt())
    throw usage(`${question.replace(/\?$/, '')}: confirm with --yes (no terminal to ask on).`)
  if (!(await confirm(question))) throw new Cancelled()
}

/**
 * The one-time secrets: on stdout, each once (a bare token alone when it is the only one, so
 * `$(tokendeck tokens create …)` captures it), with the warning on stderr.
 */
function showSecrets(out: Output, secrets: OneTimeSecret[]): void {
  if (!secrets.length) return
  if (!out.json) {
    const s3 = secrets.filter((s) => s.kind === 's3-secret')
    const tokens = secrets.filter((s) => s.kind === 'access-token')
    if (tokens.length === 1 && s3.length === 0) out.line(bareToken(tokens[0]!.value))
    else {
      for (const t of tokens) {
        // A Swarm S3 token's access key id IS the token: print it once.
        if (s3.some((s) => s.accessKeyId === t.value)) continue
        out.line(`token: ${bareToken(t.value)}`)
      }
      for (const s of s3) {
        if (s.accessKeyId !== undefined) out.line(`access-key-id: ${bareToken(s.accessKeyId)}`)
        out.line(`secret-access-key: ${bareToken(s.value)}`)
      }
      if (s3.some((s) => tokens.some((t) => t.value === s.accessKeyId))) {
        out.info('(The access key id is also the access token.)')
      }
    }
  }
  out.info('This secret is shown only now: store it safely, you will not see this again.')
}

/**
 * `--keep-s3-key`: asks the owner to keep the key it just created, by the handle it issued with
 * the reply (the secret is not sent back). A failure is reported, never thrown: the token exists
 * and its secret must still be shown.
 */
async function keepS3Keys(
  ctx: CliContext,
  secrets: OneTimeSecret[],
): Promise<{ kept: KeptS3Key[]; problem?: ErrorInfo }> {
  const kept: KeptS3Key[] = []
  const handles = secrets.flatMap((s) => (s.keepHandle !== undefined ? [s.keepHandle] : []))
  if (!handles.length)
    return {
      kept,
      problem: { code: 'UNSUPPORTED', message: 'This cluster issued no S3 key to keep.' },
    }
  for (const handle of handles) {
    try {
      kept.push(await ctx.call('s3keys:keep', { handle }))
    } catch (e) {
      if (!(e instanceof TokendeckError)) throw e
      return { kept, problem: e.toInfo() }
    }
  }
  return { kept }
}

function describeToken(t: TokenSummary): string {
  return `token ${oneLine(t.id)} for ${oneLine(t.owner)}, expires ${t.expiresAt === undefined ? 'never' : when(t.expiresAt)}`
}

function tokenRows(tokens: TokenSummary[]): string[][] {
  return tokens.map((t) => [
    t.id,
    t.owner,
    isoTime(t.createdAt),
    t.expiresAt === undefined ? 'never' : isoTime(t.expiresAt),
    t.enabled === undefined ? '-' : t.enabled ? 'yes' : 'no',
    t.hasS3Secret ? 'yes' : '-',
    t.description ?? '',
  ])
}

function showSteps(out: Output, steps: RotateStep[]): void {
  for (const s of steps) out.info(`${s.step}: ${s.status} — ${s.message}`)
}

/** What the replacement will be asked for (as the core's rotate does), for its warnings. */
async function rotationWarnings(
  ctx: CliContext,
  clusterId: string,
  old: TokenSummary,
): Promise<string[]> {
  const lifetime =
    old.expiresAt === undefined
      ? old.createdAt === undefined
        ? undefined
        : ('never' as const)
      : Math.max(3600, Math.round((old.expiresAt - (old.createdAt ?? Date.now())) / 1000))
  const input: CreateTokenInput = {
    clusterId,
    owner: old.owner,
    ...(old.description ? { description: old.description } : {}),
    ...(old.hasS3Secret ? { s3Secret: true } : {}),
    ...(lifetime !== undefined ? { expiresIn: lifetime } : {}),
  }
  return ctx.call('tokens:createWarnings', input).catch(() => [])
}

export function registerTokens(program: Command, runner: Runner): void {
  const tokens = program
    .command('tokens')
    .description('list, create, revoke and rotate long-lived tokens')

  tokens
    .command('list <cluster>')
    .description('list tokens (never their secrets)')
    .option('--owner <user>', 'only this user’s tokens')
    .action(async (ref: string, flags: { owner?: string }, cmd: Command) => {
      await runner.run(cmd, { keychain: true }, async (ctx, out) => {
        const c = await ctx.cluster(ref)
        const list = await ctx.call('tokens:list', {
          clusterId: c.id,
          ...(flags.owner ? { owner: flags.owner } : {}),
        })
        out.result(list)
        if (!out.json) {
          if (!list.length) out.line('No tokens.')
          else
            out.line(
              table(
                ['ID', 'OWNER', 'CREATED', 'EXPIRES', 'ENABLED', 'S3', 'DESCRIPTION'],
                tokenRows(list),
              ),
            )
        }
      })
    })

  tokens
    .command('create <cluster>')
    .description('create a long-lived token; prints its secret once')
    .option(
      '--expires-in <duration>',
      'lifetime: 30d, 12h, 90m, 2w or never (default: the vendor’s)',
    )
    .option('--owner <user>', 'for another user (where the vendor allows)')
    .option('--description <text>', 'what the token is for')
    .option('--s3-secret', 'also issue an S3 secret key (Swarm)')
    .option(
      '--keep-s3-key',
      'keep the S3 key in the keychain for "tokendeck s3 credential-process" and exec (off by default)',
    )
    .option('--yes', 'accept the warnings without asking')
    .action(
      async (
        ref: string,
        flags: {
          expiresIn?: string
          owner?: string
          description?: string
          s3Secret?: boolean
          keepS3Key?: boolean
          yes?: boolean
        },
        cmd: Command,
      ) => {
        if (flags.keepS3Key && !flags.s3Secret)
          throw usage('--keep-s3-key keeps the key --s3-secret issues: give both.')
        const expiresIn = flags.expiresIn === undefined ? undefined : lifetimeOf(flags.expiresIn)
        await runner.run(cmd, { keychain: true }, async (ctx, out) => {
          const c = await ctx.cluster(ref)
          const input: CreateTokenInput = {
            clusterId: c.id,
            ...(expiresIn !== undefined ? { expiresIn } : {}),
            ...(flags.owner !== undefined ? { owner: flags.owner } : {}),
            ...(flags.description !== undefined ? { description: flags.description } : {}),
            ...(flags.s3Secret ? { s3Secret: true } : {}),
          }
          const warnings = await ctx.call('tokens:createWarnings', input)
          if (warnings.length)
            await confirmed(out, warnings, `Create this token on ${c.name}?`, flags.yes)
          const created = await ctx.call('tokens:create', { ...input, confirmed: true })
          const kept = flags.keepS3Key ? await keepS3Keys(ctx, created.secrets) : undefined
          const secrets = created.secrets.map(({ keepHandle: _handle, ...s }) => s)
          out.result({
            token: created.token,
            secrets,
            warnings,
            ...(kept
              ? { kept: kept.kept, ...(kept.problem ? { keepError: kept.problem } : {}) }
              : {}),
          })
          out.info(`Created ${describeToken(created.token)}.`)
          showSecrets(out, secrets)
          if (kept) {
            for (const k of kept.kept)
              out.info(
                `Kept the S3 key ${k.tokenId} in the keychain: "tokendeck s3 profile ${c.id} ${k.tokenId}" prints an AWS CLI profile for it.`,
              )
            if (kept.problem) {
              out.warn(
                `the S3 key was NOT kept in the keychain (${kept.problem.message}) Store the secret shown above yourself.`,
              )
              return EXIT.ERROR
            }
          }
          return undefined
        })
      },
    )

  tokens
    .command('revoke <cluster>')
    .description('revoke one token (--id) or all tokens of a user (--user), as the vendor allows')
    .option('--id <id>', 'the token to revoke')
    .option('--user <user>', 'revoke every token of this user (WEKA)')
    .option('--yes', 'do not ask for confirmation')
    .action(
      async (ref: string, flags: { id?: string; user?: string; yes?: boolean }, cmd: Command) => {
        if ((flags.id === undefined) === (flags.user === undefined))
          throw usage('Give exactly one of --id and --user.')
        if (!flags.yes && !canPrompt())
          throw usage('Revoking cannot be undone: confirm with --yes (no terminal to ask on).')
        await runner.run(cmd, { keychain: true }, async (ctx, out) => {
          const c = await ctx.cluster(ref)
          const question =
            flags.user !== undefined
              ? `Revoke ALL tokens of ${flags.user} on ${c.name}? Every session of that user ends too.`
              : `Revoke token ${flags.id} on ${c.name}?`
          await confirmed(out, [], question, flags.yes)
          const target =
            flags.user !== undefined ? { username: flags.user } : { tokenId: flags.id ?? '' }
          await ctx.call('tokens:revoke', { clusterId: c.id, target })
          const signedOut =
            (await ctx.call('clusters:get', { clusterId: c.id })).view.session.state ===
            'signed-out'
          out.result({ revoked: true, clusterId: c.id, ...target, signedOut })
          out.line(
            flags.user !== undefined
              ? `Revoked all tokens of ${flags.user} on ${c.name}.`
              : `Revoked token ${flags.id} on ${c.name}.`,
          )
          if (signedOut)
            out.info(`That ended this session too: sign in again with "tokendeck login ${c.id}".`)
        })
      },
    )

  tokens
    .command('rotate <cluster>')
    .description('replace a token: create a new one, prove it works, then revoke the old one')
    .requiredOption('--id <id>', 'the token to replace')
    .option('--yes', 'do not ask for confirmation')
    .action(async (ref: string, flags: { id: string; yes?: boolean }, cmd: Command) => {
      if (!flags.yes && !canPrompt())
        throw usage('Rotating revokes the old token: confirm with --yes (no terminal to ask on).')
      await runner.run(cmd, { keychain: true }, async (ctx, out) => {
        const c = await ctx.cluster(ref)
        if (!flags.yes) {
          const old = (await ctx.call('tokens:list', { clusterId: c.id })).find(
            (t) => t.id === flags.id,
          )
          if (!old)
            throw new TokendeckError('NOT_FOUND', `There is no token ${flags.id} on ${c.name}.`)
          out.info(`Rotating ${describeToken(old)}.`)
          await confirmed(
            out,
            await rotationWarnings(ctx, c.id, old),
            `Create a replacement and revoke ${old.id}?`,
            false,
          )
        }
        const result = await ctx.call('tokens:rotate', {
          clusterId: c.id,
          tokenId: flags.id,
          confirmed: true,
        })
        const secrets = result.secrets.map(({ keepHandle: _handle, ...s }) => s)
        out.result({ ...result, secrets })
        showSteps(out, result.steps)
        if (result.token) out.info(`New ${describeToken(result.token)}.`)
        showSecrets(out, secrets)
        return result.steps.every((s) => s.status === 'done') ? EXIT.OK : EXIT.ERROR
      })
    })

  registerExpiring(tokens, runner)
}
