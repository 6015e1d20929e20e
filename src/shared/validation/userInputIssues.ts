/**
 * Policy 'user-input' of describeIssues: input from the renderer or a command line, described
 * as a person knows it — the field by its label ("The token lifetime"), bounds in their units
 * ("at least 1 minute"), never an internal channel name or zod's schema words ("Too small:
 * expected number to be >=60"). Built from the schema and the field names only, never from the
 * rejected values (a password may be among them); a key the input chose is shown short and
 * printable only.
 */
import type { z } from 'zod'

type Issue = z.core.$ZodIssue

const FIELD_LABELS: Record<string, string> = {
  url: 'The cluster URL',
  s3Url: 'The S3 URL',
  clusterId: 'The cluster id',
  password: 'The password',
  expiresIn: 'The token lifetime',
  expiresAt: 'The expiry time',
  owner: 'The owner',
  description: 'The description',
  tokenId: 'The token id',
  sha256: 'The certificate fingerprint',
  caPath: 'The CA file path',
  trust: 'The certificate trust',
  name: 'The cluster name',
  username: 'The user name',
  vendor: 'The vendor',
  org: 'The organization',
  tenant: 'The tenant',
  domain: 'The storage domain',
  value: 'The value to copy',
  enabled: 'Enabled',
  target: 'What to revoke',
  accessKeyId: 'The access key id',
  handle: 'The key to keep',
  format: 'The copy format',
  withinSeconds: 'The time window',
}

function labelOf(path: readonly PropertyKey[]): string {
  const named = [...path].reverse().find((p): p is string => typeof p === 'string')
  if (named === undefined) return 'The request'
  return FIELD_LABELS[named] ?? `The field "${shortKey(named)}"`
}

/** A key the input chose: shown short and printable only. */
function shortKey(key: PropertyKey): string {
  const text = String(key).replace(/[^\x20-\x7e]/g, '?')
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

/** 60 → "1 minute", 315360000 → "3650 days". */
function seconds(n: number): string {
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ]
  for (const [size, unit] of units) {
    if (n >= size && n % size === 0) {
      const count = n / size
      return `${count} ${unit}${count === 1 ? '' : 's'}`
    }
  }
  return `${n} seconds`
}

function sizeText(issue: Issue & { code: 'too_small' | 'too_big' }, path: readonly PropertyKey[]) {
  const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum)
  const isTime = path.includes('expiresIn')
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
    return isTime ? seconds(bound) : String(bound)
  if (issue.origin === 'string') return `${bound} character${bound === 1 ? '' : 's'}`
  return `${bound} entr${bound === 1 ? 'y' : 'ies'}`
}

function describeIssue(issue: Issue, prefix: readonly PropertyKey[]): string[] {
  const path = [...prefix, ...issue.path]
  const label = labelOf(path)
  switch (issue.code) {
    case 'unrecognized_keys':
      return [
        `${path.length ? `${label} has` : 'The request has'} an unknown field: ${issue.keys
          .slice(0, 3)
          .map((k) => `"${shortKey(k)}"`)
          .join(', ')}${issue.keys.length > 3 ? ', …' : ''}`,
      ]
    case 'invalid_union': {
      if (path.includes('expiresIn'))
        return [`${label} must be a number of seconds (at least 1 minute) or "never"`]
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]
      return closest && closest.length
        ? closest.flatMap((inner) => describeIssue(inner, path))
        : [`${label} is not valid`]
    }
    case 'too_small': {
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return [`${label} is empty`]
      return [`${label} must be at least ${sizeText(issue, path)}`]
    }
    case 'too_big':
      return [`${label} must be at most ${sizeText(issue, path)}`]
    case 'invalid_type':
      // zod leaves the input out of its issues (no value is ever echoed); its own words say
      // whether there was one.
      return /received undefined/.test(issue.message)
        ? [`${label} is missing`]
        : [`${label} must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`]
    case 'invalid_value':
      return [
        `${label} must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values
          .map((v) => JSON.stringify(v))
          .join(', ')}`,
      ]
    case 'invalid_format':
    case 'custom':
      // Our schemas give their own words ("the cluster URL must use https://"); zod's own
      // ("Invalid URL", "Invalid string: must match pattern …") are replaced.
      if (!/^invalid/i.test(issue.message)) return [capitalized(issue.message)]
      return [
        issue.code === 'invalid_format' && issue.format === 'url'
          ? `${label} is not a valid URL (expected https://host[:port])`
          : `${label} is not valid`,
      ]
    default:
      return [`${label} is not valid`]
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Policy 'user-input': at most three distinct problems, a sentence ending in a full stop. */
export function userInputProblems(issues: readonly Issue[]): string {
  const lines = issues.flatMap((i) => describeIssue(i, []))
  const shown = [...new Set(lines)].slice(0, 3)
  const text = shown.join('; ')
  return `${text}${lines.length > shown.length ? '; and more' : ''}.`
}
