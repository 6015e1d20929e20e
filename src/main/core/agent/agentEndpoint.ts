/**
 * Where a profile's session owner listens: a Unix domain socket in a directory only this user
 * can enter (as ssh-agent and gpg-agent do), or a named pipe on Windows. Never TCP: a TCP port on
 * loopback is open to every local user and to any web page that can make the browser connect.
 *
 *   Linux    $XDG_RUNTIME_DIR/tokendeck/           (a per-user tmpfs, 0700, gone at log-out)
 *            else  <tmpdir>/tokendeck-<uid>/
 *   macOS    $TMPDIR/tokendeck-<uid>/               ($TMPDIR is already per user)
 *   Windows  \\.\pipe\tokendeck-<user>-<key>        (a pipe vanishes with its process: no stale state)
 *
 * One data directory is one profile, so the endpoint is keyed by a hash of the data directory's
 * path: two `TOKENDECK_HOME`s get two owners, the app and the CLI on one directory share one.
 * The directory must be ours and closed to others; anything else is refused with the reason,
 * because a socket there could be planted by another user to harvest passwords.
 */
import { createHash } from 'node:crypto'
import { lstat, mkdir, realpath } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { TokendeckError } from '../../../shared/errors'

export interface AgentEndpoint {
  /** Unix: the directory the owner's sockets live in. Windows: undefined. */
  dir: string | undefined
  /** The profile's key: 12 hex digits of SHA-256 of the data directory's real path. */
  key: string
  /** Windows: the pipe path; Unix: undefined (the socket name carries a generation, see ownerLock). */
  pipe: string | undefined
}

export interface EndpointInput {
  dataDir: string
  env?: Readonly<Record<string, string | undefined>>
  platform?: NodeJS.Platform
}

/** The endpoint for a data directory, creating and checking the private directory (Unix). */
export async function agentEndpoint(input: EndpointInput): Promise<AgentEndpoint> {
  const env = input.env ?? process.env
  const platform = input.platform ?? process.platform
  await mkdir(input.dataDir, { recursive: true, mode: 0o700 })
  const real = await realpath(input.dataDir)
  // Short on purpose: a Unix socket path must fit in 104 bytes on macOS (108 on Linux).
  const key = createHash('sha256').update(real).digest('hex').slice(0, 12)
  if (platform === 'win32') {
    const user = (os.userInfo().username || 'user').replace(/[^A-Za-z0-9._-]/g, '_')
    return { dir: undefined, key, pipe: `\\\\.\\pipe\\tokendeck-${user}-${key}` }
  }
  const dir = await privateDirectory(env)
  return { dir, key, pipe: undefined }
}

async function privateDirectory(env: Readonly<Record<string, string | undefined>>) {
  const override = env.TOKENDECK_AGENT_DIR
  const runtime = env.XDG_RUNTIME_DIR
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0
  const dir =
    override && path.isAbsolute(override)
      ? override
      : runtime && path.isAbsolute(runtime)
        ? path.join(runtime, 'tokendeck')
        : path.join(os.tmpdir(), `tokendeck-${uid}`)
  try {
    await mkdir(dir, { mode: 0o700 })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(dir, describeErrno(e))
  }
  // lstat, not stat: a symlink planted at this name by someone else must not be followed.
  const st = await lstat(dir).catch((e: unknown) => {
    throw unusable(dir, describeErrno(e))
  })
  if (!st.isDirectory()) throw unusable(dir, 'it is not a directory')
  if (st.uid !== uid) throw unusable(dir, `it belongs to user id ${st.uid}, not to you (${uid})`)
  if ((st.mode & 0o077) !== 0)
    throw unusable(
      dir,
      `other users can enter it (mode ${(st.mode & 0o777).toString(8)}); run: chmod 700 "${dir}"`,
    )
  return dir
}

function unusable(dir: string, why: string): TokendeckError {
  return new TokendeckError(
    'CONFIG_CORRUPT',
    `Tokendeck cannot use ${dir} for its private agent socket: ${why}.`,
  )
}

function describeErrno(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e)
}
