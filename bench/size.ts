/** Figure 5, bundle sizes of the build in out/: raw bytes and gzip (node:zlib, level 9). */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'

export const OUT_DIR = join(import.meta.dirname, '../out')

export interface SizeEntry {
  files: string[]
  bytes: number
  gzipBytes: number
}

export interface SizeResult {
  /** out/renderer/assets/*.js + *.css. */
  renderer: SizeEntry & { js: SizeEntry; css: SizeEntry }
  main: SizeEntry
  preload: SizeEntry
  /** When the renderer bundle was built (mtime of the newest asset). */
  builtAt: string
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)],
  )
}

function measure(files: string[]): SizeEntry {
  let bytes = 0
  let gzipBytes = 0
  for (const f of files) {
    const data = readFileSync(f)
    bytes += data.length
    gzipBytes += gzipSync(data, { level: 9 }).length
  }
  return { files: files.map((f) => relative(OUT_DIR, f)).sort(), bytes, gzipBytes }
}

function sum(a: SizeEntry, b: SizeEntry): SizeEntry {
  return {
    files: [...a.files, ...b.files],
    bytes: a.bytes + b.bytes,
    gzipBytes: a.gzipBytes + b.gzipBytes,
  }
}

export function benchSize(): SizeResult {
  const assets = walk(join(OUT_DIR, 'renderer/assets'))
  const js = measure(assets.filter((f) => f.endsWith('.js')))
  const css = measure(assets.filter((f) => f.endsWith('.css')))
  // Source maps are not shipped code; leave them out if a build ever emits them.
  const code = (dir: string) => walk(join(OUT_DIR, dir)).filter((f) => !f.endsWith('.map'))
  const newest = Math.max(...assets.map((f) => statSync(f).mtimeMs))
  return {
    renderer: { ...sum(js, css), js, css },
    main: measure(code('main')),
    preload: measure(code('preload')),
    builtAt: new Date(newest).toISOString(),
  }
}
