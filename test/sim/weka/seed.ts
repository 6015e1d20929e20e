import type { WekaSeedUser } from './options'

/**
 * Demo accounts every WEKA simulator starts with. Passwords are throwaway values that meet
 * WEKA's complexity rule (docs/protocols/weka.md §2.4) and are distinct enough that a secret-hygiene test
 * can search logs for them without false hits.
 */
export const DEFAULT_WEKA_USERS: readonly WekaSeedUser[] = [
  { username: 'admin', password: 'WekaSim-Admin-7341', role: 'ClusterAdmin' },
  { username: 'alice', password: 'WekaSim-Alice-2288', role: 'Regular' },
  { username: 'bob', password: 'WekaSim-Bob-5512', role: 'ReadOnly' },
  { username: 's3user', password: 'WekaSim-S3user-9043', role: 'S3' },
  {
    username: 'newbie',
    password: 'WekaSim-Newbie-0001',
    role: 'Regular',
    passwordChangeRequired: true,
  },
  { username: 'orgadmin', password: 'WekaSim-OrgAdmin-6620', role: 'OrgAdmin', tenant: 'Research' },
  { username: 'carol', password: 'WekaSim-Carol-3177', role: 'Regular', tenant: 'Research' },
]
