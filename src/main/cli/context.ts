/**
 * One CLI invocation's core: the same data directory and keychain as the app (per profile), no
 * background ticker, closed when the command ends. Stored sessions are resumed only for the
 * clusters a command names (sessions.resume), so `tokendeck token prod` talks to prod alone and
 * never refreshes — or waits on — the user's other clusters.
 */
import { readFileSync } from 'node:fs'
import type { ChannelInput, ChannelName, ChannelOutput } from '../../shared/contract'
import { TokendeckError } from '../../shared/errors'
import type { Cluster } from '../../shared/model'
import { keychainService, type Profile } from '../core/clusters'
import { KeytarSecretStore } from '../core/secrets'
import { startCore, type Core } from '../core/startCore'
import type { Output } from './output'

export interface GlobalOptions {
  json: boolean
  profile: Profile
}

export function appVersion(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as { version?: unknown }
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0'
  } catch {
    return '0.0.0'
  }
}

export class CliContext {
  private constructor(
    readonly core: Core,
    readonly out: Output,
  ) {}

  /** Starts the core. `keychain: false` for commands that work without one (clusters add/list). */
  static async open(
    global: GlobalOptions,
    out: Output,
    needs: { keychain: boolean },
  ): Promise<CliContext> {
    const core = await startCore({
      profile: global.profile,
      appVersion: appVersion(),
      secretStore: new KeytarSecretStore({ service: keychainService(global.profile) }),
      ticker: null,
      resumeSessions: false,
    })
    const ctx = new CliContext(core, out)
    try {
      for (const problem of core.startupProblems) {
        if (problem.code === 'CONFIG_CORRUPT')
          throw new TokendeckError(problem.code, problem.message)
        if (problem.code === 'KEYCHAIN_UNAVAILABLE') {
          // Commands that never touch a secret (clusters add/list) work without a keychain.
          if (needs.keychain) throw new TokendeckError(problem.code, problem.message)
          continue
        }
        out.warn(problem.message)
      }
    } catch (e) {
      await core.close()
      throw e
    }
    return ctx
  }

  /** A cluster by id, else by exact name. Unknown or ambiguous: a usage error (exit 2). */
  cluster(ref: string): Cluster {
    const all = this.core.registry.list()
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

  /**
   * Loads the stored credentials of these clusters (or all) from the keychain and resumes those
   * sessions: the same path the app takes at start.
   */
  async resume(clusterIds: string[] | 'all'): Promise<void> {
    await this.core.sessions.resume(
      clusterIds === 'all' ? () => true : (id) => clusterIds.includes(id),
    )
  }

  /** Through the same validated handlers the app's IPC uses. */
  async call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
    const result = await this.core.dispatcher.invoke(channel, input)
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
    await this.core.close()
  }
}
