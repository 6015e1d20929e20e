/**
 * `tokendeck exec <cluster> [--] <command…>`: runs a command with the cluster's credentials in
 * its environment and nowhere else, like `aws-vault exec`. Without a command: $SHELL.
 *
 *   WEKA    WEKA_TOKEN → a private auth-token.json (the `weka user login` format, access token
 *           only), rewritten with a fresh access token before the old one expires, for as long
 *           as the command runs
 *   Qumulo  TOKENDECK_QQ_CREDENTIALS → a qq credentials file (`qq --credentials-store "$…"`)
 *   Swarm   TOKENDECK_COOKIE = "token=<token>"
 *   all     TOKENDECK_ACCESS_TOKEN, TOKENDECK_CLUSTER(_ID, _URL), TOKENDECK_VENDOR,
 *           TOKENDECK_CA_BUNDLE (+ CURL_CA_BUNDLE, REQUESTS_CA_BUNDLE unless --no-ca-env)
 *
 * The files live in a private directory (privateDir.ts) removed on every way out. The command's
 * exit status is ours (128 + n when signal n killed it); signals are forwarded (child.ts).
 *
 * Ownership: this process does NOT stay the owner of the profile's sessions while the command
 * runs. It asks the owner (or becomes it) for the first token, lets go, and asks again only to
 * renew (tokenKeeper.ts). Staying owner for an hour-long command would make the app, started
 * meanwhile, wait for it (a command in a terminal is expected to own only for a moment).
 */
import type { Command } from 'commander'
import { CAPABILITIES } from '../../../shared/capabilities'
import { TokendeckError } from '../../../shared/errors'
import type { Cluster } from '../../../shared/model'
import { CliContext } from '../context'
import type { ExitCode } from '../exitCodes'
import { checkCommand, rawArgsOf } from '../exec/commandLine'
import { SignalGuard, runChild, signalExitCode } from '../exec/child'
import { trustedCertificates, type TrustedCertificates } from '../exec/certificate'
import {
  CA_BUNDLE_FILE,
  QQ_CREDENTIALS_FILE,
  WEKA_TOKEN_FILE,
  execEnvironment,
  qqCredentialsJson,
  type ExecS3Key,
  wekaAuthTokenJson,
  type ExecFiles,
} from '../exec/credentialFiles'
import { PrivateDir, sweepStaleDirs } from '../exec/privateDir'
import { TokenKeeper, type TokenGrant } from '../exec/tokenKeeper'
import { keptS3KeyFor } from '../s3/execS3Key'
import { isoTime, type Output } from '../output'
import { recordFromCli, type AuditEntry } from '../../core/audit'
import path from 'node:path'
import type { Runner } from '../runner'

interface ExecFlags {
  caEnv: boolean
  s3Key?: string
}

interface Prepared {
  cluster: Cluster
  trusted: TrustedCertificates
  grant: TokenGrant
  marginMs: number
  s3?: ExecS3Key | undefined
}

export function registerExec(program: Command, runner: Runner): void {
  program
    .command('exec <cluster> [command...]')
    .description(
      'run a command with the cluster’s credentials in its environment only (token files in a private directory, ' +
        'removed when it ends; WEKA’s kept fresh while it runs); exit status is the command’s. Put -- before the command.',
    )
    .option(
      '--no-ca-env',
      'do not set CURL_CA_BUNDLE and REQUESTS_CA_BUNDLE (TOKENDECK_CA_BUNDLE is always set)',
    )
    .option(
      '--s3-key <key>',
      'Swarm: the kept S3 key to give the command, as "tokendeck s3 list" names it (default: the newest unexpired one, if any)',
    )
    .allowUnknownOption()
    .addHelpText(
      'after',
      `
Environment of the command:
  TOKENDECK_CLUSTER, TOKENDECK_CLUSTER_ID, TOKENDECK_CLUSTER_URL, TOKENDECK_VENDOR
  TOKENDECK_ACCESS_TOKEN   the access token at start (WEKA's lasts 5 minutes: read $WEKA_TOKEN)
  TOKENDECK_CA_BUNDLE      PEM of the certificate Tokendeck trusts for the cluster
  CURL_CA_BUNDLE, REQUESTS_CA_BUNDLE   the same file, for curl and Python requests
  WEKA_TOKEN               WEKA: auth-token.json, kept fresh (weka CLI, mount -o auth_token_path)
  TOKENDECK_QQ_CREDENTIALS Qumulo: qq credentials file: qq --credentials-store "$TOKENDECK_QQ_CREDENTIALS" …
  TOKENDECK_COOKIE         Swarm: token=<token>, for curl -b "$TOKENDECK_COOKIE"
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_S3, AWS_CA_BUNDLE
                           Swarm, only when an S3 key is kept (tokens create --s3-secret --keep-s3-key)

Example:
  tokendeck exec prod -- sh -c 'curl -H "Authorization: Bearer $TOKENDECK_ACCESS_TOKEN" "$TOKENDECK_CLUSTER_URL/api/v2/cluster"'`,
    )
    .action(async (ref: string, command: string[], flags: ExecFlags, cmd: Command) => {
      // An option commander does not know lands here as the cluster (allowUnknownOption).
      if (ref.startsWith('-'))
        throw new TokendeckError('INVALID_INPUT', `Unknown option ${ref} for exec.`)
      checkCommand(ref, command, rawArgsOf(cmd))
      const argv = command.length ? command : defaultShell()
      const out = runner.output(cmd)

      let prepared: Prepared | undefined
      await runner.run(cmd, { keychain: true }, async (ctx) => {
        const cluster = await ctx.cluster(ref)
        // Before any credential: a server that no longer presents the pinned certificate
        // gets nothing, not even through the command.
        const trusted = await trustedCertificates(cluster, {
          refusing: 'Not running the command',
        })
        const grant = await ctx.accessToken(cluster.id)
        const settings = await ctx.call('settings:get', undefined)
        const s3 = await keptS3KeyFor(ctx, cluster, flags.s3Key)
        prepared = { cluster, trusted, grant, marginMs: settings.refreshMarginSeconds * 1000, s3 }
      })
      if (!prepared) return
      if (!command.length)
        out.info(
          `Starting ${argv[0]} with the credentials of ${prepared.cluster.name}; they are removed when it exits.`,
        )
      const { profile } = runner.global(cmd)
      const cluster = prepared.cluster
      const audit = (entry: Omit<AuditEntry, 'clusterId'>) =>
        recordFromCli(profile, { ...entry, command: path.basename(argv[0] ?? '') }, cluster)
      const code = await execute(prepared, argv, flags.caEnv, out, audit, () =>
        CliContext.open(runner.global(cmd), out, { keychain: true }),
      )
      // The command's own status passes through unchanged (it is not one of our codes).
      runner.exitCode = code as ExitCode
    })
}

function defaultShell(): string[] {
  if (process.platform === 'win32') return [process.env['ComSpec'] ?? 'cmd.exe']
  return [process.env['SHELL'] || '/bin/sh']
}

async function execute(
  p: Prepared,
  argv: string[],
  caEnv: boolean,
  out: Output,
  audit: (entry: Omit<AuditEntry, 'clusterId'>) => Promise<void>,
  openContext: () => Promise<CliContext>,
): Promise<number> {
  const { cluster } = p
  // From here on no signal may end this process without the clean-up.
  const guard = new SignalGuard()
  guard.install()
  let dir: PrivateDir | undefined
  let keeper: TokenKeeper | undefined
  let expiryWarning: NodeJS.Timeout | undefined
  try {
    sweepStaleDirs()
    dir = PrivateDir.create()
    const d = dir
    const files: ExecFiles = { caBundle: d.file(CA_BUNDLE_FILE) }
    if (cluster.vendor === 'weka') files.wekaToken = d.file(WEKA_TOKEN_FILE)
    if (cluster.vendor === 'qumulo') files.qqCredentials = d.file(QQ_CREDENTIALS_FILE)
    const writeTokenFiles = (token: string) => {
      if (files.wekaToken) d.write(WEKA_TOKEN_FILE, wekaAuthTokenJson(token))
      if (files.qqCredentials) d.write(QQ_CREDENTIALS_FILE, qqCredentialsJson(token))
    }
    d.write(CA_BUNDLE_FILE, p.trusted.pem)
    writeTokenFiles(p.grant.token)
    const env = execEnvironment({
      inherited: process.env,
      cluster,
      accessToken: p.grant.token,
      files,
      caEnv,
      s3: p.s3,
    })

    if (guard.early) {
      out.info(`tokendeck: ${guard.early} before the command started; it was not run.`)
      return signalExitCode(guard.early)
    }

    if (CAPABILITIES[cluster.vendor].refreshesAccessTokens && files.wekaToken) {
      keeper = new TokenKeeper({
        clusterName: cluster.name,
        current: p.grant,
        marginMs: p.marginMs,
        what: '$WEKA_TOKEN',
        write: writeTokenFiles,
        warn: (text) => out.warn(text),
        fetch: async () => {
          const ctx = await openContext()
          try {
            return await ctx.accessToken(cluster.id)
          } finally {
            await ctx.close()
          }
        },
      })
      keeper.start()
    } else if (p.grant.expiresAt !== undefined) {
      // Qumulo and Swarm session tokens cannot be renewed without the password: say when the
      // command's token ran out, since its requests will start failing then.
      const expiresAt = p.grant.expiresAt
      expiryWarning = setTimeout(
        () =>
          out.warn(
            `the session token of ${cluster.name} given to the command expired at ${isoTime(expiresAt)}; ` +
              `sign in again (tokendeck login ${cluster.name}) and run the command again.`,
          ),
        Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1),
      )
    }

    await audit({ event: 'exec:start' })
    const end = await runChild(argv, env, guard)
    await audit({ event: 'exec:end', exitCode: end.code })
    if (end.startError) out.error({ code: 'INVALID_INPUT', message: end.startError })
    return end.code
  } catch (e) {
    if (e instanceof TokendeckError) throw e
    const code = (e as NodeJS.ErrnoException).code
    throw new TokendeckError(
      'INTERNAL',
      `Could not prepare the private directory for the command${code ? ` (${code})` : ''}; nothing was run.`,
      { cause: e },
    )
  } finally {
    if (expiryWarning) clearTimeout(expiryWarning)
    // Files first (the command is over), then wait for a renewal in flight so the owner it
    // opened is closed properly (a rotated refresh token must reach the keychain).
    const stopping = keeper?.stop()
    dir?.remove()
    await stopping
    guard.uninstall()
  }
}
