/**
 * `npm run sim -- --fault …`: the simulators' fault knobs (common/faults.ts) from the command
 * line, so a person trying the app or the CLI can make a cluster slow, failing or broken without
 * writing a test. One flag per fault, repeatable:
 *
 *   --fault latency:ms=2000
 *   --fault serverError:status=503,retryAfterSeconds=30,rate=0.5
 *   --fault reset:match=/login,times=3
 *   --fault hang                      (and truncatedJson, htmlError)
 *
 * `--fault-on weka,qumulo` limits them to some simulators (default: all three).
 */
import type { FaultName, FaultSettings } from '../common/faults'
import { UsageError } from './args'

export const FAULT_NAMES: readonly FaultName[] = [
  'latency',
  'serverError',
  'reset',
  'truncatedJson',
  'htmlError',
  'hang',
]

/** Which options each fault takes besides the common match, rate and times. */
const NUMBER_OPTIONS: Record<FaultName, readonly string[]> = {
  latency: ['ms'],
  serverError: ['status', 'retryAfterSeconds'],
  reset: [],
  truncatedJson: [],
  htmlError: [],
  hang: ['ms'],
}

export const FAULT_HELP = `Faults (any simulator; repeat --fault for several):
  --fault NAME[:OPTION=VALUE,…]
                      latency:ms=N            delay every reply by N ms
                      serverError[:status=503,retryAfterSeconds=N]
                                              answer 5xx (with Retry-After)
                      reset                   drop the connection without a reply
                      truncatedJson           send half of each JSON body
                      htmlError               answer 502 with an HTML page (a dead proxy)
                      hang[:ms=N]             never answer (hold the socket N ms, default 10 min)
                      common options: match=REGEX (request path, default every path),
                      rate=0..1 (default 1), times=N (default: forever)
  --fault-on LIST     the simulators the faults apply to: weka, qumulo, swarm (default all)`

function parseNumber(value: string, what: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`${what} wants a number of 0 or more (got "${value}")`)
  return n
}

/** One `--fault` value as a fault name and its rule. */
export function parseFault(spec: string): { name: FaultName; rule: Record<string, unknown> } {
  const colon = spec.indexOf(':')
  const name = (colon < 0 ? spec : spec.slice(0, colon)) as FaultName
  if (!FAULT_NAMES.includes(name))
    throw new UsageError(`--fault: unknown fault "${name}"; one of ${FAULT_NAMES.join(', ')}`)
  const rule: Record<string, unknown> = {}
  const options = colon < 0 ? '' : spec.slice(colon + 1)
  for (const part of options ? options.split(',') : []) {
    const eq = part.indexOf('=')
    const key = eq < 0 ? part : part.slice(0, eq)
    const value = eq < 0 ? '' : part.slice(eq + 1)
    const what = `--fault ${name}: ${key}`
    if (key === 'match') {
      try {
        rule.match = new RegExp(value)
      } catch {
        throw new UsageError(`${what} is not a regular expression ("${value}")`)
      }
    } else if (key === 'rate') {
      const rate = parseNumber(value, what)
      if (rate > 1) throw new UsageError(`${what} is a probability from 0 to 1 (got "${value}")`)
      rule.rate = rate
    } else if (key === 'times' || NUMBER_OPTIONS[name].includes(key)) {
      rule[key] = parseNumber(value, what)
    } else {
      const known = ['match', 'rate', 'times', ...NUMBER_OPTIONS[name]].join(', ')
      throw new UsageError(`--fault ${name}: unknown option "${key}"; it takes ${known}`)
    }
  }
  if (name === 'latency' && rule.ms === undefined)
    throw new UsageError('--fault latency needs ms=N (e.g. --fault latency:ms=2000)')
  return { name, rule }
}

/** Every `--fault` flag as one FaultSettings (a later flag for the same fault wins). */
export function parseFaults(specs: readonly string[]): FaultSettings {
  const settings: Record<string, unknown> = {}
  for (const spec of specs) {
    const { name, rule } = parseFault(spec)
    settings[name] = rule
  }
  return settings as FaultSettings
}

/** `--fault-on weka,swarm` as the simulator names; undefined = all. */
export function parseFaultTargets<N extends string>(
  value: string | undefined,
  names: readonly N[],
): N[] {
  if (value === undefined) return [...names]
  const picked = value.split(',').map((s) => s.trim())
  for (const p of picked)
    if (!names.includes(p as N))
      throw new UsageError(`--fault-on: unknown simulator "${p}"; one of ${names.join(', ')}`)
  return picked as N[]
}
