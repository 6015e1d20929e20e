import type { ClusterGroupBy, ClusterSortBy } from '../../../../shared/model'

export interface ListPrefs {
  groupBy: ClusterGroupBy
  sortBy: ClusterSortBy
}

const GROUPS: [ClusterGroupBy, string][] = [
  ['none', 'None'],
  ['tag', 'Tag'],
  ['vendor', 'Vendor'],
]
const SORTS: [ClusterSortBy, string][] = [
  ['name', 'Name'],
  ['vendor', 'Vendor'],
  ['status', 'Status'],
  ['timeLeft', 'Time left'],
]

/** Group and sort pickers for the cluster list (remembered in the settings by the caller). */
export function ListControls({
  prefs,
  onChange,
}: {
  prefs: ListPrefs
  onChange: (patch: Partial<ListPrefs>) => void
}) {
  return (
    <span className="list-controls">
      <label>
        Group by{' '}
        <select
          id="cluster-group-by"
          value={prefs.groupBy}
          onChange={(e) => onChange({ groupBy: e.target.value as ClusterGroupBy })}
        >
          {GROUPS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Sort by{' '}
        <select
          id="cluster-sort-by"
          value={prefs.sortBy}
          onChange={(e) => onChange({ sortBy: e.target.value as ClusterSortBy })}
        >
          {SORTS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </span>
  )
}
