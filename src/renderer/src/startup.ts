/**
 * Evaluated first (main.tsx imports it before anything else): asks main for the settings and the
 * cluster list while the rest of the page's code (React, the views) is still being evaluated,
 * instead of after the first render. The settings first: their answer is small, and the list's
 * first render waits for them (its grouping and order).
 */
import { startClusterList } from './clusterList'
import { startSettings } from './settingsStore'

startSettings()
startClusterList()
