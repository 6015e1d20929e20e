/**
 * The cluster list's order and groups (src/renderer/src/clusterOrder.ts), as the grid shows
 * them: the header rows, which clusters sit under each, and the order within.
 */
import { describe, expect, it } from 'vitest'
import { listItems, sortClusters } from '../../src/renderer/src/clusterOrder'
import type { ClusterView, SessionState, Vendor } from '../../src/shared/model'

const PIN = 'AB:'.repeat(31) + 'AB'

function view(
  name: string,
  vendor: Vendor,
  session: SessionState,
  tags?: string[],
  storedExpiresAt?: number,
): ClusterView {
  return {
    cluster: {
      id: name.toLowerCase(),
      vendor,
      name,
      url: `https://${name.toLowerCase()}.example`,
      username: 'admin',
      trust: { sha256: PIN },
      ...(tags ? { tags } : {}),
    },
    session,
    ...(storedExpiresAt !== undefined ? { storedExpiresAt } : {}),
  }
}

const out = { state: 'signed-out' } as const
const views = [
  view('cluster 10', 'weka', { state: 'active', expiresAt: 5_000 }, ['prod', 'site-a']),
  view('Cluster 9', 'swarm', out, ['prod']),
  view('beta', 'qumulo', { state: 'failed', error: { code: 'UNREACHABLE', message: 'x' } }),
  view('Alpha', 'weka', { state: 'active', expiresAt: 1_000 }, ['lab']),
]
const names = (vs: readonly ClusterView[]) => vs.map((v) => v.cluster.name)

describe('cluster list order', () => {
  it('sorts by name as people count (9 before 10, case aside)', () => {
    expect(names(sortClusters(views, 'name'))).toEqual(['Alpha', 'beta', 'Cluster 9', 'cluster 10'])
  })
  it('sorts by status: broken first, then signed out, then signed in', () => {
    expect(names(sortClusters(views, 'status'))).toEqual([
      'beta',
      'Cluster 9',
      'Alpha',
      'cluster 10',
    ])
  })
  it('sorts by time left: soonest first, clusters without a session last', () => {
    expect(names(sortClusters(views, 'timeLeft'))).toEqual([
      'Alpha',
      'cluster 10',
      'beta',
      'Cluster 9',
    ])
  })
  it('sorts by vendor, then name', () => {
    expect(names(sortClusters(views, 'vendor'))).toEqual([
      'beta',
      'Cluster 9',
      'Alpha',
      'cluster 10',
    ])
  })
})

describe('cluster list groups', () => {
  it('groups by tag: a cluster under each of its tags, untagged last, keys unique', () => {
    const items = listItems(views, 'tag', 'name')
    expect(
      items.map((it) => (it.kind === 'group' ? `# ${it.label}` : it.view.cluster.name)),
    ).toEqual([
      '# lab',
      'Alpha',
      '# prod',
      'Cluster 9',
      'cluster 10',
      '# site-a',
      'cluster 10',
      '# No tag',
      'beta',
    ])
    const keys = items.map((it) => it.key)
    expect(new Set(keys).size).toBe(keys.length)
    const prod = items.find((it) => it.kind === 'group' && it.label === 'prod')
    expect(prod?.kind === 'group' && prod.ids).toEqual(['cluster 9', 'cluster 10'])
  })
  it('groups by vendor; none gives the plain sorted list', () => {
    const byVendor = listItems(views, 'vendor', 'name').filter((it) => it.kind === 'group')
    expect(byVendor.map((g) => g.kind === 'group' && g.label)).toEqual(['Qumulo', 'Swarm', 'WEKA'])
    expect(listItems(views, 'none', 'name').every((it) => it.kind === 'cluster')).toBe(true)
  })
})
