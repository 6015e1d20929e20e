/** Tag edits on a cluster: what `clusters tag --add/--remove` and the app's tag editor ask for. */
import { normalizeTag } from '../../../shared/model'

/**
 * The tags after adding `add` and removing `remove`, in a stable order (sorted, so a file diff
 * and the list's groups do not depend on the order tags were given). `undefined` when none are
 * left, so a cluster without tags keeps the shape of files from before tags.
 */
export function editTags(
  current: readonly string[] | undefined,
  add: readonly string[],
  remove: readonly string[],
): string[] | undefined {
  const gone = new Set(remove.map(normalizeTag))
  const next = new Set([...(current ?? []), ...add.map(normalizeTag)].filter((t) => !gone.has(t)))
  return next.size ? [...next].sort() : undefined
}
