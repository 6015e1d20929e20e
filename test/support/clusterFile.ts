/**
 * A bulk fixture: many clusters written as one cluster file before the core starts, the way a
 * copied or restored data directory arrives. One atomic write through the registry's own
 * format (registryFile.ts) instead of a locked, fsynced `registry.add` per cluster, which on a
 * loaded machine made a 1,000-cluster setup the slowest part of a test.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newClusterId } from '../../src/main/core/clusters/clusterId'
import {
  FILE_NAME,
  FORMAT_VERSION,
  RegistryFile,
  serializeRegistryFile,
} from '../../src/main/core/clusters/registryFile'
import type { Cluster } from '../../src/shared/model'

/** What `registry.add` takes: a cluster without its id. */
export type ClusterFixture = Omit<Cluster, 'id'>

/**
 * Writes `inputs` as the cluster file of `dataDir` (a new temp directory by default) and returns
 * the directory. Ids are made as `registry.add` makes them; every entry is checked against the
 * file's schema here, so a bad fixture fails at setup with the registry's own words.
 */
export function writeClusterFile(inputs: readonly ClusterFixture[], dataDir?: string): string {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'tokendeck-clusters-'))
  const taken = new Set<string>()
  const clusters = inputs.map((input) => {
    const id = newClusterId(input.name, input.vendor, taken)
    taken.add(id)
    return { id, ...input }
  })
  const file = RegistryFile.parse({ version: FORMAT_VERSION, clusters })
  writeFileSync(join(dir, FILE_NAME), serializeRegistryFile(file))
  return dir
}
