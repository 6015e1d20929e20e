/**
 * Readable cluster ids made from the name the user gave: "Prod WEKA" → "prod-weka", then
 * "prod-weka-2", … . Ids appear in the config file, keychain account names and logs, so a person
 * should recognise them; they never change after creation, even when the cluster is renamed.
 */
import { ClusterId } from '../../../shared/model'

const MAX_ID_LENGTH = 64

/** Lower-case ASCII slug of a name: accents dropped, every other run of non-alphanumerics → '-'. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/**
 * The first free id for `name` among `taken`. `fallback` is used when the name has no ASCII
 * letters or digits at all (e.g. "生产"), so every name still yields a valid id.
 */
export function uniqueClusterId(
  name: string,
  taken: ReadonlySet<string>,
  fallback: string,
): string {
  const base = slugify(name) || slugify(fallback) || 'cluster'
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : `-${n}`
    // Trim the base, not the suffix, so long names still get distinct ids within 64 characters.
    const stem = base.slice(0, MAX_ID_LENGTH - suffix.length).replace(/-+$/, '')
    const id = `${stem}${suffix}`
    if (!taken.has(id) && ClusterId.safeParse(id).success) return id
  }
}
