import { systemClock } from '../common/clock'
import { startHttpsSim } from '../common/server'
import { ErrorReplies } from './errors'
import { createRouter } from './router'
import { DEFAULT_CLUSTER, DEFAULT_USERS, seedDirectory } from './seed'
import { State } from './state'
import type { QumuloClusterIdentity, QumuloSettings, QumuloSim, QumuloSimOptions } from './types'
import { closeRecordingSecrets } from '../common/hygiene'

export type * from './types'
export { ERROR_TABLE } from './errors'
export { DEFAULT_USERS, SECOND_ADMIN } from './seed'

/**
 * A Qumulo Core REST API on loopback HTTPS (docs/protocols/qumulo.md): sessions, who-am-i, access tokens,
 * identity lookup. Time comes only from `opts.clock`; faults from the shared base (`sim.faults`).
 */
export async function startQumuloSim(opts: QumuloSimOptions = {}): Promise<QumuloSim> {
  const clock = opts.clock ?? systemClock
  const cluster: QumuloClusterIdentity = { ...DEFAULT_CLUSTER, ...opts.cluster }
  const users = (opts.users ?? DEFAULT_USERS).map((u) => ({ ...u }))
  const settings: QumuloSettings = {
    sessionTtlSeconds: opts.sessionTtlSeconds ?? 10 * 3600, // docs/protocols/qumulo.md §2.1 DOC: 10 hours
    maxTokensPerUser: opts.maxTokensPerUser ?? 2, // docs/protocols/qumulo.md §3.4 DOC
    selfServiceTokens: opts.selfServiceTokens ?? false, // docs/protocols/qumulo.md §3.4 DESIGN: require WRITE by default
    // docs/protocols/qumulo.md §10 Q2 / docs/protocols/qumulo.md §3.3 DESIGN: end with "" as Qumulo's other list APIs do (SDK-2019 fs paging).
    pagingEnd: opts.pagingEnd === undefined ? '' : opts.pagingEnd,
    maxPageSize: opts.maxPageSize ?? 1000, // docs/protocols/qumulo.md §10 Q8 DESIGN: cap unknown, 1000 chosen
    rejectPastExpiration: opts.rejectPastExpiration ?? true, // docs/protocols/qumulo.md §10 Q4 DESIGN
    // docs/protocols/qumulo.md §7: clusters serve the roles API; switch it off to test a client that cannot read it.
    rolesApi: opts.rolesApi ?? true,
  }
  const { principals, roles } = seedDirectory(users, cluster)
  const state = new State(settings, principals, roles, clock, cluster)
  const http = await startHttpsSim({
    name: 'qumulo',
    clock,
    // docs/protocols/qumulo.md §1 DOC: port 8000 on a real node; tests default to any free port.
    port: opts.port ?? 0,
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.faultSeed !== undefined ? { faultSeed: opts.faultSeed } : {}),
    handler: createRouter({ state, clock, cluster, errors: new ErrorReplies(opts.errors) }),
  })
  return {
    url: http.url,
    port: http.port,
    // Getters: rotateCertificate() changes these on the base server object.
    get fingerprint() {
      return http.fingerprint
    },
    get certificate() {
      return http.certificate
    },
    users,
    clock,
    faults: http.faults,
    requests: http.requests,
    cluster,
    state,
    rotateCertificate: () => http.rotateCertificate(),
    close: closeRecordingSecrets(
      'qumulo',
      () => state.issuedSecrets(),
      () => http.close(),
    ),
  }
}
