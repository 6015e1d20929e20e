import { contentTypeOf, json, parseJson } from '../common/http'
import type { SimRequest, SimResponse } from '../common/server'

/**
 * WEKA's envelopes (docs/protocols/weka.md §2.4 "Error envelope", from the 5.1 spec's components.responses):
 * success `{"data": …}`, 401 `{"data":"Unauthorized"}`, 403 `{"data":"Forbidden"}`,
 * 400 `{"message", "data": {missing_params | param, error}}`, 404 `{"message"}`.
 */
export const ok = (data: unknown): SimResponse => json(200, { data })
export const unauthorized = (): SimResponse => json(401, { data: 'Unauthorized' })
export const forbidden = (): SimResponse => json(403, { data: 'Forbidden' })
export const notFound = (message = 'Not Found'): SimResponse => json(404, { message })

export const missingParams = (names: string[]): SimResponse =>
  json(400, {
    message: `Missing required parameters: ${names.join(', ')}`,
    data: { missing_params: names },
  })

export const invalidParam = (param: string, error: string): SimResponse =>
  json(400, { message: `Invalid parameter: ${param}`, data: { param, error } })

export type Fields = Record<string, unknown>

/**
 * The request body as the Express server behind port 14000 would see it:
 * JSON, or form-encoded (docs/protocols/weka.md §1 INF: wekalib and WMS post the login form-encoded);
 * any other content type is not parsed at all, so its fields are simply missing.
 */
export function readFields(
  req: SimRequest,
): { ok: true; fields: Fields; form: boolean } | { ok: false; reply: SimResponse } {
  const type = contentTypeOf(req)
  if (type === 'application/x-www-form-urlencoded') {
    return {
      ok: true,
      fields: Object.fromEntries(new URLSearchParams(req.body.toString('utf8'))),
      form: true,
    }
  }
  if (type !== 'application/json') return { ok: true, fields: {}, form: false }
  const parsed = parseJson(req)
  if (!parsed.ok)
    return {
      ok: false,
      reply: json(400, {
        message: 'Invalid JSON in request body',
        data: { error: 'body is not valid JSON' },
      }),
    }
  const v = parsed.value
  if (v === undefined) return { ok: true, fields: {}, form: false }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return {
      ok: false,
      reply: json(400, {
        message: 'Request body must be a JSON object',
        data: { error: 'body must be an object' },
      }),
    }
  }
  return { ok: true, fields: v as Fields, form: false }
}

export const absent = (v: unknown): boolean => v === undefined || v === null

/** Names in `required` that the body lacks, or a 400 listing them. */
export function requireFields(fields: Fields, required: string[]): SimResponse | undefined {
  const missing = required.filter((k) => absent(fields[k]))
  return missing.length ? missingParams(missing) : undefined
}

/** A field that must be a string when present. */
export function stringField(
  fields: Fields,
  name: string,
): { ok: true; value: string | undefined } | { ok: false; reply: SimResponse } {
  const v = fields[name]
  if (absent(v)) return { ok: true, value: undefined }
  if (typeof v !== 'string')
    return { ok: false, reply: invalidParam(name, `${name} must be a string`) }
  return { ok: true, value: v }
}

/**
 * A whole number of seconds ≥ 0 when present. Form bodies carry only strings, so there a
 * digit string counts as a number.
 */
export function secondsField(
  fields: Fields,
  name: string,
  form: boolean,
): { ok: true; value: number | undefined } | { ok: false; reply: SimResponse } {
  let v = fields[name]
  if (absent(v)) return { ok: true, value: undefined }
  if (form && typeof v === 'string' && /^\d+$/.test(v)) v = Number(v)
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    return {
      ok: false,
      reply: invalidParam(name, `${name} must be a non-negative integer number of seconds`),
    }
  }
  return { ok: true, value: v }
}

/** The login/refresh reply (docs/protocols/weka.md §2.2): an object, never the array the docs print (docs/protocols/weka.md §2.3). */
export function tokensReply(
  access: { token: string },
  refresh: { token: string },
  expiresIn: number,
  passwordChangeRequired: boolean,
): SimResponse {
  return ok({
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: expiresIn,
    refresh_token: refresh.token,
    password_change_required: passwordChangeRequired,
  })
}
