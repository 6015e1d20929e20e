/**
 * "Is this really a WEKA cluster?" before a cluster is added: one unauthenticated request per
 * vendor to an endpoint that vendor answers without credentials, so a plain web server or the
 * wrong vendor is caught while the user is still looking at the form, not at the first sign-in.
 * No credential, token or password is ever sent; nothing from a reply body reaches a message.
 *
 * - WEKA: `GET /api/v2/healthcheck` → JSON `"ok"` (docs/protocols/weka.md §4.6: public GUI
 *   login-page helper; the 5.1 spec's example body is `"ok"`).
 * - Qumulo: `GET /v1/version` → `{revision_id: "Qumulo Core …", …}`, no auth
 *   (docs/protocols/qumulo.md §1 DOC).
 * - Swarm: `GET /.TOKEN/?format=json` → 401 with `WWW-Authenticate: Basic` for anonymous
 *   (docs/protocols/swarm.md §2.2, docs/protocols/swarm.md §5: anonymous may not use the token path).
 *
 * Each answer is a verdict: `yes` (the vendor's own answer), `no` (something that vendor never
 * answers there: a web page, an unrelated 200, a 404 where the endpoint always exists) or `maybe`
 * (an API that wants credentials, a 5xx, a release without the endpoint). Only `yes` for another
 * vendor, or `no` for the chosen one, refuses the cluster; anything unclear lets it through.
 */
import { TokendeckError } from '../../../shared/errors'
import type { Vendor } from '../../../shared/model'
import { VENDORS } from '../../../shared/model'
import { CAPABILITIES } from '../../../shared/capabilities'
import type { ClusterHttp, HttpResponse } from '../http'

export type Verdict = 'yes' | 'no' | 'maybe'

export interface Sighting {
  verdict: Verdict
  /** What was asked and what came back, in words (status and kind of reply, never its content). */
  evidence: string
}

export const VENDOR_LABEL: Record<Vendor, string> = {
  weka: 'WEKA',
  qumulo: 'Qumulo',
  swarm: 'Swarm',
}

/** Identity replies are tiny; anything bigger is not one. */
const MAX_IDENTITY_REPLY_BYTES = 64 * 1024
/** Per request: a cluster that answers nothing within this is reported as unreachable. */
export const IDENTITY_TIMEOUT_MS = 10_000

interface Probe {
  path: string
  query?: Record<string, string | undefined>
  judge(res: HttpResponse, shape: ReplyShape): Verdict
}

type ReplyShape =
  | { kind: 'page' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'empty' }

function shapeOf(res: HttpResponse): ReplyShape {
  const text = res.body.toString('utf8').replace(/^\uFEFF/, '')
  const type = String(res.headers['content-type'] ?? '').toLowerCase()
  if (type.includes('html') || type.includes('xml') || /^\s*</.test(text)) return { kind: 'page' }
  if (text.trim() === '') return { kind: 'empty' }
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown }
  } catch {
    return { kind: 'text', text: text.trim().slice(0, 64) }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const PROBES: Record<Vendor, (domain: string | undefined) => Probe> = {
  weka: () => ({
    path: '/api/v2/healthcheck',
    judge(res, shape) {
      if (shape.kind === 'page') return 'no'
      if (res.status === 200) {
        const v = shape.kind === 'json' ? shape.value : shape.kind === 'text' ? shape.text : ''
        const ok = v === 'ok' || (isObject(v) && v['data'] === 'ok')
        return ok ? 'yes' : 'no'
      }
      // docs/protocols/weka.md §2.4: WEKA's errors are JSON `{"data": …}` or `{"message": …}`
      // (an older release without the endpoint, or one that wants a token for it).
      if (shape.kind === 'json' && isObject(shape.value))
        return 'data' in shape.value || 'message' in shape.value ? 'maybe' : 'no'
      return 'no'
    },
  }),
  qumulo: () => ({
    path: '/v1/version',
    judge(res, shape) {
      if (shape.kind === 'page') return 'no'
      if (res.status === 200)
        return shape.kind === 'json' &&
          isObject(shape.value) &&
          typeof shape.value['revision_id'] === 'string'
          ? 'yes'
          : 'no'
      // docs/protocols/qumulo.md §1 DOC: every cluster answers /v1/version without credentials.
      if (res.status === 404) return 'no'
      return 'maybe'
    },
  }),
  swarm: (domain) => ({
    path: '/.TOKEN/',
    query: { format: 'json', domain },
    judge(res, shape) {
      if (res.status === 401) {
        const challenge = String(res.headers['www-authenticate'] ?? '')
        return /\bbasic\b/i.test(challenge) ? 'yes' : 'maybe'
      }
      if (shape.kind === 'page') return 'no'
      if (res.status === 200)
        return shape.kind === 'json' && Array.isArray(shape.value) ? 'yes' : 'no'
      // A 404 may be an unknown storage domain (docs/protocols/swarm.md §2: the domain picks the token path's scope).
      return 'maybe'
    },
  }),
}

function describe(res: HttpResponse, shape: ReplyShape): string {
  const what =
    shape.kind === 'page'
      ? 'an HTML or XML page'
      : shape.kind === 'json'
        ? 'JSON'
        : shape.kind === 'empty'
          ? 'an empty reply'
          : 'plain text'
  return `${res.endpoint} answered HTTP ${res.status} with ${what}`
}

/**
 * Asks one vendor's identity question. Transport failures (unreachable, timeout, untrusted
 * certificate) are thrown: the caller decides what an unreachable cluster means.
 */
export async function sight(
  http: ClusterHttp,
  vendor: Vendor,
  opts: { domain?: string } = {},
): Promise<Sighting> {
  const probe = PROBES[vendor](opts.domain?.trim().toLowerCase() || undefined)
  let res: HttpResponse
  try {
    res = await http.request('GET', probe.path, {
      ...(probe.query ? { query: probe.query } : {}),
      timeoutMs: IDENTITY_TIMEOUT_MS,
      maxResponseBytes: MAX_IDENTITY_REPLY_BYTES,
    })
  } catch (e) {
    // A failing server says nothing about who it is; a reply far too big is no identity answer.
    if (e instanceof TokendeckError && e.code === 'SERVER_ERROR')
      return { verdict: 'maybe', evidence: `GET ${probe.path} answered with a server error` }
    if (e instanceof TokendeckError && e.code === 'BAD_RESPONSE')
      return { verdict: 'no', evidence: `GET ${probe.path} answered with a reply far too large` }
    throw e
  }
  const shape = shapeOf(res)
  return { verdict: probe.judge(res, shape), evidence: describe(res, shape) }
}

/**
 * Refuses a cluster that another vendor's identity endpoint claims, or that clearly is not the
 * vendor chosen (INVALID_INPUT, saying which vendor it looks like and why). Transport failures
 * are thrown as they are.
 */
export async function checkVendor(
  http: ClusterHttp,
  claimed: Vendor,
  opts: { domain?: string } = {},
): Promise<void> {
  // A vendor added through the vendor table has no identity probe here: nothing to compare.
  if (!Object.hasOwn(PROBES, claimed)) return
  const sightings = new Map<Vendor, Sighting>()
  await Promise.all(
    VENDORS.map(async (v) => {
      sightings.set(v, await sight(http, v, v === 'swarm' ? opts : {}))
    }),
  )
  const own = sightings.get(claimed)!
  if (own.verdict === 'yes') return
  const label = VENDOR_LABEL[claimed]
  const other = VENDORS.find((v) => v !== claimed && sightings.get(v)?.verdict === 'yes')
  if (other !== undefined) {
    throw new TokendeckError(
      'INVALID_INPUT',
      `${http.host} looks like ${VENDOR_LABEL[other]}, not ${label}: ${sightings.get(other)!.evidence}, as ${VENDOR_LABEL[other]} does. Choose ${VENDOR_LABEL[other]} as the vendor, or check the address.`,
    )
  }
  if (own.verdict === 'no') {
    throw new TokendeckError(
      'INVALID_INPUT',
      `${http.host} does not look like a ${label} cluster: ${own.evidence}, which a ${label} cluster does not. Check the address and the port (${label} usually listens on ${CAPABILITIES[claimed].defaultPort}).`,
    )
  }
}
