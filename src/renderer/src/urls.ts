/** Cluster URL helpers: https only, and the vendor's default port when the user typed none. */
import type { Vendor } from '../../shared/model'
import { capabilitiesOf } from '../../shared/vendors'

/** The vendor's default management port (WEKA 14000, Qumulo 8000, Swarm 443). */
export function defaultPort(vendor: Vendor): number {
  return capabilitiesOf(vendor).defaultPort
}

const HOST = /^(https?:\/\/)(\[[^\]]+\]|[^/:?#]+)(:\d*)?(.*)$/i

/** Add `:port` after the host when the URL names none (443 is https's own default: left implicit). */
export function withDefaultPort(url: string, port: number): string {
  const trimmed = url.trim()
  const m = HOST.exec(trimmed)
  if (!m || m[3] || port === 443) return trimmed
  return `${m[1]}${m[2]}:${port}${m[4]}`
}

/** Whether the URL carries an explicit port. */
export function hasExplicitPort(url: string): boolean {
  return Boolean(HOST.exec(url.trim())?.[3])
}

/** Why this URL cannot be a cluster URL, or undefined when it can. */
export function urlProblem(url: string): string | undefined {
  const u = url.trim()
  if (!u) return 'Enter the cluster URL.'
  if (!/^https:\/\//i.test(u)) return 'The URL must start with https://'
  try {
    const parsed = new URL(u)
    if (!parsed.hostname) return 'The URL needs a host name.'
  } catch {
    return 'This is not a valid URL.'
  }
  return undefined
}
