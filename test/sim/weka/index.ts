import { systemClock } from '../common/clock'
import { startHttpsSim } from '../common/server'
import type { SimBase, SimUser } from '../common/types'
import { createJwtSigner } from './jwt'
import { LoginGuard } from './lockout'
import { resolveConfig, type WekaSimOptions } from './options'
import { createRouter } from './router'
import { loginRoutes } from './routes/login'
import { systemRoutes } from './routes/system'
import { userRoutes } from './routes/users'
import { DEFAULT_WEKA_USERS } from './seed'
import { WekaState } from './state'
import { TokenStore } from './tokens'
import { UserDirectory } from './users'
import { closeRecordingSecrets } from '../common/hygiene'

export type {
  WekaSimOptions,
  WekaSeedUser,
  WekaRole,
  WekaConfig,
  WekaClusterIdentity,
} from './options'
export type { WekaState } from './state'
export type { TokenRecord, TokenKind } from './tokens'
export type { WekaUser } from './users'
export { DEFAULT_WEKA_USERS } from './seed'

export interface WekaSim extends SimBase {
  /** Users, tokens, login attempts, lockouts and knobs; what the handlers use. */
  state: WekaState
  /** Base URL of the REST API (`${url}/api/v2`). */
  apiUrl: string
  rotateCertificate(opts?: { ca?: { key: string; cert: string } }): Promise<string>
}

/** A WEKA 4.x REST API (docs/protocols/weka.md §0) on loopback HTTPS, with inspectable state and fault knobs. */
export async function startWekaSim(opts: WekaSimOptions = {}): Promise<WekaSim> {
  const clock = opts.clock ?? systemClock
  const seed = opts.users ?? DEFAULT_WEKA_USERS
  const directory = new UserDirectory(seed)
  const guard = new LoginGuard(
    {
      numFailedLogins: opts.lockout?.attempts ?? 5,
      lockoutDurationSeconds: opts.lockout?.durationSeconds ?? 120,
    },
    clock,
  )
  const state = new WekaState(
    resolveConfig(opts),
    directory,
    new TokenStore(await createJwtSigner(), clock),
    guard,
    clock,
  )
  const server = await startHttpsSim({
    name: 'weka',
    handler: createRouter(state, [...loginRoutes, ...userRoutes, ...systemRoutes]),
    clock,
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.faultSeed !== undefined ? { faultSeed: opts.faultSeed } : {}),
    ...(opts.ca ? { ca: opts.ca } : {}),
  })
  const users: SimUser[] = seed.map((u) => ({
    username: u.username,
    password: u.password,
    role: u.role,
    ...(u.tenant !== undefined ? { tenant: u.tenant } : {}),
  }))
  return {
    url: server.url,
    apiUrl: `${server.url}/api/v2`,
    port: server.port,
    // The base server swaps these on rotation; read through so callers always see the current one.
    get fingerprint() {
      return server.fingerprint
    },
    get certificate() {
      return server.certificate
    },
    users,
    clock,
    faults: server.faults,
    requests: server.requests,
    state,
    rotateCertificate: (o) => server.rotateCertificate(o),
    close: closeRecordingSecrets(
      'weka',
      () => state.issuedSecrets(),
      () => server.close(),
    ),
  }
}
