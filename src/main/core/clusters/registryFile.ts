/**
 * The on-disk format of clusters.json and nothing else: what a valid file is, how to read one
 * (with a sentence for the user when it is not valid) and how to write one.
 *
 *   { "version": 1, "clusters": [Cluster, …], "settings": Settings }
 *
 * Every object is strict: an unknown field is an error, never silently dropped, so a
 * hand-edited typo is reported and nothing unexpected (such as a secret) is carried along.
 */
import { z } from 'zod'
import { Cluster, Settings, hasUserInfo } from '../../../shared/model'
import { describeIssues } from '../../../shared/validation/describeIssues'

export const FILE_NAME = 'clusters.json'
export const FORMAT_VERSION = 1

export const RegistryFile = z
  .strictObject({
    version: z.literal(FORMAT_VERSION),
    clusters: z.array(Cluster),
    // A hand-written file may leave settings out; every setting has a default.
    settings: Settings.default(Settings.parse({})),
  })
  .superRefine((file, ctx) => {
    // Ids key the keychain entries and sessions: two clusters sharing one would share secrets.
    const seen = new Set<string>()
    file.clusters.forEach((c, i) => {
      if (seen.has(c.id))
        ctx.addIssue({
          code: 'custom',
          path: ['clusters', i, 'id'],
          message: `duplicate id "${c.id}"`,
        })
      seen.add(c.id)
    })
  })
export type RegistryFile = z.infer<typeof RegistryFile>

export type ParseResult =
  | {
      ok: true
      file: RegistryFile
      /** Names of clusters whose URL carried userinfo, removed while parsing (see stripUserinfo). */
      strippedUserinfo?: string[]
    }
  | { ok: false; problem: string }

/**
 * A hand-edited (or older) file may hold `https://user:password@host` as a cluster's URL. The
 * schema refuses it, which would move the whole list aside as corrupt for one bad field; and the
 * password must not be kept. So the userinfo is removed from `url` and `s3Url` before the schema
 * sees the file, and the caller is told which clusters it was (to warn, and to save the file
 * without the password). Mutates `json`; returns those clusters' names.
 */
function stripUserinfo(json: Record<string, unknown>): string[] {
  const names: string[] = []
  if (!Array.isArray(json.clusters)) return names
  for (const entry of json.clusters as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue
    const cluster = entry as Record<string, unknown>
    let stripped = false
    for (const key of ['url', 's3Url']) {
      const value = cluster[key]
      if (typeof value !== 'string' || !hasUserInfo(value)) continue
      const url = new URL(value)
      url.username = ''
      url.password = ''
      // Keep the rest exactly as written (URL would add a trailing "/" to a bare origin).
      cluster[key] = value.endsWith('/') || url.pathname !== '/' ? url.href : url.origin
      stripped = true
    }
    if (stripped) names.push(typeof cluster.name === 'string' ? cluster.name : String(cluster.id))
  }
  return names
}

/** Parse file text; on failure, say what is wrong in words (no values quoted from the file). */
export function parseRegistryFile(text: string): ParseResult {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return { ok: false, problem: `it is not valid JSON${jsonErrorLocation(text, e)}` }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, problem: 'it is not a JSON object' }
  }
  // Check the version before the schema: for a file from another version the field-by-field
  // differences would only bury the one fact that matters.
  const version: unknown = (json as Record<string, unknown>).version
  if (version !== FORMAT_VERSION) {
    const found = typeof version === 'number' ? `version ${version}` : 'no valid "version"'
    const hint =
      typeof version === 'number' && version > FORMAT_VERSION
        ? ' (a newer Tokendeck may have written it)'
        : ''
    return {
      ok: false,
      problem: `it has ${found}${hint}; this Tokendeck reads version ${FORMAT_VERSION}`,
    }
  }
  const strippedUserinfo = stripUserinfo(json as Record<string, unknown>)
  const parsed = RegistryFile.safeParse(json)
  if (!parsed.success)
    return {
      ok: false,
      problem: `it does not match the expected format: ${describeIssues(parsed.error.issues, 'config-file')}`,
    }
  return strippedUserinfo.length > 0
    ? { ok: true, file: parsed.data, strippedUserinfo }
    : { ok: true, file: parsed.data }
}

/**
 * " (line 3, column 7)" from a JSON.parse error. V8's own message quotes a snippet of the text,
 * which could be anything a person pasted into the file, so only the position is passed on.
 */
function jsonErrorLocation(text: string, e: unknown): string {
  if (text.trim() === '') return ' (the file is empty)'
  const message = e instanceof Error ? e.message : ''
  if (message.startsWith('Unexpected end')) return ' (it ends before the JSON is complete)'
  const position = /position (\d+)/.exec(message)?.[1]
  if (position === undefined) return ''
  const before = text.slice(0, Number(position)).split('\n')
  return ` (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`
}

export function serializeRegistryFile(file: RegistryFile): string {
  // Pretty-printed: admins read, diff and occasionally hand-edit this file.
  return `${JSON.stringify(file, null, 2)}\n`
}
