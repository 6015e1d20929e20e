import { contentTypeOf, parseJson } from '../common/http'
import type { SimRequest } from '../common/server'
import { QumuloHttpError } from './errors'

/**
 * Request bodies. docs/protocols/qumulo.md §1 SDK: clients always send `Content-Type: application/json`.
 * docs/protocols/qumulo.md §9 DESIGN (error table): a body of another type is refused (415), one that does not
 * parse is a `decode_error`, one that is not an object or carries unknown keys is invalid.
 */
export function jsonObjectBody(
  req: SimRequest,
  allowedKeys: readonly string[],
): Record<string, unknown> {
  if (req.body.length === 0) return {}
  if (contentTypeOf(req) !== 'application/json') throw new QumuloHttpError('unsupportedMediaType')
  const parsed = parseJson(req)
  if (!parsed.ok) throw new QumuloHttpError('decode')
  const value = parsed.value
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new QumuloHttpError('invalidRequest', 'The request body must be a JSON object.')
  }
  const obj = value as Record<string, unknown>
  for (const key of Object.keys(obj)) {
    if (!allowedKeys.includes(key))
      throw new QumuloHttpError('invalidRequest', `Unknown field "${key}".`)
  }
  return obj
}

export function requiredString(obj: Record<string, unknown>, key: string): string {
  const v = obj[key]
  if (v === undefined)
    throw new QumuloHttpError('invalidRequest', `Missing required field "${key}".`)
  if (typeof v !== 'string')
    throw new QumuloHttpError('invalidRequest', `Field "${key}" must be a string.`)
  return v
}
