/**
 * The app's Export… and Import… of a cluster catalogue (the CLI's `clusters export` / `import`
 * with the desktop's file dialogs). Main reads and writes the file: the renderer names neither
 * a path nor its content, and gets back only what a catalogue holds (no secret is ever in one,
 * see shared/catalogue.ts).
 */
import { readFile, stat } from 'node:fs/promises'
import { TokendeckError } from '../../../shared/errors'
import { parseCatalogue, type Catalogue } from '../../../shared/catalogue'
import { writeFileAtomic } from '../clusters/atomicFile'
import type { FilePicker } from './filePicker'

/** Far above any real catalogue (a few KB per cluster); a bigger file is not one. */
export const MAX_CATALOGUE_BYTES = 16 * 1024 * 1024

export function noPicker(): TokendeckError {
  return new TokendeckError(
    'UNSUPPORTED',
    'There is no file dialog here: use `tokendeck clusters export` or `import` in a terminal.',
  )
}

/** Asks where to save, then writes the catalogue there; `path` absent when cancelled. */
export async function saveCatalogue(
  picker: FilePicker | undefined,
  catalogue: Catalogue,
): Promise<{ path?: string; clusters: number }> {
  if (!picker) throw noPicker()
  const path = await picker.pickCatalogue('save', 'tokendeck-clusters.json')
  if (path === undefined) return { clusters: catalogue.clusters.length }
  try {
    await writeFileAtomic(path, `${JSON.stringify(catalogue, null, 2)}\n`, { mode: 0o644 })
  } catch (e) {
    throw new TokendeckError(
      'INVALID_INPUT',
      `Could not save the catalogue to ${path}: ${(e as NodeJS.ErrnoException).code ?? 'write failed'}.`,
    )
  }
  return { path, clusters: catalogue.clusters.length }
}

/** Asks which catalogue to import and reads it, checked entry by entry; `{}` when cancelled. */
export async function openCatalogue(
  picker: FilePicker | undefined,
): Promise<{ path?: string; catalogue?: Catalogue }> {
  if (!picker) throw noPicker()
  const path = await picker.pickCatalogue('open')
  if (path === undefined) return {}
  let text: string
  try {
    const size = (await stat(path)).size
    if (size > MAX_CATALOGUE_BYTES)
      throw new TokendeckError(
        'INVALID_INPUT',
        `${path} is ${Math.round(size / 1024 / 1024)} MiB: too large to be a cluster catalogue.`,
      )
    text = await readFile(path, 'utf8')
  } catch (e) {
    if (e instanceof TokendeckError) throw e
    throw new TokendeckError(
      'INVALID_INPUT',
      `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'read failed'}.`,
    )
  }
  const parsed = parseCatalogue(text)
  if (!parsed.ok)
    throw new TokendeckError(
      'INVALID_INPUT',
      `${path} cannot be imported: ${parsed.problems.join('; ')}.`,
    )
  return { path, catalogue: parsed.catalogue }
}
