/**
 * Change watching for the cluster registry: another process saved clusters.json, so read it again.
 * Saves arrive as a burst of events (temp file written, renamed); one reload once they settle.
 */
import { mkdirSync, watch as watchDir, type FSWatcher } from 'node:fs'
import path from 'node:path'
import { TokendeckError } from '../../../shared/errors'
import { errnoCode } from './atomicFile'

const WATCH_DEBOUNCE_MS = 50

/**
 * Calls `reload` whenever `file` changes (debounced), plus once at the start. Returns the function
 * that stops watching. Problems go to `report`; the watcher does not keep the process alive.
 */
export function watchFile(
  file: string,
  reload: () => void,
  report: (problem: TokendeckError) => void,
): () => void {
  const dir = path.dirname(file)
  const name = path.basename(file)
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const schedule = (): void => {
    if (stopped) return
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      reload()
    }, WATCH_DEBOUNCE_MS)
    timer.unref()
  }
  let watcher: FSWatcher
  try {
    // Watching needs the directory to exist; it is created as a save would create it.
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    watcher = watchDir(dir, { persistent: false }, (_event, filename) => {
      // Saves rename a temp file over the file, so its name is the one to look for. Some
      // platforms give no name: reload anyway (cheap when nothing changed).
      if (filename === null || filename === name) schedule()
    })
  } catch (e) {
    report(watchProblem(dir, e))
    return () => undefined
  }
  watcher.on('error', (e) => {
    report(watchProblem(dir, e))
  })
  schedule()
  return () => {
    stopped = true
    if (timer !== undefined) clearTimeout(timer)
    watcher.close()
  }
}

function watchProblem(dir: string, e: unknown): TokendeckError {
  return new TokendeckError(
    'INTERNAL',
    `Cannot watch ${dir} for changes made by other Tokendeck processes (${errnoCode(e) ?? String(e)}); ` +
      'they will show after a restart.',
    { cause: e },
  )
}
