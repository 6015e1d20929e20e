/**
 * "Copy as…": the one place that turns an access token into the text a user pastes somewhere
 * else — the bare token, an HTTP header, a shell `export` line, a ready `curl` command. The app's
 * copy menu, the tray's "Copy as" submenu and `tokendeck token --as` all build their text here,
 * so the three never disagree.
 *
 * How each vendor takes the token:
 *   WEKA    `Authorization: Bearer <token>` (docs/protocols/weka.md §0, docs/protocols/weka.md §4.3)
 *   Qumulo  `Authorization: Bearer <token>` (docs/protocols/qumulo.md §1, docs/protocols/qumulo.md §3.6)
 *   Swarm   `Cookie: token=<token>` — the only non-S3 carrier the Gateway is known to take; there
 *           is no evidence of Bearer (docs/protocols/swarm.md §2.2), so none is offered.
 *
 * The export line uses the variable names `tokendeck exec` sets (cli/exec/credentialFiles.ts), so
 * a script works the same whether it runs under `exec` or after a pasted export. Names we invent
 * start with TOKENDECK_; `WEKA_TOKEN` is not used for the token because the `weka` CLI reads it as
 * the PATH of an auth-token file.
 *
 * The curl command calls one harmless read-only identity endpoint per vendor, so pasting it
 * proves the token works and changes nothing on the cluster:
 *   WEKA    GET /api/v2/users/whoami            (docs/protocols/weka.md §0)
 *   Qumulo  GET /v1/session/who-am-i            (docs/protocols/qumulo.md §2.2)
 *   Swarm   GET /.TOKEN/?format=json[&domain=]  (docs/protocols/swarm.md §2.3; no whoami exists)
 *
 * Everything a shell sees is single-quoted (POSIX sh, bash, zsh): a token or URL can never break
 * out of its word or expand anything.
 */
import type { Cluster, Vendor } from '../../../shared/model'
import type { CopyFormat } from '../../../shared/contract'
import { TokendeckError } from '../../../shared/errors'
import { swarmCookie } from '../../cli/exec/credentialFiles'

/** The variable `tokendeck exec` puts the access token in (every vendor). */
export const TOKEN_VARIABLE = 'TOKENDECK_ACCESS_TOKEN'
/** Swarm: the ready cookie, as `tokendeck exec` sets it. */
export const COOKIE_VARIABLE = 'TOKENDECK_COOKIE'

/** What the toast and the CLI call each format. */
export const COPY_FORMAT_LABELS: Record<CopyFormat, string> = {
  token: 'access token',
  header: 'HTTP header',
  export: 'shell export line',
  curl: 'curl command',
}

/** One shell word: single quotes, and each ' inside as '\'' (POSIX). */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/** The header line this vendor authenticates with. */
export function authHeader(vendor: Vendor, token: string): { name: string; value: string } {
  return vendor === 'swarm'
    ? { name: 'Cookie', value: swarmCookie(token) }
    : { name: 'Authorization', value: `Bearer ${token}` }
}

export function exportLine(vendor: Vendor, token: string): string {
  const vars: Array<[string, string]> = [[TOKEN_VARIABLE, token]]
  if (vendor === 'swarm') vars.push([COOKIE_VARIABLE, swarmCookie(token)])
  return `export ${vars.map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ')}`
}

/** A read-only endpoint that answers 200 to a valid token (see the table above). */
export function identityUrl(cluster: Pick<Cluster, 'vendor' | 'url' | 'domain'>): string {
  const origin = new URL(cluster.url).origin
  switch (cluster.vendor) {
    case 'weka':
      return `${origin}/api/v2/users/whoami`
    case 'qumulo':
      return `${origin}/v1/session/who-am-i`
    case 'swarm': {
      // As the Swarm client asks (`domain=` picks the storage domain, docs/protocols/swarm.md §2).
      const domain = cluster.domain?.trim().toLowerCase()
      const query = new URLSearchParams({ format: 'json', ...(domain ? { domain } : {}) })
      return `${origin}/.TOKEN/?${query.toString()}`
    }
  }
}

export function curlCommand(
  cluster: Pick<Cluster, 'vendor' | 'url' | 'domain'>,
  token: string,
  caFile: string | undefined,
): string {
  const h = authHeader(cluster.vendor, token)
  return [
    'curl',
    '-sS',
    '--fail-with-body',
    ...(caFile !== undefined ? ['--cacert', shellQuote(caFile)] : []),
    '-H',
    shellQuote(`${h.name}: ${h.value}`),
    shellQuote(identityUrl(cluster)),
  ].join(' ')
}

export interface CopyTextInput {
  cluster: Pick<Cluster, 'vendor' | 'url' | 'domain'>
  token: string
  format: CopyFormat
  /** The PEM the curl command trusts (caFile.ts); only read for 'curl'. */
  caFile?: string
}

/** The text to copy or print for this format. */
export function copyText({ cluster, token, format, caFile }: CopyTextInput): string {
  // A header or a command line must stay one line: a token with a space, a newline or a control
  // character would split it (or smuggle a second header). Never repeated in the message.
  if (format !== 'token' && !/^[\x21-\x7e]+$/.test(token))
    throw new TokendeckError(
      'BAD_RESPONSE',
      'The cluster handed out a token that is not one word of printable characters; Tokendeck does not put it in a header or command.',
    )
  switch (format) {
    case 'token':
      return token
    case 'header': {
      const h = authHeader(cluster.vendor, token)
      return `${h.name}: ${h.value}`
    }
    case 'export':
      return exportLine(cluster.vendor, token)
    case 'curl':
      return curlCommand(cluster, token, caFile)
  }
}
