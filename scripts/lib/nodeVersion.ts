/**
 * Which Node.js this checkout can run on, told from the packages' own `engines` fields rather
 * than from a number written here: Electron's tooling (node_modules/electron, @electron/get)
 * declares one range, the rest (vite, electron-vite, the tests: package.json `engines`) a wider
 * one. The range check is a small one of our own because `semver` is only a transitive
 * dependency here; it reads what npm `engines` fields use (`>=`, `<`, `^`, `~`, `||`, `x`).
 */

export interface NodeRanges {
  /** What Electron's tooling declares (downloading and packaging Electron). */
  app: { range: string; source: string }
  /** What the core, the CLI, the build and the tests need: package.json `engines.node`. */
  project: { range: string; source: string }
}

export type NodeCheck =
  | { kind: 'ok' }
  /** Fine for the core, the CLI and the tests; outside what Electron's tooling declares. */
  | { kind: 'app-unsupported'; node: string; ranges: NodeRanges }
  /** Outside even the project's range: nothing here is supported on it. */
  | { kind: 'too-old'; node: string; ranges: NodeRanges }

type Triple = [number, number, number]

function parseVersion(text: string): Triple | undefined {
  const m = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(text.trim())
  if (!m) return undefined
  const n = (s: string | undefined) => (s === undefined || s === 'x' || s === '*' ? 0 : Number(s))
  return [n(m[1]), n(m[2]), n(m[3])]
}

function compare(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

/** One comparator (`>=22.12.0`, `^20.19.0`, …) against a version; undefined when unreadable. */
function comparatorHolds(v: Triple, comparator: string): boolean | undefined {
  if (comparator === '*' || comparator === 'x' || comparator === '') return true
  const m = /^(>=|<=|>|<|=|\^|~)?(.+)$/.exec(comparator)
  const bound = m?.[2] === undefined ? undefined : parseVersion(m[2])
  if (!m || !bound) return undefined
  const c = compare(v, bound)
  switch (m[1]) {
    case '>=':
      return c >= 0
    case '>':
      return c > 0
    case '<=':
      return c <= 0
    case '<':
      return c < 0
    case '^':
      // ^20.19.0 means 20.x from 20.19.0 on (for 0.y.z, the minor is the fence).
      return c >= 0 && (bound[0] > 0 ? v[0] === bound[0] : v[1] === bound[1])
    case '~':
      return c >= 0 && v[0] === bound[0] && v[1] === bound[1]
    default:
      // `=22.12.0` or a bare version: partial versions (`22`) match the whole line.
      return /\d+\.\d+\.\d+/.test(m[2] ?? '') ? c === 0 : v[0] === bound[0]
  }
}

/**
 * Whether `version` satisfies an npm `engines` range. A range this cannot read counts as
 * satisfied: refusing to start over our own parser's gap would be worse than not warning.
 */
export function satisfiesRange(version: string, range: string): boolean {
  const v = parseVersion(version)
  if (!v) return true
  return range.split('||').some((alternative) => {
    const comparators = alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
    return comparators.every((c) => comparatorHolds(v, c) ?? true)
  })
}

/** Decide what this Node can do here. Pure: the version comes in, so tests can pick any. */
export function checkNode(node: string, ranges: NodeRanges): NodeCheck {
  if (!satisfiesRange(node, ranges.project.range)) return { kind: 'too-old', node, ranges }
  if (!satisfiesRange(node, ranges.app.range)) return { kind: 'app-unsupported', node, ranges }
  return { kind: 'ok' }
}

const installHint = (r: NodeRanges) =>
  `Install a Node.js that satisfies ${r.app.range} (for example the current LTS: ` +
  '`nvm install --lts`), then run `npm ci` again.'

/** The stop message for a Node nothing here supports. */
export function nodeTooOldText(check: Extract<NodeCheck, { kind: 'too-old' }>): string {
  const { node, ranges } = check
  return [
    `Node.js ${node} is too old for Tokendeck.`,
    `  The app (Electron's tooling) needs Node ${ranges.app.range} (${ranges.app.source}).`,
    `  The core, the tokendeck CLI, the simulators and the tests need Node ${ranges.project.range} (${ranges.project.source}).`,
    installHint(ranges),
  ].join('\n')
}

/**
 * Said once, before Electron's installer runs on a Node it does not declare: the download
 * usually works there (Node 20.19+ can load its ES-module code), so it is tried, not refused.
 */
export function nodeAppNoteText(check: Extract<NodeCheck, { kind: 'app-unsupported' }>): string {
  const { node, ranges } = check
  return (
    `Note: Electron's tooling declares Node ${ranges.app.range} (${ranges.app.source}); this is ` +
    `Node ${node}, which runs the core, the CLI and the tests (${ranges.project.range}). ` +
    'Trying the download anyway.'
  )
}

/** Added to a download failure with no clearer cause, when Node is outside Electron's range. */
export function nodeHintText(check: Extract<NodeCheck, { kind: 'app-unsupported' }>): string {
  return (
    `This is Node ${check.node}, outside the ${check.ranges.app.range} Electron's tooling ` +
    `declares: that may be the cause. ${installHint(check.ranges)}`
  )
}
