import type { SwarmTenant, SwarmUser } from './types'

/**
 * Demo identities, shaped like docs/protocols/swarm.md §8's suggestion (`admin@`, `alice+acme`,
 * `bob@docs.acme.example`). Passwords are fixed demo values so `npm run sim -- --json` and the
 * tests can log in; they protect nothing.
 */
export const SEED_USERS: SwarmUser[] = [
  { username: 'admin@', password: 'swarm-admin-demo', role: 'administrator', tokenAdmin: true },
  {
    username: 'acmeadmin+acme',
    password: 'acme-admin-demo',
    role: 'tenant-admin',
    tenant: 'acme',
    tokenAdmin: true,
  },
  {
    username: 'alice+acme',
    password: 'alice-demo-pw',
    role: 'user',
    tenant: 'acme',
    tokenAdmin: false,
  },
  {
    username: 'bob@docs.acme.example',
    password: 'bob-demo-pw',
    role: 'user',
    tenant: 'acme',
    domain: 'docs.acme.example',
    tokenAdmin: false,
  },
  {
    username: 'dave@files.globex.example',
    password: 'dave-demo-pw',
    role: 'user',
    tenant: 'globex',
    domain: 'files.globex.example',
    tokenAdmin: false,
  },
]

export const SEED_TENANTS: SwarmTenant[] = [
  { name: 'acme', domains: ['docs.acme.example', 'media.acme.example'] },
  { name: 'globex', domains: ['files.globex.example'] },
]

export const SEED_BUCKETS: Record<string, string[]> = {
  'docs.acme.example': ['reports', 'scans'],
  'media.acme.example': ['video'],
  'files.globex.example': ['archive'],
}

export const SEED_DEFAULT_DOMAIN = 'docs.acme.example'
