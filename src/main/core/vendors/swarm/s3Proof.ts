/**
 * Proving a freshly minted S3 token. S3 tokens cannot authenticate the token path or the
 * Management API (docs/protocols/swarm.md §2.1 DOC, docs/protocols/swarm.md §4), and signing
 * needs the S3 secret, which the client does not keep. So the proof runs at creation — a SigV4
 * ListBuckets against the S3 endpoint (docs/protocols/swarm.md §2.2) — and its outcome waits here
 * until proveToken asks for it; the secret is dropped as soon as the request is signed.
 */
import { TokendeckError } from '../../../../shared/errors'
import type { ClusterHttp } from '../../http'
import type { Identity } from '../vendor'
import { isSuccess, unexpectedStatus } from './errors'
import { scopeOf } from './loginNames'
import { signListBuckets } from './sigv4'

export interface SwarmS3Endpoint {
  /** ClusterHttp for the S3 front end (its URL must have no path prefix). */
  http: ClusterHttp
  /** SigV4 region in the credential scope; default us-east-1. */
  region?: string
}

type ProofOutcome = { ok: true; identity: Identity } | { ok: false; error: TokendeckError }

export class S3Proofs {
  /** Proofs of S3 tokens minted here, by token; each is taken once. */
  private readonly proofs = new Map<string, Promise<ProofOutcome>>()

  constructor(
    private readonly s3: SwarmS3Endpoint | undefined,
    private readonly now: () => number,
  ) {}

  /** Start proving `token` with its one-time `secret`; `owner` names it if S3 does not. */
  start(token: string, secret: string, owner: string): void {
    this.proofs.set(token, this.run(token, secret, owner))
  }

  /**
   * The identity the proof of `token` established (or its error), once; undefined when no proof
   * was started for it here — the token is then a plain one.
   */
  take(token: string): Promise<Identity> | undefined {
    const proof = this.proofs.get(token)
    if (proof === undefined) return undefined
    this.proofs.delete(token)
    return proof.then((outcome) => {
      if (outcome.ok) return outcome.identity
      throw outcome.error
    })
  }

  clear(): void {
    this.proofs.clear()
  }

  private async run(token: string, secret: string, owner: string): Promise<ProofOutcome> {
    const s3 = this.s3
    if (s3 === undefined) {
      return {
        ok: false,
        error: new TokendeckError(
          'UNSUPPORTED',
          'An S3 token cannot be checked on the token path, and no S3 endpoint is configured for this cluster.',
        ),
      }
    }
    try {
      const res = await s3.http.request('GET', '/', {
        headers: signListBuckets({
          accessKeyId: token,
          secretAccessKey: secret,
          host: s3.http.host,
          path: '/',
          region: s3.region ?? 'us-east-1',
          now: this.now(),
        }),
        endpoint: 'S3 ListBuckets',
      })
      if (!isSuccess(res.status)) throw unexpectedStatus(res)
      const name =
        /<DisplayName>([^<]*)<\/DisplayName>/.exec(res.body.toString('utf8'))?.[1] ?? owner
      const scope = scopeOf(name)
      return {
        ok: true,
        identity: { username: name, isAdmin: false, ...(scope ? { scope } : {}) },
      }
    } catch (err) {
      const error =
        err instanceof TokendeckError
          ? err
          : new TokendeckError('INTERNAL', 'Checking the new S3 token failed.')
      return { ok: false, error }
    }
  }
}
