/**
 * Turn zod issues into one line a person can act on: each names the field (`clusters[2].url`)
 * and what is wrong with it. Built from the schema's messages and field names only, never from
 * the rejected values, so a stray password in the input can never reach an error message.
 */
import type { z } from 'zod'

type Issue = z.core.$ZodIssue

const MAX_SHOWN = 5

export function describeIssues(issues: readonly Issue[]): string {
  const lines = issues.flatMap((issue) => describeIssue(issue, []))
  const shown = lines.slice(0, MAX_SHOWN).join('; ')
  return lines.length > MAX_SHOWN ? `${shown}; and ${lines.length - MAX_SHOWN} more` : shown
}

function describeIssue(issue: Issue, prefix: readonly PropertyKey[]): string[] {
  const at = [...prefix, ...issue.path]
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map(
        (key) => `${formatPath([...at, key])}: unknown field (not allowed here)`,
      )
    case 'invalid_union': {
      // zod says only "Invalid input" for a union; explain with the alternative that came
      // closest (fewest problems), e.g. a malformed fingerprint rather than "caPath missing".
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]
      if (closest === undefined || closest.length === 0)
        return [`${formatPath(at)}: ${issue.message}`]
      return closest.flatMap((inner) => describeIssue(inner, at))
    }
    default:
      return [`${formatPath(at)}: ${issue.message}`]
  }
}

/** ['clusters', 2, 'url'] → 'clusters[2].url'; the empty path is the document itself. */
export function formatPath(p: readonly PropertyKey[]): string {
  if (p.length === 0) return '(top level)'
  return p
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`,
    )
    .join('')
}
