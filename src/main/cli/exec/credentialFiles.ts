/**
 * What `tokendeck exec` gives the command: files in the vendor tools' own formats, in the
 * private directory, and the environment variables that point at them.
 *
 * Variable names: a name a vendor tool reads itself keeps the vendor's name (`WEKA_TOKEN`, read
 * by the `weka` CLI and by `mount -t wekafs`); a name we invent starts with `TOKENDECK_`, so it
 * can never collide with a variable a tool gives another meaning to.
 */
import type { Cluster } from '../../../shared/model'

export const WEKA_TOKEN_FILE = 'auth-token.json'
export const QQ_CREDENTIALS_FILE = 'qq-credentials.json'
export const CA_BUNDLE_FILE = 'ca.pem'

/**
 * `auth-token.json` as `weka user login` writes it (docs/protocols/weka.md §6): one JSON object
 * with exactly `access_token`, `refresh_token` and `token_type` ("Bearer"), keys in alphabetical
 * order. wekalib's `validate_auth_tokens` requires all three keys, and Manila writes the same
 * three "to match the JSON produced by `weka user login`", so none may be left out.
 *
 * The refresh token is deliberately EMPTY. A tool holding Tokendeck's refresh token would
 * refresh by itself (wekalib does on any 401, docs/protocols/weka.md §5), and WEKA refresh tokens can be single-use
 * (docs/protocols/weka.md §3): every such refresh would spend the token the session owner holds, behind its back, and
 * sign the user out of the app and of every terminal. It would also put a credential that lives
 * for weeks (a year on 4.0) in a file, where an access token lives for five minutes. Instead the
 * session owner refreshes (`ctx.accessToken`, once for everyone) and `tokendeck exec` rewrites
 * this file with the new access token before the old one expires (see tokenKeeper.ts). A tool
 * that nevertheless tries to refresh gets a 401 for the empty token, which says "sign in", not a
 * signed-out session.
 */
export function wekaAuthTokenJson(accessToken: string): string {
  return `${JSON.stringify({ access_token: accessToken, refresh_token: '', token_type: 'Bearer' })}\n`
}

/**
 * The qq credentials file as `qq login` writes it (docs/protocols/qumulo.md §6): sorted keys,
 * `version` 1 (anything else is refused by the SDK), Python's separators, a trailing newline.
 */
export function qqCredentialsJson(bearerToken: string): string {
  return `{"bearer_token": ${JSON.stringify(bearerToken)}, "version": 1}\n`
}

/** The Swarm token as the Content Gateway takes it (docs/protocols/swarm.md §2.2; cookie name `token`). */
export function swarmCookie(token: string): string {
  return `token=${token}`
}

/** Every variable `tokendeck exec` may set, to document and to clear inherited ones. */
export const EXEC_VARIABLES = {
  TOKENDECK_CLUSTER: 'the cluster’s name',
  TOKENDECK_CLUSTER_ID: 'the cluster’s id',
  TOKENDECK_CLUSTER_URL: 'the cluster’s URL',
  TOKENDECK_VENDOR: 'weka, qumulo or swarm',
  TOKENDECK_ACCESS_TOKEN:
    'the access token when the command started (WEKA: valid 5 minutes; read $WEKA_TOKEN for a fresh one)',
  TOKENDECK_CA_BUNDLE: 'PEM file of the certificate(s) Tokendeck trusts for this cluster',
  CURL_CA_BUNDLE: 'the same PEM file, for curl (and Python requests); not with --no-ca-env',
  REQUESTS_CA_BUNDLE: 'the same PEM file, for Python requests; not with --no-ca-env',
  WEKA_TOKEN: 'WEKA: path of auth-token.json, kept fresh while the command runs',
  TOKENDECK_QQ_CREDENTIALS: 'Qumulo: path of a qq credentials file (qq --credentials-store)',
  TOKENDECK_COOKIE: 'Swarm: "token=<token>", for curl -b or a Cookie header',
  AWS_ACCESS_KEY_ID: 'Swarm with a kept S3 key: its access key id',
  AWS_SECRET_ACCESS_KEY: 'Swarm with a kept S3 key: its secret',
  AWS_ENDPOINT_URL_S3:
    'Swarm with a kept S3 key: the cluster’s S3 URL (AWS CLI 2.13+, current SDKs)',
  AWS_CA_BUNDLE: 'Swarm with a kept S3 key: the same PEM file as TOKENDECK_CA_BUNDLE',
} as const

export type ExecVariable = keyof typeof EXEC_VARIABLES

/** A kept S3 key for the command (Swarm; only when one is kept). */
export interface ExecS3Key {
  accessKeyId: string
  secretAccessKey: string
  endpointUrl: string
}

/**
 * Inherited variables that would change what the AWS tools do with our key: a session token
 * would be sent along with it (and the request refused), a profile's own keys are not wanted.
 */
const AWS_OVERRIDDEN = ['AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN']

export interface ExecFiles {
  /** Absolute paths in the private directory. */
  caBundle: string
  wekaToken?: string
  qqCredentials?: string
}

/**
 * The command's environment: ours on top of the inherited one, minus any TOKENDECK_ variable
 * inherited from an outer `tokendeck exec` (one cluster's credentials, never a mix).
 *
 * CA variables, and why only these: each one REPLACES the trusted CAs of the tools that read it
 * with this cluster's certificate. That is what a command run against this cluster wants, and
 * it is narrow: `CURL_CA_BUNDLE` reaches curl (and Python requests), `REQUESTS_CA_BUNDLE` Python
 * requests. `SSL_CERT_FILE`/`SSL_CERT_DIR` are not set: they replace the trust of every
 * OpenSSL-based program the command starts (git, pip, package managers, Go and Python's default
 * SSL context), so anything in the command that also reaches another HTTPS server would fail far
 * from the cause. `NODE_EXTRA_CA_CERTS` is not set either: it ADDS a trust anchor to every Node
 * program, for whatever names the certificate carries. `--no-ca-env` leaves out the two tool
 * variables for commands that also use curl or requests against other servers.
 */
export function execEnvironment(input: {
  inherited: NodeJS.ProcessEnv
  cluster: Cluster
  accessToken: string
  files: ExecFiles
  caEnv: boolean
  s3?: ExecS3Key | undefined
}): NodeJS.ProcessEnv {
  const { cluster, accessToken, files, s3 } = input
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(input.inherited)) {
    if (k in EXEC_VARIABLES && k.startsWith('TOKENDECK_')) continue
    if (s3 !== undefined && AWS_OVERRIDDEN.includes(k)) continue
    env[k] = v
  }
  const ours: Partial<Record<ExecVariable, string>> = {
    TOKENDECK_CLUSTER: cluster.name,
    TOKENDECK_CLUSTER_ID: cluster.id,
    TOKENDECK_CLUSTER_URL: cluster.url,
    TOKENDECK_VENDOR: cluster.vendor,
    TOKENDECK_ACCESS_TOKEN: accessToken,
    TOKENDECK_CA_BUNDLE: files.caBundle,
    ...(input.caEnv ? { CURL_CA_BUNDLE: files.caBundle, REQUESTS_CA_BUNDLE: files.caBundle } : {}),
    ...(files.wekaToken !== undefined ? { WEKA_TOKEN: files.wekaToken } : {}),
    ...(files.qqCredentials !== undefined ? { TOKENDECK_QQ_CREDENTIALS: files.qqCredentials } : {}),
    ...(cluster.vendor === 'swarm' ? { TOKENDECK_COOKIE: swarmCookie(accessToken) } : {}),
    // Without a kept key nothing about S3 is set (an inherited AWS_* stays as it was).
    ...(s3 !== undefined
      ? {
          AWS_ACCESS_KEY_ID: s3.accessKeyId,
          AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
          AWS_ENDPOINT_URL_S3: s3.endpointUrl,
          AWS_CA_BUNDLE: files.caBundle,
        }
      : {}),
  }
  return { ...env, ...ours }
}
