/**
 * Evaluated first (main.tsx imports it before anything else): asks main for the cluster list
 * while the rest of the page's code (React, the views) is still being evaluated, instead of
 * after the first render.
 */
import { startClusterList } from './clusterList'

startClusterList()
