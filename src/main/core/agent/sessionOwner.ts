/**
 * One owner per profile: this process either becomes the owner of the profile's sessions (and
 * serves the agent socket to everyone else) or becomes a client of the process that is.
 *
 * - The app and `tokendeck agent` are long-lived owners. A CLI that owns at that moment is
 *   waited for (it owns only while its one command runs); a running `tokendeck agent` is asked
 *   to hand over to the app; two long-lived owners of one profile are refused with who owns.
 * - A CLI is a client whenever anyone owns; otherwise it owns for its own lifetime, and serves
 *   the other terminals meanwhile, so two CLIs never refresh one cluster at once.
 * - Closing an owner: stop taking requests, finish those started, close the core (which writes
 *   the newest credentials to the keychain), then give up the name.
 */
import { isTokendeckError, TokendeckError } from '../../../shared/errors'
import type { Core } from '../startCore'
import { AgentClient, OwnerGone } from './agentClient'
import { agentEndpoint } from './agentEndpoint'
import { AgentServer } from './agentServer'
import { localOwnerApi, type OwnerApi } from './ownerApi'
import { claimOwnership, connectToOwner, type Claim } from './ownerLock'
import type { Hello, OwnerRole } from './protocol'

export interface OwnedSessions {
  role: 'owner'
  core: Core
  api: OwnerApi
  server: AgentServer
  /** Where clients find us (socket or pipe). */
  path: string
  /** Resolves when a client asked this owner to hand over (agent and CLI owners only). */
  handoverRequested: Promise<void>
  close(): Promise<void>
}

export interface ClientOfOwner {
  role: 'client'
  api: AgentClient
  owner: Hello
  close(): void
}

export interface OwnOrConnectOptions {
  dataDir: string
  role: OwnerRole
  version: string
  /** Starts this process's core; called only once ownership is certain. */
  startCore: () => Promise<Core>
  onUnexpected?: (error: unknown) => void
  /** Told when a long-lived owner waits for another process (for a progress line). */
  onWait?: (owner: Hello) => void
  /**
   * The app: when the private socket directory cannot be used, run anyway without serving the
   * command line (and say so among the start-up problems) rather than not start at all.
   */
  runWithoutAgentIfUnavailable?: boolean
}

export async function ownOrConnect(
  opts: OwnOrConnectOptions,
): Promise<OwnedSessions | ClientOfOwner> {
  let endpoint
  try {
    endpoint = await agentEndpoint({ dataDir: opts.dataDir })
  } catch (e) {
    if (!opts.runWithoutAgentIfUnavailable || !isTokendeckError(e)) throw e
    return ownWithoutAgent(opts, e)
  }
  for (;;) {
    let resolveCore!: (core: Core) => void
    let rejectCore!: (e: unknown) => void
    const coreReady = new Promise<Core>((resolve, reject) => {
      resolveCore = resolve
      rejectCore = reject
    })
    coreReady.catch(() => undefined)
    let handover!: () => void
    const handoverRequested = new Promise<void>((resolve) => (handover = resolve))
    // Clients may connect the moment our name appears; their requests wait for the core.
    const server = new AgentServer({
      api: deferredApi(coreReady),
      role: opts.role,
      version: opts.version,
      onHandover: () => handover(),
      ...(opts.onUnexpected ? { onUnexpected: opts.onUnexpected } : {}),
    })
    const claim: Claim = await claimOwnership(endpoint, { onConnection: server.accept })

    if (claim.role === 'owner') {
      let core: Core
      try {
        core = await opts.startCore()
      } catch (e) {
        rejectCore(e)
        await server.drain()
        await claim.release()
        throw e
      }
      resolveCore(core)
      let closing: Promise<void> | undefined
      return {
        role: 'owner',
        core,
        api: localOwnerApi(core),
        server,
        path: claim.path,
        handoverRequested,
        close: () =>
          (closing ??= (async () => {
            await server.drain()
            await core.close()
            await claim.release()
          })()),
      }
    }

    const client = new AgentClient(claim.socket)
    let owner: Hello
    try {
      owner = await client.handshake(opts.role)
    } catch (e) {
      // The owner is closing (it keeps its name until its credentials are written, so nobody
      // starts from an older one): look again shortly, and own once it is gone.
      if (e instanceof OwnerGone) {
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20))
        continue
      }
      throw e
    }
    if (opts.role === 'cli')
      return { role: 'client', api: client, owner, close: () => client.close() }
    if (owner.role === 'cli') {
      // A command in a terminal owns for a moment; the long-lived owner takes over after it.
      opts.onWait?.(owner)
      await client.closed
      continue
    }
    if (opts.role === 'app' && owner.role === 'agent') {
      opts.onWait?.(owner)
      await client.handover()
      continue
    }
    client.close()
    throw new TokendeckError(
      'BUSY',
      owner.role === 'app'
        ? `The Tokendeck app (process ${owner.pid}) already owns the sessions of this profile; the command line uses it as it is.`
        : `tokendeck agent (process ${owner.pid}) already owns the sessions of this profile.`,
    )
  }
}

function deferredApi(core: Promise<Core>): OwnerApi {
  const api = core.then(localOwnerApi)
  return {
    call: async (channel, input) => (await api).call(channel, input),
    accessToken: async (clusterId) => (await api).accessToken(clusterId),
    s3Credential: async (clusterId, tokenId) => (await api).s3Credential(clusterId, tokenId),
    settle: async (ids) => (await api).settle(ids),
  }
}

/**
 * For the long-lived owners (the app, `tokendeck agent`): own the profile's sessions, waiting for
 * a terminal's command that owns them right now and taking over from a running agent.
 */
export async function ownSessions(
  opts: OwnOrConnectOptions & { role: 'app' | 'agent' },
): Promise<OwnedSessions> {
  const link = await ownOrConnect(opts)
  if (link.role === 'owner') return link
  link.close() // not reached: a long-lived owner either owns or is refused with a reason
  throw new TokendeckError('INTERNAL', 'Could not take ownership of the sessions.')
}

/** Who owns the profile's sessions now, without ever becoming the owner; undefined: nobody. */
export async function currentOwner(
  dataDir: string,
): Promise<{ hello: Hello; client: AgentClient } | undefined> {
  const socket = await connectToOwner(await agentEndpoint({ dataDir }))
  if (!socket) return undefined
  const client = new AgentClient(socket)
  return { hello: await client.handshake('cli'), client }
}

/** Owns in this process only: nobody else can reach it, and the user is told why. */
async function ownWithoutAgent(
  opts: OwnOrConnectOptions,
  problem: TokendeckError,
): Promise<OwnedSessions> {
  const core = await opts.startCore()
  core.startupProblems.push({
    code: problem.code,
    message: `${problem.message} The app works, but the tokendeck command line cannot use its sessions until this is fixed.`,
  })
  const server = new AgentServer({
    api: localOwnerApi(core),
    role: opts.role,
    version: opts.version,
  })
  return {
    role: 'owner',
    core,
    api: localOwnerApi(core),
    server,
    path: '',
    handoverRequested: new Promise<void>(() => undefined),
    close: () => core.close(),
  }
}
