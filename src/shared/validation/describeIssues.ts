/**
 * The one place zod issues become words. Who reads the words, and how far the rejected data may
 * be trusted, is the policy:
 *
 * - 'user-input'     the renderer's or a command line's input: field labels and units, at most
 *                    three problems (userInputIssues.ts).
 * - 'config-file'    a file the user keeps (clusters.json, the kept-key index): each problem
 *                    by its path in the file (`clusters[2].url`) and the schema's words, at
 *                    most five.
 * - 'server-reply'   a cluster's reply: path and expected type only, never an issue message
 *                    (some quote the data) and only plain-looking keys (record keys are the
 *                    server's), at most three.
 * - 'keychain-entry' a stored secret's envelope: the names of the damaged fields only; an
 *                    unknown key is not repeated (its name may be a secret pasted in).
 *
 * No policy ever shows a rejected value: zod leaves values out of its issues, and the messages
 * of our schemas are written without them.
 */
import type { z } from 'zod'
import { userInputProblems } from './userInputIssues'

export type Issue = z.core.$ZodIssue

export type IssuePolicy = 'user-input' | 'config-file' | 'server-reply' | 'keychain-entry'

export interface DescribeOptions {
  /** What an empty path names: '(top level)' by default, 'envelope' for a keychain entry. */
  whole?: string
}

export function describeIssues(
  issues: readonly Issue[],
  policy: IssuePolicy,
  options: DescribeOptions = {},
): string {
  switch (policy) {
    case 'user-input':
      return userInputProblems(issues)
    case 'config-file':
      return configFileProblems(issues, options.whole ?? '(top level)')
    case 'server-reply':
      return serverReplyProblems(issues, options.whole ?? '(top level)')
    case 'keychain-entry':
      return keychainEntryProblems(issues, options.whole ?? 'envelope')
  }
}

// ---- config-file --------------------------------------------------------------------------------

const CONFIG_SHOWN = 5

function configFileProblems(issues: readonly Issue[], whole: string): string {
  const lines = issues.flatMap((issue) => configIssue(issue, [], whole))
  const shown = lines.slice(0, CONFIG_SHOWN).join('; ')
  return lines.length > CONFIG_SHOWN ? `${shown}; and ${lines.length - CONFIG_SHOWN} more` : shown
}

function configIssue(issue: Issue, prefix: readonly PropertyKey[], whole: string): string[] {
  const at = [...prefix, ...issue.path]
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map(
        (key) => `${formatPath([...at, key], whole)}: unknown field (not allowed here)`,
      )
    case 'invalid_union': {
      // zod says only "Invalid input" for a union; explain with the alternative that came
      // closest (fewest problems), e.g. a malformed fingerprint rather than "caPath missing".
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]
      if (closest === undefined || closest.length === 0)
        return [`${formatPath(at, whole)}: ${issue.message}`]
      return closest.flatMap((inner) => configIssue(inner, at, whole))
    }
    default:
      return [`${formatPath(at, whole)}: ${issue.message}`]
  }
}

/** ['clusters', 2, 'url'] → 'clusters[2].url'; the empty path is the document itself. */
function formatPath(
  p: readonly PropertyKey[],
  whole: string,
  key: (part: PropertyKey) => string = String,
): string {
  if (p.length === 0) return whole
  return p
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : i === 0 ? key(part) : `.${key(part)}`,
    )
    .join('')
}

// ---- server-reply -------------------------------------------------------------------------------

const REPLY_SHOWN = 3

function serverReplyProblems(issues: readonly Issue[], whole: string): string {
  const shown = issues.slice(0, REPLY_SHOWN).map((issue) => {
    const expected =
      issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.code.replace(/_/g, ' ')
    return `${formatPath(issue.path, whole, safeKey)}: ${expected}`
  })
  const more = issues.length > REPLY_SHOWN ? `, and ${issues.length - REPLY_SHOWN} more` : ''
  return shown.join('; ') + more
}

/** Keys come from our schemas, but record keys come from the server: show only plain ones. */
function safeKey(p: PropertyKey): string {
  const s = String(p)
  return /^[A-Za-z_][A-Za-z0-9_-]{0,40}$/.test(s) ? s : '?'
}

// ---- keychain-entry -----------------------------------------------------------------------------

function keychainEntryProblems(issues: readonly Issue[], whole: string): string {
  const fields = issues.map((i) =>
    i.code === 'unrecognized_keys'
      ? `unexpected field${i.path.length > 0 ? ` in ${i.path.join('.')}` : ''}`
      : i.path.join('.') || whole,
  )
  return [...new Set(fields)].join(', ')
}
