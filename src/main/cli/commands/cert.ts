/**
 * `tokendeck cert <cluster>`: the certificate Tokendeck trusts for a cluster, as PEM, for tools
 * that verify TLS with a CA file: `curl --cacert`, `AWS_CA_BUNDLE`, `REQUESTS_CA_BUNDLE`.
 *
 * Pinned clusters: the server's certificate is fetched (one handshake, nothing sent) and printed
 * only when its SHA-256 is the pinned one; otherwise TLS_PIN_MISMATCH (exit 4) with both
 * fingerprints. CA-file clusters: the certificates in that file (never anything else in it).
 * A certificate is public, so `--out` writes it world-readable (0644).
 */
import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Command } from 'commander'
import { TokendeckError } from '../../../shared/errors'
import { toolWarnings, trustedCertificates } from '../exec/certificate'
import type { Runner } from '../runner'

export function registerCert(program: Command, runner: Runner): void {
  program
    .command('cert <cluster>')
    .description(
      'print the certificate trusted for the cluster as PEM (for curl --cacert, AWS_CA_BUNDLE, REQUESTS_CA_BUNDLE); ' +
        'a pinned certificate is printed only if the server still presents it',
    )
    .option('--out <file>', 'write the PEM to this file (mode 0644) instead of stdout')
    .action(async (ref: string, flags: { out?: string }, cmd: Command) => {
      await runner.run(cmd, { keychain: false }, async (ctx, out) => {
        const c = await ctx.cluster(ref)
        const trusted = await trustedCertificates(c, {
          refusing: 'Refusing to hand out the certificate',
        })
        for (const w of toolWarnings(c, trusted)) out.warn(w)
        const file = flags.out === undefined ? undefined : path.resolve(flags.out)
        if (file !== undefined) await writePublicFile(file, trusted.pem)
        out.result({
          clusterId: c.id,
          source: trusted.source,
          ...(trusted.sha256 !== undefined ? { sha256: trusted.sha256 } : {}),
          ...(trusted.caPath !== undefined ? { caPath: trusted.caPath } : {}),
          ...(file !== undefined ? { out: file } : { pem: trusted.pem }),
        })
        if (file !== undefined) {
          out.info(
            trusted.source === 'pinned'
              ? `Wrote the certificate of ${c.name} (SHA-256 ${trusted.sha256}) to ${file}.`
              : `Wrote the CA certificates of ${c.name} (from ${trusted.caPath}) to ${file}.`,
          )
        } else if (!out.json) {
          out.raw(trusted.pem.trimEnd())
        }
      })
    })
}

/** Temp file + rename in the target's directory: a reader never sees half a certificate. */
async function writePublicFile(file: string, text: string): Promise<void> {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  )
  try {
    await writeFile(temp, text, { mode: 0o644, flag: 'wx' })
    await rename(temp, file)
  } catch (cause) {
    await rm(temp, { force: true })
    throw new TokendeckError('INVALID_INPUT', `Cannot write ${file}.`, { cause })
  }
}
