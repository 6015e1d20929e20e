/**
 * The plaintext credential files the `weka` CLI leaves in the home directory (docs/protocols/weka.md
 * docs/protocols/weka.md §6): `~/.weka/auth-token.json` and, for 4.2+ connection profiles, `~/.weka/auth-token-<profile>.json`
 * — one JSON object with `access_token`, `refresh_token` and `token_type`. The refresh token in
 * it is good for weeks (a year on 4.0) to anyone who can read the file. The file does not say
 * which cluster it belongs to (docs/protocols/weka.md §6: "an importer must ask the user"); the token's unverified
 * claims say which user (`sub.username`) and organization (`sub.org_id`) it was issued for,
 * which is enough to refuse an obvious mismatch before anything is sent.
 *
 * Only names are listed here for the app's banner; content is read only by an import.
 */
import { readdir, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { TokendeckError } from '../../../shared/errors'

/** `weka` profile names: at most 50 of [A-Za-z0-9_-] (docs/protocols/weka.md §6). */
const PROFILE = /^[A-Za-z0-9_-]{1,50}$/
const FILE_NAME = /^auth-token(?:-[A-Za-z0-9_-]{1,50})?\.json$/
const MAX_FILE_BYTES = 256 * 1024

export function wekaDir(home = os.homedir()): string {
  return path.join(home, '.weka')
}

/** The file `weka user login [--profile p]` writes. */
export function wekaAuthFilePath(profile?: string, home = os.homedir()): string {
  if (profile !== undefined && !PROFILE.test(profile))
    throw new TokendeckError(
      'INVALID_INPUT',
      'A weka profile name is 1–50 of A–Z, a–z, 0–9, "_" and "-".',
    )
  return path.join(wekaDir(home), profile ? `auth-token-${profile}.json` : 'auth-token.json')
}

/** Every weka CLI token file in the home directory (paths only), for the app's banner. */
export async function findWekaAuthFiles(home = os.homedir()): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(wekaDir(home))
  } catch {
    return [] // no ~/.weka, or not readable: nothing we could import either
  }
  return names
    .filter((n) => FILE_NAME.test(n))
    .sort()
    .map((n) => path.join(wekaDir(home), n))
}

export interface WekaAuthFile {
  path: string
  refreshToken: string
  /** From the token's unverified claims, when it has them. */
  username?: string
  orgId?: number
}

/** Reads and checks one file; errors name the file and what is wrong, never a token. */
export async function readWekaAuthFile(file: string): Promise<WekaAuthFile> {
  let text: string
  try {
    const bytes = await readFile(file)
    if (bytes.length > MAX_FILE_BYTES) throw bad(file, 'it is far too large')
    text = bytes.toString('utf8')
  } catch (e) {
    if (e instanceof TokendeckError) throw e
    const code = (e as NodeJS.ErrnoException).code
    throw new TokendeckError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT',
      code === 'ENOENT'
        ? `There is no ${file}: nothing to import (log in with the weka CLI first, or give --path).`
        : `Cannot read ${file} (${code ?? 'unknown error'}).`,
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw bad(file, 'it is not JSON')
  }
  const o = json as Record<string, unknown> | null
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    throw bad(file, 'it is not a JSON object')
  const refresh = o['refresh_token']
  if (typeof refresh !== 'string' || typeof o['access_token'] !== 'string')
    throw bad(file, 'it has no access_token and refresh_token')
  if (!refresh.trim())
    throw bad(
      file,
      'its refresh_token is empty (a file written by tokendeck exec holds none; there is nothing to import)',
    )
  if (!/^[\x21-\x7e]+$/.test(refresh) || refresh.length > 64 * 1024)
    throw bad(file, 'its refresh_token is not a token')
  return { path: file, refreshToken: refresh, ...claimsOf(refresh) }
}

/** `sub.username` and `sub.org_id` of a WEKA JWT, unverified (only to refuse a mismatch early). */
function claimsOf(token: string): { username?: string; orgId?: number } {
  try {
    const payload = token.split('.')[1]
    if (!payload) return {}
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      sub?: { username?: unknown; org_id?: unknown }
    }
    const sub = claims.sub
    return {
      ...(typeof sub?.username === 'string' ? { username: sub.username } : {}),
      ...(typeof sub?.org_id === 'number' ? { orgId: sub.org_id } : {}),
    }
  } catch {
    return {}
  }
}

function bad(file: string, what: string): TokendeckError {
  return new TokendeckError(
    'INVALID_INPUT',
    `${file} is not a weka CLI token file (access_token, refresh_token, token_type): ${what}.`,
  )
}
