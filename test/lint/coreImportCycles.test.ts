/**
 * The core's folders import one way: no folder reaches back, however long the way round (one
 * did: clusters/clusterService.ts used sessions/, which uses clusters/). Reads the relative
 * imports of every file under src/main/core (type-only imports count: they are dependencies a
 * reader follows too) and looks for a cycle between folders, and between files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const CORE = path.resolve(__dirname, '../../src/main/core')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(p)
    return e.name.endsWith('.ts') ? [p] : []
  })
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec)
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    try {
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not this one
    }
  }
  return undefined
}

/** Every file's relative imports that stay inside the core. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of sourceFiles(CORE)) {
    const text = readFileSync(file, 'utf8')
    const deps = [...text.matchAll(/\b(?:from|import)\s*\(?\s*'(\.[^']*)'/g)]
      .map((m) => resolveImport(file, m[1]!))
      .filter((d): d is string => d !== undefined && d.startsWith(CORE + path.sep))
    graph.set(file, deps)
  }
  return graph
}

/** A top-level file is its own node; anything in a folder belongs to that folder. */
function folderOf(file: string): string {
  const parts = path.relative(CORE, file).split(path.sep)
  return parts.length > 1 ? `${parts[0]}/` : parts[0]!
}

/** Strongly connected components with more than one member (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string) => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1) found.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return found
}

describe('imports inside src/main/core', () => {
  const files = importGraph()

  it('finds the files and their imports (the check below is not vacuous)', () => {
    expect(files.size).toBeGreaterThan(50)
    const startCore = files.get(path.join(CORE, 'startCore.ts')) ?? []
    expect(startCore.map(folderOf)).toContain('sessions/')
  })

  it('no two folders depend on each other, directly or round a longer way', () => {
    const folders = new Map<string, Set<string>>()
    for (const [file, deps] of files) {
      const from = folderOf(file)
      const out = folders.get(from) ?? new Set<string>()
      for (const d of deps) if (folderOf(d) !== from) out.add(folderOf(d))
      folders.set(from, out)
    }
    expect(cycles(folders)).toEqual([])
  })

  it('no file imports itself back through others', () => {
    const graph = new Map([...files].map(([f, deps]) => [f, new Set(deps)]))
    const named = cycles(graph).map((c) => c.map((f) => path.relative(CORE, f)))
    expect(named).toEqual([])
  })
})
