/**
 * What `tokendeck s3 profile` prints and `credential-process` answers, in the AWS tools' own
 * formats (AWS CLI User Guide, "Sourcing credentials with an external process" and
 * "Configuration and credential file settings"):
 *
 *   credential_process output  {"Version":1,"AccessKeyId":…,"SecretAccessKey":…,"Expiration":ISO 8601}
 *   ~/.aws/config profile      [profile NAME] + credential_process, endpoint_url, ca_bundle
 *
 * botocore splits `credential_process` with shlex (POSIX rules) and runs it without a shell, so
 * the command is absolute (it runs from whatever directory the AWS tool runs in) and every
 * word is quoted POSIX-style when it needs to be.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { TokendeckError } from '../../../shared/errors'

export interface CredentialProcessJson {
  Version: 1
  AccessKeyId: string
  SecretAccessKey: string
  Expiration?: string
}

/** Expiration is the token's expiry; left out for a token that never expires (no refresh then). */
export function credentialProcessJson(c: {
  accessKeyId: string
  secretAccessKey: string
  expiresAt?: number
}): CredentialProcessJson {
  return {
    Version: 1,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    ...(c.expiresAt !== undefined ? { Expiration: new Date(c.expiresAt).toISOString() } : {}),
  }
}

/** One word for a POSIX shell (and shlex): as is when plain, else single-quoted. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/**
 * The absolute command that runs this very CLI: this Node, and the built CLI (out/cli/
 * tokendeck.mjs, no compile step: it runs on every AWS call). From the TypeScript source (a
 * checkout that was never built) it is bin/tokendeck.mjs, which builds nothing and uses tsx.
 */
export function cliCommand(): string[] {
  const candidates = [
    // Built: this module is bundled into out/cli/tokendeck.mjs itself.
    new URL('./tokendeck.mjs', import.meta.url),
    // Source: src/main/cli/s3/ → the repository root.
    new URL('../../../../out/cli/tokendeck.mjs', import.meta.url),
    new URL('../../../../bin/tokendeck.mjs', import.meta.url),
  ]
  const script = candidates.map((u) => fileURLToPath(u)).find((p) => existsSync(p))
  if (script === undefined)
    throw new TokendeckError('INTERNAL', 'Cannot find the tokendeck program to run for AWS tools.')
  return [process.execPath, script]
}

/**
 * The `credential_process` value. TOKENDECK_HOME (a data directory other than the default) is
 * carried with `env`, since the AWS tool runs the command with its own environment.
 */
export function credentialProcessCommand(input: {
  clusterId: string
  /** The kept key's handle: this command is written to ~/.aws/config, never the access key id. */
  handle: string
  profile: 'default' | 'demo'
  home: string | undefined
}): string {
  const words = [
    ...(input.home !== undefined ? ['/usr/bin/env', `TOKENDECK_HOME=${input.home}`] : []),
    ...cliCommand(),
    ...(input.profile === 'demo' ? ['--profile', 'demo'] : []),
    's3',
    'credential-process',
    input.clusterId,
    input.handle,
  ]
  return words.map(shellWord).join(' ')
}

export const PROFILE_NAME = /^[A-Za-z0-9._-]{1,64}$/

/** A profile block for ~/.aws/config (the `profile ` prefix is what the config file wants). */
export function awsProfileBlock(input: {
  name: string
  credentialProcess: string
  endpointUrl: string
  caBundle: string
}): string {
  return [
    `[profile ${input.name}]`,
    `credential_process = ${input.credentialProcess}`,
    // AWS CLI 2.13+ and current SDKs read endpoint_url here; older ones (Debian 12's 2.9) need
    // --endpoint-url on the command line.
    `endpoint_url = ${input.endpointUrl}`,
    `ca_bundle = ${input.caBundle}`,
    '',
  ].join('\n')
}
