/** The clusters area: where data lives, and the registry of cluster configs and settings. */
export { APP_NAME, DEMO_APP_NAME, dataDir, keychainService, resolveDataDir } from './dataDir'
export type { DataDirInput, Profile } from './dataDir'
export { ClusterInput, ClusterRegistry } from './registry'
export type { ClusterPatch, RegistryChange, RegistryOptions, SettingsPatch } from './registry'
export { FILE_NAME, FORMAT_VERSION, RegistryFile } from './registryFile'
