/**
 * The one zod-issue formatter, policy by policy: each says what is wrong where its reader looks
 * for it, and none ever repeats a rejected value (a password, a token, a server's data).
 */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { CreateTokenInput } from '../../src/shared/contract'
import { describeIssues, type IssuePolicy } from '../../src/shared/validation/describeIssues'

const SECRET = 'hunter2-Sup3r-s3cret'
const POLICIES: IssuePolicy[] = ['user-input', 'config-file', 'server-reply', 'keychain-entry']

function issuesOf(schema: z.ZodType, value: unknown) {
  const parsed = schema.safeParse(value)
  if (parsed.success) throw new Error('expected the value to be refused')
  return parsed.error.issues
}

describe('describeIssues', () => {
  it("'user-input' names the field as a person knows it, in their units, ending in a full stop", () => {
    const issues = issuesOf(CreateTokenInput, { clusterId: 'prod-weka', expiresIn: 30 })
    expect(describeIssues(issues, 'user-input')).toBe(
      'The token lifetime must be at least 1 minute.',
    )
    const missing = issuesOf(CreateTokenInput, { expiresIn: 3600 })
    expect(describeIssues(missing, 'user-input')).toBe('The cluster id is missing.')
    const many = issuesOf(
      z.strictObject({ a: z.string(), b: z.string(), c: z.string(), d: z.string() }),
      {},
    )
    expect(describeIssues(many, 'user-input')).toBe(
      'The field "a" is missing; The field "b" is missing; The field "c" is missing; and more.',
    )
  })

  it("'config-file' gives each problem's path in the file and the schema's words, at most five", () => {
    const File = z.strictObject({
      clusters: z.array(
        z.strictObject({ url: z.string().startsWith('https://', 'must use https://') }),
      ),
    })
    const one = issuesOf(File, { clusters: [{ url: 'https://a' }, { url: 'http://b' }] })
    expect(describeIssues(one, 'config-file')).toBe('clusters[1].url: must use https://')
    const unknown = issuesOf(File, { clusters: [{ url: 'https://a', password: SECRET }] })
    expect(describeIssues(unknown, 'config-file')).toBe(
      'clusters[0].password: unknown field (not allowed here)',
    )
    const seven = issuesOf(File, { clusters: Array.from({ length: 7 }, () => ({ url: 'x' })) })
    expect(describeIssues(seven, 'config-file')).toMatch(/; and 2 more$/)
    expect(describeIssues(issuesOf(File, []), 'config-file')).toMatch(/^\(top level\): /)
  })

  it("'server-reply' gives path and expected type only, never an issue message, and hides odd keys", () => {
    const Reply = z.object({
      tokens: z.record(z.string(), z.object({ expires: z.number() })),
      role: z.enum(['admin', 'user']),
      note: z.string().refine(() => false, { message: `the server said ${SECRET}` }),
    })
    const issues = issuesOf(Reply, {
      tokens: { [`key ${SECRET}`]: { expires: 'soon' } },
      role: SECRET,
      note: 'x',
    })
    expect(describeIssues(issues, 'server-reply')).toBe(
      'tokens.?.expires: expected number; role: invalid value; note: custom',
    )
    const four = issuesOf(
      z.object({ a: z.number(), b: z.number(), c: z.number(), d: z.number() }),
      {},
    )
    expect(describeIssues(four, 'server-reply')).toMatch(/, and 1 more$/)
  })

  it("'keychain-entry' names damaged fields only and never an unknown key (it may be a secret)", () => {
    const Envelope = z.strictObject({
      v: z.literal(1),
      for: z.strictObject({ username: z.string() }),
      secret: z.string().min(1),
    })
    const issues = issuesOf(Envelope, {
      v: 1,
      for: { username: 'a', [SECRET]: 1 },
      secret: '',
      [SECRET]: 2,
    })
    expect(describeIssues(issues, 'keychain-entry')).toBe(
      'unexpected field in for, secret, unexpected field',
    )
    expect(describeIssues(issuesOf(Envelope, 'x'), 'keychain-entry', { whole: 'binding' })).toBe(
      'binding',
    )
  })

  it.each(POLICIES)('%s never repeats a rejected value', (policy) => {
    const Login = z.strictObject({
      username: z.string().max(3),
      password: z.string().max(4),
      kind: z.enum(['refresh-token', 'session-token']),
      list: z.array(z.number()),
    })
    const issues = issuesOf(Login, {
      username: SECRET,
      password: SECRET,
      kind: SECRET,
      list: [SECRET],
      extra: SECRET,
    })
    const text = describeIssues(issues, policy)
    expect(text.length).toBeGreaterThan(0)
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain('hunter2')
  })
})
