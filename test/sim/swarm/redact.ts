/**
 * Swarm token ids are bearer secrets and travel in paths (`DELETE /.TOKEN/{id}`,
 * `/_admin/manage/tenants/{t}/tokens/{id}`), so the request log masks them. Any other path
 * segment that looks like a token id (32 hex) is masked too, in case a client puts one where we
 * did not expect it.
 */
export const REDACTED = '[redacted]'

export function makeRedactor(tokenPath: string): (path: string) => string {
  const base = tokenPath.replace(/\/+$/, '')
  return (path) => {
    if (path.startsWith(`${base}/`) && path.length > base.length + 1) return `${base}/${REDACTED}`
    return path
      .replace(/^(\/_admin\/manage\/tenants\/[^/]+\/tokens\/)[^/]+/, `$1${REDACTED}`)
      .split('/')
      .map((seg) => (/^[0-9a-f]{32}$/i.test(seg) ? REDACTED : seg))
      .join('/')
  }
}
