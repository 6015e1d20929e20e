/**
 * `tokendeck import weka-cli`: moves the session `weka user login` left in plaintext
 * (`~/.weka/auth-token.json`, `auth-token-<profile>.json`, or --path) into Tokendeck: its
 * refresh token goes to the keychain after ONE refresh proved it (core/import), then the
 * plaintext file is deleted — only with consent (a yes at the terminal, or --delete-plaintext).
 *
 * The file does not say which cluster it is for (docs/protocols/weka.md §6), so the user names
 * it: --cluster <registered cluster>, or --url to match a registered one or add a new one, whose
 * certificate is trusted the way `clusters add` does (--trust-fingerprint, --ca-file,
 * --trust-on-first-use, or shown and confirmed at the terminal).
 */
import { rm } from 'node:fs/promises'
import type { Command } from 'commander'
import type { ClusterDraft } from '../../../shared/contract'
import { TokendeckError } from '../../../shared/errors'
import type { Cluster, ClusterTrust } from '../../../shared/model'
import {
  readWekaAuthFile,
  wekaAuthFilePath,
  type WekaAuthFile,
} from '../../core/import/wekaAuthFile'
import type { CliContext } from '../context'
import { describeSession, type Output } from '../output'
import { canPrompt, confirm } from '../prompt'
import type { Runner } from '../runner'
import {
  caFileTrust,
  checkUrl,
  fingerprintOf,
  probeAndConfirm,
  trustChoice,
  type TrustFlags,
} from './clusters'

interface ImportFlags extends TrustFlags {
  path?: string
  wekaProfile?: string
  cluster?: string
  url?: string
  name?: string
  username?: string
  org?: string
  deletePlaintext?: boolean
}

const usage = (message: string) => new TokendeckError('INVALID_INPUT', message)

export function registerImport(program: Command, runner: Runner): void {
  program
    .command('import')
    .description('move credentials other tools left on disk into the keychain')
    .command('weka-cli')
    .description(
      'import the session of `weka user login` (~/.weka/auth-token.json): proved with one refresh, ' +
        'kept in the keychain, then the plaintext file is deleted if you agree',
    )
    .option('--path <file>', 'the token file (default ~/.weka/auth-token.json)')
    .option(
      '--weka-profile <name>',
      'the weka CLI connection profile: ~/.weka/auth-token-<name>.json',
    )
    .option('--cluster <cluster>', 'the registered cluster the file belongs to (id or name)')
    .option(
      '--url <url>',
      'or: the cluster’s https://host[:port]; a new cluster is added if none matches',
    )
    .option('--name <name>', 'name of a cluster added by --url (default "WEKA <host>")')
    .option('--username <user>', 'user of a cluster added by --url (default: the one in the token)')
    .option('--org <org>', 'WEKA organization of a cluster added by --url (default Root)')
    .option('--trust-fingerprint <sha256>', 'new cluster: pin this SHA-256 certificate fingerprint')
    .option('--ca-file <path>', 'new cluster: trust certificates issued by this PEM CA file')
    .option('--trust-on-first-use', 'new cluster: pin whatever certificate the server presents now')
    .option('--delete-plaintext', 'delete the file once its session is safely in the keychain')
    .action(async (flags: ImportFlags, cmd: Command) => {
      if (flags.cluster !== undefined && flags.url !== undefined)
        throw usage('Give --cluster or --url, not both.')
      if (flags.url !== undefined) checkUrl('--url', flags.url)
      const file = await readWekaAuthFile(flags.path ?? wekaAuthFilePath(flags.wekaProfile))
      const out = runner.output(cmd)
      let result: { clusterId: string; name: string; session: unknown } | undefined
      await runner.run(cmd, { keychain: true }, async (ctx) => {
        const { cluster, added } = await targetCluster(ctx, out, flags, file)
        if (file.username !== undefined && file.username !== cluster.username)
          throw usage(
            `The token in ${file.path} is for user "${file.username}", but ${cluster.name} is set up for "${cluster.username}"; nothing was sent.`,
          )
        try {
          const view = await ctx.call('session:import', {
            clusterId: cluster.id,
            refreshToken: file.refreshToken,
            source: file.path,
          })
          result = { clusterId: cluster.id, name: cluster.name, session: view.session }
          out.line(
            `Imported the weka CLI session of ${cluster.username} from ${file.path} into ${cluster.name}: ${describeSession(view.session)}. Its refresh token is in the keychain now.`,
          )
        } catch (e) {
          // A failed proof stores nothing: not even the cluster this run added for it.
          if (added)
            await ctx.call('clusters:remove', { clusterId: cluster.id }).catch(() => undefined)
          throw e
        }
      })
      if (!result) return
      // After the sessions are let go: a question may wait for the user as long as it likes.
      const deleted = await offerDelete(file.path, flags.deletePlaintext === true, out)
      out.result({ ...result, file: file.path, deleted })
    })
}

async function targetCluster(
  ctx: CliContext,
  out: Output,
  flags: ImportFlags,
  file: WekaAuthFile,
): Promise<{ cluster: Cluster; added: boolean }> {
  if (flags.cluster !== undefined) {
    const cluster = await ctx.cluster(flags.cluster)
    if (cluster.vendor !== 'weka')
      throw usage(`${cluster.name} is a ${cluster.vendor} cluster; a weka CLI token is for WEKA.`)
    return { cluster, added: false }
  }
  const wekas = (await ctx.clusters()).filter((c) => c.vendor === 'weka')
  if (flags.url === undefined) {
    throw usage(
      `${file.path} does not say which cluster it belongs to: pass --cluster <name>` +
        (wekas.length ? ` (WEKA clusters here: ${wekas.map((c) => c.name).join(', ')})` : '') +
        ' or --url https://host:14000 to match or add one.',
    )
  }
  const username = flags.username ?? file.username
  const origin = new URL(flags.url).origin
  const matches = wekas.filter(
    (c) => new URL(c.url).origin === origin && (username === undefined || c.username === username),
  )
  if (matches.length === 1) return { cluster: matches[0]!, added: false }
  if (matches.length > 1)
    throw usage(
      `More than one WEKA cluster is at ${origin} for that user (${matches.map((c) => c.name).join(', ')}): pass --cluster <name>.`,
    )
  if (username === undefined)
    throw usage(`The token in ${file.path} does not name its user: pass --username.`)
  const choice = trustChoice(flags)
  const trust: ClusterTrust =
    choice === 'fingerprint'
      ? { sha256: fingerprintOf(flags.trustFingerprint ?? '') }
      : choice === 'ca'
        ? await caFileTrust(flags.caFile ?? '')
        : { sha256: await probeAndConfirm(ctx, out, flags.url, choice === 'probe') }
  if (file.orgId !== undefined && file.orgId !== 0 && flags.org === undefined)
    out.warn(
      `the token is for organization #${file.orgId}, not Root: pass --org <name> so later sign-ins with a password go to it.`,
    )
  const draft: ClusterDraft = {
    vendor: 'weka',
    name: flags.name ?? `WEKA ${new URL(flags.url).hostname}`,
    url: flags.url,
    username,
    trust,
    ...(flags.org !== undefined ? { org: flags.org } : {}),
  }
  const view = await ctx.call('clusters:add', draft)
  out.info(`Added ${view.cluster.name} (id ${view.cluster.id}).`)
  return { cluster: view.cluster, added: true }
}

/** Deletes the plaintext file only with consent; says what is left when it stays. */
async function offerDelete(file: string, consent: boolean, out: Output): Promise<boolean> {
  const risk = `${file} still holds a refresh token in plaintext: anyone who can read it can act as you on the cluster.`
  let yes = consent
  if (!yes && canPrompt() && !out.json) {
    out.info(risk)
    yes = await confirm(
      `Delete ${file} now? (The weka CLI then needs "weka user login" again, or use tokendeck exec.)`,
    )
  }
  if (!yes) {
    out.warn(
      `${risk} Delete it when the weka CLI no longer needs it, or run again with --delete-plaintext.`,
    )
    return false
  }
  await rm(file, { force: true })
  out.line(`Deleted ${file}.`)
  return true
}
