/** The HTTP layer vendors build on: one ClusterHttp per cluster, plus trust-on-first-use probing. */
export {
  ClusterHttp,
  expectStatus,
  parseJson,
  unexpectedStatus,
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  type ClusterHttpOptions,
  type HttpMethod,
  type HttpResponse,
  type QueryValue,
  type RequestOptions,
  type StatusContext,
  type UnexpectedStatus,
} from './clusterHttp'
export {
  probeCertificate,
  describeCertificate,
  DEFAULT_PROBE_TIMEOUT_MS,
  type CertificateInfo,
  type ProbeOptions,
} from './probe'
export { mapTransportError, parseRetryAfter } from './errors'
export { SharedAgents, type AgentLease } from './sharedAgents'
