/**
 * One citation form for the protocol notes (docs/architecture.md, house rules): every reference
 * to a section of a note is `docs/protocols/<vendor>.md §n`, and §n is a numbered heading that
 * note really has. Scans the repository's own text — src, test, bench, scripts, docs and the
 * README — so a section sign without the note's path before it, a note named by a short or
 * outside path, or a section renumbered away from under its citations, fails here instead of
 * sending a reader to the wrong place. Inside a protocol note a bare section sign means that note
 * itself. References to outside standards (RFC and ECMA-262 sections) are not protocol notes and
 * are left alone. The examples below build the section sign from a code point (S) and note paths
 * from pieces (NOTES), so this file does not cite anything itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const SCANNED = ['src', 'test', 'bench', 'scripts', 'docs', 'README.md']
const TEXT = /\.(ts|tsx|js|mjs|cjs|md|sh|json|ya?ml|css|html)$/
const VENDORS = ['weka', 'qumulo', 'swarm'] as const
/** Built from a code point so this file's own examples are not citations. */
const S = '\u00a7'
const NOTES = 'proto' + 'cols/'

/** The section numbers a note's headings give it: `## 2. Sessions` → 2, `### 2.1 …` → 2.1. */
export function sectionsOf(markdown: string): Set<string> {
  const out = new Set<string>()
  for (const [, n] of markdown.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)) out.add(n!)
  return out
}

export interface Problem {
  line: number
  text: string
  why: string
}

/**
 * What is wrong with the citations in one file. `ownNote` is the vendor whose protocol note this
 * file is (bare §n allowed, meaning that note); `sections` maps each vendor to its sections.
 */
export function citationProblems(
  text: string,
  sections: Record<string, Set<string>>,
  ownNote?: string,
): Problem[] {
  const problems: Problem[] = []
  const lineOf = (index: number) => text.slice(0, index).split('\n').length
  const report = (index: number, why: string) => {
    const line = lineOf(index)
    problems.push({ line, text: text.split('\n')[line - 1]!.trim(), why })
  }
  const cite = new RegExp(`${S}(\\d+(?:\\.\\d+)*)`, 'g')
  for (const m of text.matchAll(cite)) {
    const index = m.index
    const before = text.slice(Math.max(0, index - 40), index)
    if (/(RFC \d+|ECMA-\d+) $/.test(before)) continue
    const canonical = /docs\/protocols\/(weka|qumulo|swarm)\.md $/.exec(before)
    const vendor = canonical?.[1] ?? (ownNote !== undefined && isBare(before) ? ownNote : undefined)
    if (vendor === undefined) {
      report(index, `write it as docs/protocols/<vendor>.md ${S}${m[1]}`)
      continue
    }
    if (!sections[vendor]?.has(m[1]!)) {
      report(index, `docs/protocols/${vendor}.md has no ${S}${m[1]}`)
    }
  }
  // A protocol note is named by its path in this repository, never by one outside it.
  for (const m of text.matchAll(/[\w./~-]*(protocols\/[\w-]+|\b(weka|qumulo|swarm))\.md/g)) {
    if (!/^docs\/protocols\/(weka|qumulo|swarm)\.md$/.test(m[0])) {
      report(m.index, `name the note as it is in this repository: docs/protocols/<vendor>.md`)
    }
  }
  return problems
}

/** A bare §n inside a note: not attached to another note's name. */
function isBare(before: string): boolean {
  return !/(\.md|weka|qumulo|swarm)\s*$/i.test(before)
}

function filesUnder(path: string): string[] {
  const full = join(root, path)
  if (!statSync(full, { throwIfNoEntry: false })) return []
  if (statSync(full).isFile()) return [path]
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) =>
    entry.name === 'node_modules'
      ? []
      : entry.isDirectory()
        ? filesUnder(join(path, entry.name))
        : TEXT.test(entry.name)
          ? [join(path, entry.name)]
          : [],
  )
}

const sections = Object.fromEntries(
  VENDORS.map((v) => [v, sectionsOf(readFileSync(join(root, `docs/protocols/${v}.md`), 'utf8'))]),
)

describe('protocol-note citations', () => {
  it('reads the numbered headings of every note', () => {
    for (const v of VENDORS) expect(sections[v]!.size).toBeGreaterThan(5)
    expect(sections['swarm']!.has('2.1')).toBe(true)
    expect(sections['swarm']!.has('7')).toBe(false)
  })

  it('tells the canonical form from the others, and a missing section from a real one', () => {
    const ok = `// docs/protocols/swarm.md ${S}2.1 DOC, docs/protocols/weka.md ${S}0; RFC 9110 ${S}10.2.3`
    expect(citationProblems(ok, sections)).toEqual([])
    for (const wrong of [
      `// see ${S}3`,
      `// (${S}3)`,
      `// ${'swarm'}.md ${S}2.1`,
      `// see ${'weka'}.md`,
      `// weka ${S}4`,
      `// docs/protocols/swarm.md ${S}2.1, ${S}2.3`,
      `// docs/protocols/swarm.md ${S}7`,
      `// ../shared/${NOTES}${'swarm'}.md`,
      `// docs/${NOTES}nas.md`,
    ]) {
      expect(citationProblems(wrong, sections), wrong).not.toEqual([])
    }
    expect(
      citationProblems(`see ${S}2.3 and [${S}2.2](#22-use-a-token)`, sections, 'swarm'),
    ).toEqual([])
    expect(citationProblems(`see ${S}7`, sections, 'swarm')).toHaveLength(1)
  })

  it('every file cites protocol notes as docs/protocols/<vendor>.md §n, with sections that exist', () => {
    const found: string[] = []
    for (const file of SCANNED.flatMap(filesUnder)) {
      const rel = relative(root, join(root, file)).split('\\').join('/')
      const own = /^docs\/protocols\/(weka|qumulo|swarm)\.md$/.exec(rel)?.[1]
      for (const p of citationProblems(readFileSync(join(root, file), 'utf8'), sections, own)) {
        found.push(`${rel}:${p.line}: ${p.why}\n    ${p.text}`)
      }
    }
    expect(found, found.join('\n')).toEqual([])
  })
})
