/**
 * The identity of a data directory: a random UUID kept in `<dir>/profile.json`
 * (`{"version":1,"id":"…"}`, mode 0600). Keychain entries are namespaced by it, so that two data
 * directories (two profiles, a portable install, a test run) never read each other's secrets
 * even though they share one keychain.
 *
 * It is created once, atomically, so that processes starting at the same moment (the app and a
 * CLI) agree on it: each writes a complete candidate to a temp file and tries to `link` it to
 * the final name. A link never replaces an existing file, so exactly one candidate wins, and the
 * file is never seen half-written; the losers (EEXIST) read the winner's id.
 *
 * A profile.json that cannot be used is never replaced: a new id would silently orphan every
 * credential stored under the old one. The user is told what to do instead.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { TokendeckError } from '../../../shared/errors'
import { errnoCode, readTextIfExists, syncDirectory } from './atomicFile'

export const PROFILE_FILE_NAME = 'profile.json'
export const PROFILE_FORMAT_VERSION = 1

const ProfileFile = z.strictObject({
  version: z.literal(PROFILE_FORMAT_VERSION),
  id: z.uuid(),
})

export interface ProfileIdentity {
  /** The data directory's id (a UUID). */
  id: string
  /** True when this call created it (the first start on this directory). */
  created: boolean
}

/**
 * The id of the data directory `dir`, creating it (and `dir`, 0700) if there is none yet.
 * @throws TokendeckError CONFIG_CORRUPT when profile.json exists but cannot be read or used
 */
export async function readOrCreateProfileId(dir: string): Promise<ProfileIdentity> {
  const file = path.join(dir, PROFILE_FILE_NAME)
  const existing = await readProfileId(file)
  if (existing !== undefined) return { id: existing, created: false }

  await fs.mkdir(dir, { recursive: true, mode: 0o700 })
  const id = randomUUID()
  const temp = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`
  let created: boolean
  try {
    const handle = await fs.open(temp, 'wx', 0o600)
    try {
      // The umask may have narrowed the mode but never widened it; chmod makes it exact.
      await handle.chmod(0o600)
      await handle.writeFile(`${JSON.stringify({ version: PROFILE_FORMAT_VERSION, id })}\n`)
      await handle.sync()
    } finally {
      await handle.close()
    }
    try {
      await fs.link(temp, file)
      created = true
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST') throw e
      created = false // another process got there first: its id is the one
    }
  } catch (e) {
    throw new TokendeckError(
      'INTERNAL',
      `Could not create ${file} (${errnoCode(e) ?? String(e)}).`,
      { cause: e },
    )
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined)
  }
  if (created) {
    await syncDirectory(dir)
    return { id, created: true }
  }
  const winner = await readProfileId(file)
  if (winner === undefined) {
    // It existed a moment ago; only a person or another program removes it.
    throw new TokendeckError(
      'INTERNAL',
      `${file} disappeared while Tokendeck was creating it; try again.`,
    )
  }
  return { id: winner, created: false }
}

/** The id in `file`, or undefined when there is no such file. */
async function readProfileId(file: string): Promise<string | undefined> {
  let text: string | undefined
  try {
    text = await readTextIfExists(file)
  } catch (e) {
    throw corrupt(file, `it could not be read (${errnoCode(e) ?? String(e)})`)
  }
  if (text === undefined) return undefined
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    // No position nor snippet: the message is about what to do, not about the bytes.
    throw corrupt(file, 'it is not valid JSON')
  }
  const parsed = ProfileFile.safeParse(json)
  if (!parsed.success) {
    throw corrupt(file, `it is not {"version":${PROFILE_FORMAT_VERSION},"id":"<a UUID>"}`)
  }
  return parsed.data.id
}

function corrupt(file: string, what: string): TokendeckError {
  return new TokendeckError(
    'CONFIG_CORRUPT',
    `The profile identity file ${file} cannot be used: ${what}. Tokendeck will not replace it, ` +
      'because the credentials it keeps in the system keychain for this data directory are filed ' +
      'under the id it holds. Restore it from a backup or fix it; if it cannot be recovered, delete ' +
      'it: Tokendeck then starts a new identity and you sign in to every cluster again.',
  )
}
