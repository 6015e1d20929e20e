/**
 * One CLI invocation's way to the sessions of its profile. Whoever owns them serves the command:
 * the running app, `tokendeck agent`, or another terminal's command that owns for its lifetime
 * (see core/agent/sessionOwner.ts). With no owner running, this process owns: it starts the core
 * (no background ticker, sessions loaded only for the clusters a command names) and serves the
 * other terminals until its own command is done.
 */
import { readFileSync } from 'node:fs'
import type { ChannelInput, ChannelName, ChannelOutput } from '../../shared/contract'
import { TokendeckError } from '../../shared/errors'
import type { Cluster } from '../../shared/model'
import { OwnerGone } from '../core/agent/agentClient'
import type { OwnerApi } from '../core/agent/ownerApi'
import { ownOrConnect, type ClientOfOwner, type OwnedSessions } from '../core/agent/sessionOwner'
import { dataDir, type Profile } from '../core/clusters'
import { startCore } from '../core/startCore'
import { cliLogger } from './cliLogger'
import type { Output } from './output'

export interface GlobalOptions {
  json: boolean
  profile: Profile
}

export function appVersion(): string {
  // The package's own package.json: three levels up from src/main/cli, two from out/cli.
  for (const up of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: unknown
        version?: unknown
      }
      if (pkg.name === 'tokendeck' && typeof pkg.version === 'string') return pkg.version
    } catch {
      // Not there: try the next place.
    }
  }
  return '0.0.0'
}

/** Requests that may be sent again to the next owner when the last one vanished mid-request. */
const REPEATABLE = new Set<string>([
  'app:info',
  'app:startupProblems',
  'clusters:list',
  'clusters:get',
  'clusters:probe',
  'settings:get',
  'tokens:list',
  'tokens:createWarnings',
  'tokens:expiring',
  'session:refresh',
  's3keys:list',
])

export class CliContext {
  private link: OwnedSessions | ClientOfOwner

  private constructor(
    private readonly global: GlobalOptions,
    readonly out: Output,
    private readonly needs: { keychain: boolean },
    link: OwnedSessions | ClientOfOwner,
  ) {
    this.link = link
  }

  /** Finds the owner of the profile's sessions, or becomes it. */
  static async open(
    global: GlobalOptions,
    out: Output,
    needs: { keychain: boolean },
  ): Promise<CliContext> {
    const link = await connect(global)
    const ctx = new CliContext(global, out, needs, link)
    try {
      ctx.reportStartupProblems()
    } catch (e) {
      await ctx.close()
      throw e
    }
    return ctx
  }

  /** Served by another process (true) or by this one (false). */
  get isClient(): boolean {
    return this.link.role === 'client'
  }

  /** Who serves this command: for `tokendeck agent status` and the tests. */
  get ownerDescription(): string {
    return this.link.role === 'owner'
      ? `this process (${process.pid})`
      : `${this.link.owner.role} (process ${this.link.owner.pid})`
  }

  async clusters(): Promise<Cluster[]> {
    return (await this.call('clusters:list', undefined)).map((v) => v.cluster)
  }

  /** A cluster by id, else by exact name. Unknown or ambiguous: a usage error (exit 2). */
  async cluster(ref: string): Promise<Cluster> {
    const all = await this.clusters()
    const byId = all.find((c) => c.id === ref)
    if (byId) return byId
    const byName = all.filter((c) => c.name === ref)
    if (byName.length === 1) return byName[0]!
    if (byName.length > 1) {
      throw new TokendeckError(
        'INVALID_INPUT',
        `More than one cluster is named "${ref}" (${byName.map((c) => c.id).join(', ')}): name it by id.`,
      )
    }
    throw new TokendeckError(
      'INVALID_INPUT',
      `There is no cluster "${ref}" (by id or name); "tokendeck clusters list" shows them.`,
    )
  }

  /** Loads these clusters' stored sessions and waits for their first refresh or check. */
  async settle(clusterIds: string[]): Promise<void> {
    await this.withOwner(true, (api) => api.settle(clusterIds))
  }

  /** A fresh access token; the owner refreshes first if it must, once for all callers. */
  async accessToken(clusterId: string): Promise<{ token: string; expiresAt?: number }> {
    return this.withOwner(true, (api) => api.accessToken(clusterId))
  }

  /**
   * A kept S3 key named by its handle (for credential_process and exec): one question to the
   * owner, which finds the key itself. Repeatable: it changes nothing.
   */
  async s3Credential(
    clusterId: string,
    tokenId: string,
  ): Promise<{ accessKeyId: string; secretAccessKey: string; expiresAt?: number }> {
    return this.withOwner(true, (api) => api.s3Credential(clusterId, tokenId))
  }

  /** Through the same validated handlers the app's IPC uses. */
  async call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
    const result = await this.withOwner(REPEATABLE.has(channel), (api) => api.call(channel, input))
    if (!result.ok) {
      const { code, message, retryAt, seenSha256 } = result.error
      throw new TokendeckError(code, message, {
        ...(retryAt !== undefined ? { retryAt } : {}),
        ...(seenSha256 !== undefined ? { seenSha256 } : {}),
      })
    }
    return result.value as ChannelOutput<C>
  }

  async close(): Promise<void> {
    if (this.link.role === 'owner') await this.link.close()
    else this.link.close()
  }

  /**
   * Runs `work` with the owner. Should the owner quit meanwhile (its own command ended), the
   * work goes to the next owner — which may be this process — when that is safe: the old owner
   * said it did not start it, or the work can be repeated without harm. A sign-in is never sent
   * twice: a password attempt counts against the account's lockout.
   */
  private async withOwner<T>(repeatable: boolean, work: (api: OwnerApi) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const api = this.link.role === 'owner' ? this.link.api : this.link.api
      try {
        return await work(api)
      } catch (e) {
        if (!(e instanceof OwnerGone)) throw e
        const safe = e.started === false || repeatable
        if (!safe || attempt >= 20) {
          throw new TokendeckError(
            'INTERNAL',
            `The Tokendeck process that owned your sessions stopped before answering, so it is not known whether this was done. Check with "tokendeck status" before trying again.`,
          )
        }
        if (this.link.role === 'client') await this.link.api.closed
        this.link = await connect(this.global)
        this.reportStartupProblems()
      }
    }
  }

  private reportStartupProblems(): void {
    if (this.link.role !== 'owner') return
    for (const problem of this.link.core.startupProblems) {
      if (problem.code === 'CONFIG_CORRUPT') throw new TokendeckError(problem.code, problem.message)
      if (problem.code === 'KEYCHAIN_UNAVAILABLE') {
        // Commands that never touch a secret (clusters add/list) work without a keychain.
        if (this.needs.keychain) throw new TokendeckError(problem.code, problem.message)
        continue
      }
      this.out.warn(problem.message)
    }
  }
}

function connect(global: GlobalOptions): Promise<OwnedSessions | ClientOfOwner> {
  const dir = dataDir(global.profile)
  return ownOrConnect({
    dataDir: dir,
    role: 'cli',
    version: appVersion(),
    startCore: () =>
      startCore({
        profile: global.profile,
        appVersion: appVersion(),
        dataDir: dir,
        logger: cliLogger(),
        ticker: null,
        resumeSessions: false,
        auditActor: 'cli',
      }),
  })
}
