/**
 * `tokendeck s3 credential-process|profile|list|forget`: S3 keys the user chose to keep in the
 * keychain (`tokens create --s3-secret --keep-s3-key`, or the app's shown-once dialog), for the
 * AWS CLI and SDKs. See core/s3keys/ for how they are kept and cli/s3/awsConfig.ts for formats.
 *
 * credential-process runs on every AWS call, so it is one question to the session owner (the
 * app, `tokendeck agent`, or this process when none runs) and nothing else: no refresh, no
 * network, no listing first (the owner finds the key by its handle). Its stdout is the credential
 * JSON and nothing else; failures are one line on stderr (never the secret) and a non-zero exit,
 * which the AWS tool shows as it is.
 *
 * Every command names a kept key by its handle (its token's listed id, what `s3 list` shows and
 * `s3 profile` writes). On Swarm the access key id is the token itself, and whoever has it acts
 * as the owner (docs/protocols/swarm.md §2.1), so it is never printed, nor written into ~/.aws/config
 * or a command line other users can see in `ps`; only credential-process's answer carries it.
 */
import { recordFromCli } from '../../core/audit'
import path from 'node:path'
import type { Command } from 'commander'
import { TokendeckError } from '../../../shared/errors'
import type { Cluster, KeptS3Key } from '../../../shared/model'
import { dataDir } from '../../core/clusters'
import { writeFileAtomic } from '../../core/clusters/atomicFile'
import { toolWarnings, trustedCertificates } from '../exec/certificate'
import type { CliContext } from '../context'
import { isoTime, table, type Output } from '../output'
import type { Runner } from '../runner'
import { checkS3KeyHandle } from '../s3/execS3Key'
import {
  awsProfileBlock,
  credentialProcessCommand,
  credentialProcessJson,
  PROFILE_NAME,
} from '../s3/awsConfig'

const usage = (message: string) => new TokendeckError('INVALID_INPUT', message)

/** Where the PEM an AWS profile's ca_bundle names lives: stable, per cluster, in the data directory. */
export function caBundlePath(dir: string, clusterId: string): string {
  return path.join(dir, 'certs', `${clusterId}.pem`)
}

/**
 * The kept key named by its handle. NOT_FOUND in the words credential-process uses, without
 * repeating what was typed.
 */
async function keptKey(ctx: CliContext, c: Cluster, handle: string): Promise<KeptS3Key> {
  const key = (await ctx.call('s3keys:list', { clusterId: c.id })).find((k) => k.tokenId === handle)
  if (!key)
    throw new TokendeckError(
      'NOT_FOUND',
      `No kept S3 key of ${c.name} has that id (never kept, forgotten, or its token revoked). Keep one with "tokendeck tokens create ${c.id} --s3-secret --keep-s3-key"; "tokendeck s3 list" shows the kept keys.`,
    )
  return key
}

/** What the CLI shows of a kept key: its handle as `key` (the owner never sends an access key id). */
function shownKey(k: KeptS3Key): KeptS3Key & { key: string } {
  return { key: k.tokenId, ...k }
}

function expiryText(k: KeptS3Key, now = Date.now()): string {
  if (k.expiresAt === undefined) return 'never'
  return `${isoTime(k.expiresAt)}${k.expiresAt <= now ? ' (expired)' : ''}`
}

export function registerS3(program: Command, runner: Runner): void {
  const s3 = program
    .command('s3')
    .description('S3 keys kept in the keychain, for the AWS CLI and SDKs (Swarm)')

  s3.command('credential-process <cluster> <key>')
    .description(
      'print the AWS credential_process JSON of a kept S3 key (Version 1; Expiration = the token’s expiry)',
    )
    .action(async (ref: string, handle: string, _flags: unknown, cmd: Command) => {
      checkS3KeyHandle(handle)
      await runner.run(cmd, { keychain: true }, async (ctx, out) => {
        const c = await ctx.cluster(ref)
        // One question to the owner: it finds the key by its handle (NOT_FOUND if not kept).
        const credential = await ctx.s3Credential(c.id, handle)
        out.raw(JSON.stringify(credentialProcessJson(credential)))
        // The handle, hashed like any token id; the access key id and secret never reach the log.
        await recordFromCli(
          runner.global(cmd).profile,
          { event: 'credential-process:served', tokenId: handle },
          c,
        )
      })
    })

  s3.command('profile <cluster> <key>')
    .description(
      'print an ~/.aws/config profile for a kept S3 key: credential_process, endpoint_url, ca_bundle',
    )
    .option('--name <profile>', 'the profile’s name (default: tokendeck-<cluster id>)')
    .action(async (ref: string, handle: string, flags: { name?: string }, cmd: Command) => {
      checkS3KeyHandle(handle)
      if (flags.name !== undefined && !PROFILE_NAME.test(flags.name))
        throw usage('--name is 1–64 of letters, digits, ".", "_" and "-".')
      const global = runner.global(cmd)
      await runner.run(cmd, { keychain: true }, async (ctx, out) => {
        const c = await ctx.cluster(ref)
        const key = await keptKey(ctx, c, handle)
        const endpointUrl = s3Endpoint(c, out)
        // The S3 endpoint is trusted like the gateway (model: s3Url): its certificate must be
        // the pinned one before it is written where AWS tools will trust it.
        const trusted = await trustedCertificates(
          { ...c, url: endpointUrl },
          { refusing: 'Refusing to write a CA bundle for the S3 endpoint' },
        )
        for (const w of toolWarnings({ ...c, url: endpointUrl }, trusted)) out.warn(w)
        const caBundle = caBundlePath(dataDir(global.profile), c.id)
        // A certificate is public: 0644, so any tool of the user's can read it.
        await writeFileAtomic(caBundle, trusted.pem, { mode: 0o644 })
        const name = flags.name ?? `tokendeck-${c.id}`
        const home = process.env['TOKENDECK_HOME']
        const credentialProcess = credentialProcessCommand({
          clusterId: c.id,
          // The handle, never the access key id: this line is written to ~/.aws/config.
          handle: key.tokenId,
          profile: global.profile,
          home: home ? path.resolve(home) : undefined,
        })
        out.result({ name, credentialProcess, endpointUrl, caBundle })
        if (!out.json) out.raw(awsProfileBlock({ name, credentialProcess, endpointUrl, caBundle }))
        out.info(
          `Append it to ~/.aws/config, then: aws --profile ${name} s3 ls. ` +
            `AWS CLI before 2.13 ignores endpoint_url: add --endpoint-url ${endpointUrl}.`,
        )
      })
    })

  s3.command('list [cluster]')
    .description('the S3 keys kept in the keychain (never their secrets)')
    .action(async (ref: string | undefined, _flags: unknown, cmd: Command) => {
      await runner.run(cmd, { keychain: false }, async (ctx, out) => {
        const clusters = await ctx.clusters()
        const only = ref === undefined ? undefined : await ctx.cluster(ref)
        const keys = await ctx.call('s3keys:list', only ? { clusterId: only.id } : {})
        out.result(keys.map(shownKey))
        if (out.json) return
        if (!keys.length) {
          out.line('No S3 keys are kept.')
          return
        }
        const nameOf = (id: string) => clusters.find((c) => c.id === id)?.name ?? `${id} (removed)`
        out.line(
          table(
            ['CLUSTER', 'KEY', 'OWNER', 'EXPIRES', 'KEPT'],
            keys.map((k) => [
              nameOf(k.clusterId),
              k.tokenId,
              k.owner ?? '',
              expiryText(k),
              isoTime(k.keptAt),
            ]),
          ),
        )
      })
    })

  s3.command('forget <cluster> <key>')
    .description('delete a kept S3 key from the keychain (the token itself stays valid)')
    .action(async (ref: string, handle: string, _flags: unknown, cmd: Command) => {
      checkS3KeyHandle(handle)
      await runner.run(cmd, { keychain: true }, async (ctx, out) => {
        const c = await ctx.cluster(ref)
        const { forgotten } = await ctx.call('s3keys:forget', { clusterId: c.id, tokenId: handle })
        if (!forgotten)
          throw new TokendeckError(
            'NOT_FOUND',
            `No kept S3 key of ${c.name} has that id (never kept, or already forgotten); "tokendeck s3 list" shows the kept keys.`,
          )
        out.result({ clusterId: c.id, key: handle, forgotten })
        out.line(`Forgot the S3 key ${handle} of ${c.name}.`)
      })
    })
}

/** The cluster's S3 URL; its gateway URL (with a warning) when none was given. */
function s3Endpoint(c: Cluster, out: Output): string {
  if (c.s3Url !== undefined) return c.s3Url
  out.warn(
    `${c.name} has no S3 URL; using its address ${c.url}. If S3 is served elsewhere, set it with --s3-url.`,
  )
  return c.url
}
