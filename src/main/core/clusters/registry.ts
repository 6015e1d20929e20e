/**
 * The cluster registry: the user's clusters (connection details, never secrets) and settings,
 * persisted in `<data dir>/clusters.json` (format: registryFile.ts).
 *
 * Reads are synchronous from memory. Mutations are validated, queued one after another (so two
 * concurrent calls never interleave or lose each other), saved atomically, and only then applied
 * in memory and announced to `onChange` listeners: what listeners see is what is on disk.
 *
 * A file that cannot be used (unreadable, invalid JSON, wrong version, schema failure) is never
 * overwritten. `open` moves it aside to `clusters.json.corrupt-<UTC stamp>`, opens an empty
 * registry and still succeeds, so the app can start and show the problem: `loadProblem` then
 * holds a CONFIG_CORRUPT error whose message names the moved-aside file and what was wrong. If
 * even moving it aside fails, the registry stays read-only (mutations throw that error) rather
 * than risk replacing the user's data.
 */
import path from 'node:path'
import { TokendeckError } from '../../../shared/errors'
import { Cluster, Settings } from '../../../shared/model'
import { errnoCode, moveAside, readTextIfExists, writeFileAtomic } from './atomicFile'
import { uniqueClusterId } from './clusterId'
import { describeIssues } from './describeIssues'
import {
  FILE_NAME,
  FORMAT_VERSION,
  parseRegistryFile,
  serializeRegistryFile,
  type RegistryFile,
} from './registryFile'

/** What `add` takes: a cluster without its id, which the registry chooses. */
export const ClusterInput = Cluster.omit({ id: true })
export type ClusterInput = Omit<Cluster, 'id'>

/**
 * What `update` takes: any fields to change. A key present with the value `undefined` clears
 * that optional field (org, tenant, domain, seen). `id` and `vendor` cannot change: the id keys
 * the keychain entries and sessions, and the vendor decides the protocol and what those stored
 * secrets mean, so a different vendor is a different cluster (remove it and add a new one).
 */
export type ClusterPatch = Partial<Cluster>

/** What `updateSettings` takes: nested groups merge field by field; `undefined` resets a setting to its default. */
export type SettingsPatch = {
  [K in keyof Settings]?: Settings[K] extends Record<string, unknown>
    ? Partial<Settings[K]>
    : Settings[K]
}

export type RegistryChange =
  | { kind: 'cluster-added'; cluster: Cluster }
  | { kind: 'cluster-updated'; cluster: Cluster; previous: Cluster }
  | { kind: 'cluster-removed'; cluster: Cluster }
  | { kind: 'settings-updated'; settings: Settings; previous: Settings }

export interface RegistryOptions {
  /** The data directory (see dataDir.ts); clusters.json lives directly inside it. */
  dir: string
  /** Clock for the moved-aside file's timestamp; injected so tests can pin it. */
  now?: () => Date
}

interface State {
  readonly clusters: readonly Cluster[]
  readonly settings: Settings
}

export class ClusterRegistry {
  /** Full path of clusters.json. */
  readonly file: string
  /** Why the file on disk could not be used at open (CONFIG_CORRUPT), if it could not. */
  readonly loadProblem: TokendeckError | undefined
  /** Where the unusable file was moved, when it could be moved. */
  readonly movedAsideTo: string | undefined

  private state: State
  /** The file could not be used nor moved aside, so saving would destroy it. */
  private readonly readOnly: boolean
  /** Tail of the mutation queue; never rejects, so one failure does not block the next. */
  private tail: Promise<unknown> = Promise.resolve()
  private readonly listeners = new Set<(change: RegistryChange) => void>()

  private constructor(
    file: string,
    state: State,
    problem?: { error: TokendeckError; movedAsideTo: string | undefined },
  ) {
    this.file = file
    this.state = state
    this.loadProblem = problem?.error
    this.movedAsideTo = problem?.movedAsideTo
    this.readOnly = problem !== undefined && problem.movedAsideTo === undefined
  }

  /** Load the registry from `dir` (missing file = empty registry). Resolves even for a bad file: see loadProblem. */
  static async open(options: RegistryOptions): Promise<ClusterRegistry> {
    const file = path.join(options.dir, FILE_NAME)
    const now = options.now ?? (() => new Date())
    let text: string | undefined
    try {
      text = await readTextIfExists(file)
    } catch (e) {
      return ClusterRegistry.quarantined(
        file,
        `it could not be read (${errnoCode(e) ?? String(e)})`,
        now(),
      )
    }
    if (text === undefined) return new ClusterRegistry(file, emptyState())
    const parsed = parseRegistryFile(text)
    if (!parsed.ok) return ClusterRegistry.quarantined(file, parsed.problem, now())
    return new ClusterRegistry(file, {
      clusters: parsed.file.clusters,
      settings: parsed.file.settings,
    })
  }

  private static async quarantined(
    file: string,
    what: string,
    now: Date,
  ): Promise<ClusterRegistry> {
    const name = path.basename(file)
    try {
      const movedAsideTo = await moveAside(file, now)
      const error = new TokendeckError(
        'CONFIG_CORRUPT',
        `The cluster list ${file} could not be used: ${what}. It was moved aside to ${movedAsideTo} ` +
          `and Tokendeck started with no clusters. To restore them, fix that file and rename it back to ${name}.`,
      )
      return new ClusterRegistry(file, emptyState(), { error, movedAsideTo })
    } catch (e) {
      const error = new TokendeckError(
        'CONFIG_CORRUPT',
        `The cluster list ${file} could not be used: ${what}. It could not be moved aside either ` +
          `(${errnoCode(e) ?? String(e)}), so Tokendeck will not change it: fix or remove it and restart.`,
      )
      return new ClusterRegistry(file, emptyState(), { error, movedAsideTo: undefined })
    }
  }

  list(): Cluster[] {
    return structuredClone([...this.state.clusters])
  }

  /** @throws TokendeckError NOT_FOUND */
  get(id: string): Cluster {
    return structuredClone(this.find(this.state, id))
  }

  getSettings(): Settings {
    return structuredClone(this.state.settings)
  }

  /** Add a cluster; its id is a readable slug of its name, unique in this registry. @throws INVALID_INPUT */
  add(input: ClusterInput): Promise<Cluster> {
    return this.mutate((state) => {
      const parsed = ClusterInput.safeParse(input)
      if (!parsed.success) throw invalid('cluster', parsed.error.issues)
      const taken = new Set(state.clusters.map((c) => c.id))
      const cluster = dropUndefined({
        id: uniqueClusterId(parsed.data.name, taken, parsed.data.vendor),
        ...parsed.data,
      })
      return {
        next: { ...state, clusters: [...state.clusters, cluster] },
        result: cluster,
        event: { kind: 'cluster-added', cluster },
      }
    })
  }

  /** Change some fields of a cluster (see ClusterPatch). @throws NOT_FOUND, INVALID_INPUT */
  update(id: string, patch: ClusterPatch): Promise<Cluster> {
    return this.mutate((state) => {
      const previous = this.find(state, id)
      if (!isPlainObject(patch))
        throw new TokendeckError(
          'INVALID_INPUT',
          'Invalid cluster change: expected an object of fields to change.',
        )
      if ('id' in patch && patch.id !== previous.id) {
        throw new TokendeckError(
          'INVALID_INPUT',
          'Invalid cluster change: id: a cluster id cannot be changed.',
        )
      }
      if ('vendor' in patch && patch.vendor !== previous.vendor) {
        throw new TokendeckError(
          'INVALID_INPUT',
          'Invalid cluster change: vendor: the vendor of a cluster cannot be changed; remove the cluster and add it again.',
        )
      }
      const parsed = Cluster.safeParse({ ...previous, ...patch })
      if (!parsed.success) throw invalid('cluster change', parsed.error.issues)
      const cluster = dropUndefined(parsed.data)
      if (sameJson(cluster, previous)) return { next: state, result: previous }
      return {
        next: { ...state, clusters: state.clusters.map((c) => (c.id === id ? cluster : c)) },
        result: cluster,
        event: { kind: 'cluster-updated', cluster, previous },
      }
    })
  }

  /** Remove a cluster and return what it was. Its keychain entries are the caller's to delete. @throws NOT_FOUND */
  remove(id: string): Promise<Cluster> {
    return this.mutate((state) => {
      const cluster = this.find(state, id)
      return {
        next: { ...state, clusters: state.clusters.filter((c) => c.id !== id) },
        result: cluster,
        event: { kind: 'cluster-removed', cluster },
      }
    })
  }

  /** Change some settings (see SettingsPatch). @throws INVALID_INPUT */
  updateSettings(patch: SettingsPatch): Promise<Settings> {
    return this.mutate((state) => {
      if (!isPlainObject(patch))
        throw new TokendeckError(
          'INVALID_INPUT',
          'Invalid settings: expected an object of settings to change.',
        )
      const previous = state.settings
      const merged: Record<string, unknown> = { ...previous }
      for (const [key, value] of Object.entries(patch)) {
        const current = merged[key]
        // One level deep is all Settings has (expiryWarning, notifications): merge those groups
        // so `{ notifications: { expiring: false } }` leaves the other notification switches be.
        merged[key] =
          isPlainObject(current) && isPlainObject(value) ? { ...current, ...value } : value
      }
      const parsed = Settings.safeParse(merged)
      if (!parsed.success) throw invalid('settings', parsed.error.issues)
      const settings = parsed.data
      if (sameJson(settings, previous)) return { next: state, result: previous }
      return {
        next: { ...state, settings },
        result: settings,
        event: { kind: 'settings-updated', settings, previous },
      }
    })
  }

  /** Listen to changes (after they are saved). Returns the function that stops listening. */
  onChange(listener: (change: RegistryChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Resolves once every mutation started so far has finished (e.g. before the app quits). */
  async flush(): Promise<void> {
    await this.tail
  }

  private find(state: State, id: string): Cluster {
    const cluster = state.clusters.find((c) => c.id === id)
    if (cluster === undefined)
      throw new TokendeckError('NOT_FOUND', `There is no cluster with id "${id}".`)
    return cluster
  }

  /**
   * Run one mutation after all earlier ones. `change` computes the next state from the state
   * as it is when its turn comes (so ids stay unique across concurrent adds); nothing changes in
   * memory unless the save succeeded.
   */
  private mutate<T>(
    change: (state: State) => { next: State; result: T; event?: RegistryChange },
  ): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.readOnly && this.loadProblem !== undefined) throw this.loadProblem
      const { next, result, event } = change(this.state)
      if (next === this.state) return structuredClone(result)
      await this.save(next)
      this.state = next
      if (event !== undefined) this.emit(event)
      return structuredClone(result)
    }
    const result = this.tail.then(run, run)
    this.tail = result.catch(() => undefined)
    return result
  }

  private async save(state: State): Promise<void> {
    const file: RegistryFile = {
      version: FORMAT_VERSION,
      clusters: [...state.clusters],
      settings: state.settings,
    }
    try {
      await writeFileAtomic(this.file, serializeRegistryFile(file))
    } catch (e) {
      throw new TokendeckError(
        'INTERNAL',
        `Could not save the cluster list to ${this.file} (${errnoCode(e) ?? String(e)}); nothing was changed.`,
        { cause: e },
      )
    }
  }

  private emit(change: RegistryChange): void {
    for (const listener of this.listeners) {
      try {
        listener(structuredClone(change))
      } catch (e) {
        // The change is already saved; one faulty listener must not undo that for the caller
        // nor keep the other listeners from hearing about it.
        console.error('cluster registry listener failed', e)
      }
    }
  }
}

function emptyState(): State {
  return { clusters: [], settings: Settings.parse({}) }
}

function invalid(what: string, issues: Parameters<typeof describeIssues>[0]): TokendeckError {
  return new TokendeckError('INVALID_INPUT', `Invalid ${what}: ${describeIssues(issues)}.`)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** zod keeps `org: undefined` when asked to; the stored cluster should simply not have the key. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
