/** What `app:info` says about this process: name, version, profile, where secrets are kept. */
import type { AppInfo } from '../../shared/contract'
import type { Profile } from './clusters'
import type { SecretStoreMode } from './secrets'

export function appInfoOf(o: {
  appVersion: string
  profile: Profile
  secrets: { readonly mode: SecretStoreMode }
}): () => AppInfo {
  return () => ({
    name: 'Tokendeck',
    version: o.appVersion,
    profile: o.profile,
    secretStorage: o.secrets.mode,
    platform: process.platform,
  })
}
