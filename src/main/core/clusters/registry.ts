/**
 * The cluster registry: the user's clusters (connection details, never secrets) and settings,
 * persisted in `<data dir>/clusters.json` (format: registryFile.ts). This file is the file I/O,
 * the lock and the mutation queue; the edits themselves are pure functions of the state
 * (clusterEdits.ts, settingsEdit.ts, registryState.ts) and watching is registryWatch.ts.
 *
 * Several processes use one data directory at once (the app, the CLI in a few terminals,
 * scripts), so memory is only a cache of the file. Reads are synchronous from that cache.
 * Mutations are queued one after another within the process, and each is a read-modify-write
 * under a cross-process lock (`clusters.json.lock`, see fileLock.ts): take the lock, re-read the
 * file, adopt what other processes changed (announcing it like any change), apply the mutation
 * to that, save atomically, update memory, announce, release. So no process writes back a stale
 * copy, and checks such as "this name is free" are made against the file as it is now.
 * `reload` and `watch` pick up other processes' changes between mutations.
 *
 * Listeners (`onChange`) only ever hear of states that are on disk.
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
import type { Cluster, Settings } from '../../../shared/model'
import { errnoCode, moveAside, readTextIfExists, writeFileAtomic } from './atomicFile'
import {
  addCluster,
  findCluster,
  removeCluster,
  updateCluster,
  type ClusterInput,
  type ClusterPatch,
} from './clusterEdits'
import { withFileLock, type LockOptions } from './fileLock'
import {
  differences,
  emptyState,
  type Edit,
  type RegistryChange,
  type State,
} from './registryState'
import { editSettings, type SettingsPatch } from './settingsEdit'
import { watchFile } from './registryWatch'
import {
  FILE_NAME,
  FORMAT_VERSION,
  parseRegistryFile,
  serializeRegistryFile,
  type RegistryFile,
} from './registryFile'

export { ClusterInput, type ClusterPatch } from './clusterEdits'
export type { RegistryChange } from './registryState'
export type { SettingsPatch } from './settingsEdit'

export interface RegistryOptions {
  /** The data directory (see dataDir.ts); clusters.json lives directly inside it. */
  dir: string
  /** Clock for the moved-aside file's timestamp; injected so tests can pin it. */
  now?: () => Date
  /** How long to wait for another process's lock, and when a lock counts as abandoned. */
  lock?: LockOptions
  /**
   * Told about problems met in the background (by `watch`, or `reload`): the file became
   * unreadable or invalid, the directory cannot be watched. They never throw nor crash; by
   * default they are logged with console.error.
   */
  onProblem?: (problem: TokendeckError) => void
}

/** Name of the lock file, beside clusters.json. */
export const LOCK_FILE_NAME = `${FILE_NAME}.lock`

export class ClusterRegistry {
  /** Full path of clusters.json. */
  readonly file: string
  /** Why the file on disk could not be used at open (CONFIG_CORRUPT), if it could not. */
  readonly loadProblem: TokendeckError | undefined
  /** Where the unusable file was moved, when it could be moved. */
  readonly movedAsideTo: string | undefined
  /** Things fixed while loading that the user should hear about once (userinfo removed from a URL). */
  readonly notices: string[] = []
  private readonly warnedUserinfo = new Set<string>()

  private state: State
  /**
   * The file text `state` was read from or last saved as (null: there was no file; undefined:
   * unknown). When the file still holds exactly this text, re-reading it needs no parsing.
   */
  private lastText: string | null | undefined
  /** The file could not be used nor moved aside, so saving would destroy it. */
  private readonly readOnly: boolean
  /** Tail of the mutation queue; never rejects, so one failure does not block the next. */
  private tail: Promise<unknown> = Promise.resolve()
  private readonly listeners = new Set<(change: RegistryChange) => void>()
  private readonly lockFile: string
  private readonly lockOptions: LockOptions
  private readonly onProblem: ((problem: TokendeckError) => void) | undefined

  private constructor(
    options: RegistryOptions,
    state: State,
    lastText: string | null | undefined,
    problem?: { error: TokendeckError; movedAsideTo: string | undefined },
  ) {
    this.file = path.join(options.dir, FILE_NAME)
    this.lockFile = path.join(options.dir, LOCK_FILE_NAME)
    this.lockOptions = options.lock ?? {}
    this.onProblem = options.onProblem
    this.state = state
    this.lastText = lastText
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
        options,
        `it could not be read (${errnoCode(e) ?? String(e)})`,
        now(),
      )
    }
    if (text === undefined) return new ClusterRegistry(options, emptyState(), null)
    const parsed = parseRegistryFile(text)
    if (!parsed.ok) return ClusterRegistry.quarantined(options, parsed.problem, now())
    const registry = new ClusterRegistry(
      options,
      { clusters: parsed.file.clusters, settings: parsed.file.settings },
      text,
    )
    if (parsed.strippedUserinfo !== undefined) await registry.dropUserinfo(parsed.strippedUserinfo)
    return registry
  }

  /**
   * Clusters whose URL held a user name or password were loaded without it (registryFile.ts);
   * save the file so the password leaves the disk too, and say so once per cluster.
   */
  private async dropUserinfo(names: readonly string[]): Promise<void> {
    for (const name of names) {
      if (this.warnedUserinfo.has(name)) continue
      this.warnedUserinfo.add(name)
      this.notices.push(
        `The URL of the cluster "${name}" in ${this.file} held a user name or password; Tokendeck removed ` +
          'them (it never keeps a password; you give it at sign-in). Check that the user name of that cluster is the one you sign in with.',
      )
    }
    try {
      // A new state object makes mutate save it, as read (and cleaned) from the file now.
      await this.mutate((state) => ({ next: { ...state }, result: undefined }))
    } catch (e) {
      this.report(e)
    }
  }

  private static async quarantined(
    options: RegistryOptions,
    what: string,
    now: Date,
  ): Promise<ClusterRegistry> {
    const file = path.join(options.dir, FILE_NAME)
    const name = path.basename(file)
    try {
      const movedAsideTo = await moveAside(file, now)
      const error = new TokendeckError(
        'CONFIG_CORRUPT',
        `The cluster list ${file} could not be used: ${what}. It was moved aside to ${movedAsideTo} ` +
          `and Tokendeck started with no clusters. To restore them, fix that file and rename it back to ${name}.`,
      )
      // The file is gone (moved): an empty registry matches the disk now.
      return new ClusterRegistry(options, emptyState(), null, { error, movedAsideTo })
    } catch (e) {
      const error = new TokendeckError(
        'CONFIG_CORRUPT',
        `The cluster list ${file} could not be used: ${what}. It could not be moved aside either ` +
          `(${errnoCode(e) ?? String(e)}), so Tokendeck will not change it: fix or remove it and restart.`,
      )
      return new ClusterRegistry(options, emptyState(), undefined, {
        error,
        movedAsideTo: undefined,
      })
    }
  }

  // Clusters and settings are read for every refresh (client, binding, margin, concurrency): a
  // deep copy per read, and a search of the list per cluster, cost a 1,000-session refresh storm
  // about a tenth of its main-thread time (bench/README.md, figure 1). The state's objects are
  // replaced on every change, never changed in place, so one frozen copy of each serves its
  // readers until it is replaced, and an index by id is built once per list.
  private readonly frozen = new WeakMap<object, unknown>()
  private index: { of: readonly Cluster[]; byId: Map<string, Cluster> } | undefined

  /** A frozen copy of `value` (the same one until the state replaces `value`). */
  private frozenCopy<T extends object>(value: T): T {
    let copy = this.frozen.get(value) as T | undefined
    if (copy === undefined) {
      copy = deepFreeze(structuredClone(value))
      this.frozen.set(value, copy)
    }
    return copy
  }

  /** Every cluster (frozen; the array is the caller's). */
  list(): Cluster[] {
    return this.state.clusters.map((c) => this.frozenCopy(c))
  }

  /** One cluster (frozen). @throws TokendeckError NOT_FOUND */
  get(id: string): Cluster {
    return this.frozenCopy(this.byId().get(id) ?? findCluster(this.state, id))
  }

  /** One cluster (frozen), or undefined when none has that id (one removed meanwhile). */
  find(id: string): Cluster | undefined {
    const cluster = this.byId().get(id)
    return cluster && this.frozenCopy(cluster)
  }

  /** The clusters by id, rebuilt when the list changed. */
  private byId(): Map<string, Cluster> {
    const clusters = this.state.clusters
    if (this.index?.of !== clusters)
      this.index = { of: clusters, byId: new Map(clusters.map((c) => [c.id, c])) }
    return this.index.byId
  }

  /** The settings (frozen). */
  getSettings(): Settings {
    return this.frozenCopy(this.state.settings)
  }

  /**
   * Add a cluster. Its id is new and never reused: a slug of its name plus a random suffix (see
   * clusterId.ts). Names are unique (ignoring case and surrounding spaces), checked against the
   * file as it is now, so two processes adding the same name cannot both succeed.
   * @throws INVALID_INPUT (also for a name already in use)
   */
  add(input: ClusterInput): Promise<Cluster> {
    return this.mutate((state) => addCluster(state, input))
  }

  /**
   * Change some fields of a cluster (see ClusterPatch), or the fields a function of the current
   * cluster returns. A new name must not be another
   * cluster's. @throws NOT_FOUND, INVALID_INPUT
   */
  update(
    id: string,
    change: ClusterPatch | ((current: Cluster) => ClusterPatch),
  ): Promise<Cluster> {
    return this.mutate((state) => updateCluster(state, id, change))
  }

  /** Remove a cluster and return what it was. Its keychain entries are the caller's to delete. @throws NOT_FOUND */
  remove(id: string): Promise<Cluster> {
    return this.mutate((state) => removeCluster(state, id))
  }

  /** Change some settings (see SettingsPatch in shared/model.ts). @throws INVALID_INPUT */
  updateSettings(patch: SettingsPatch): Promise<Settings> {
    return this.mutate((state) => editSettings(state, patch))
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

  /**
   * Re-read clusters.json and adopt what other processes changed, announcing each difference to
   * the `onChange` listeners as a change (cluster-added, -updated, -removed, settings-updated).
   * Never rejects: a file that cannot be read or used is reported to `onProblem`, and memory
   * keeps the last good state (the file is not touched).
   */
  reload(): Promise<void> {
    return this.enqueue(async () => {
      try {
        const disk = await this.readDisk()
        this.adopt(disk.text, disk.state)
      } catch (e) {
        this.report(e)
      }
    })
  }

  /**
   * Watch the data directory and `reload` whenever clusters.json changes (debounced), plus once
   * at the start to catch up on changes made since `open`. Returns the function that stops
   * watching. Problems go to `onProblem`; the watcher does not keep the process alive.
   */
  watch(): () => void {
    return watchFile(
      this.file,
      () => void this.reload(),
      (problem) => this.report(problem),
    )
  }

  /**
   * Run one mutation after all earlier ones in this process, as a read-modify-write under the
   * cross-process lock. `change` computes the next state from the file as it is on disk now
   * (after adopting what other processes changed), so ids and names are checked against every
   * process's clusters and nothing another process saved is overwritten. Nothing changes in
   * memory beyond what is on disk: the new state is adopted only once saved.
   */
  private mutate<T>(change: (state: State) => Edit<T>): Promise<T> {
    return this.enqueue(async () => {
      if (this.readOnly && this.loadProblem !== undefined) throw this.loadProblem
      return withFileLock(
        this.lockFile,
        async () => {
          const disk = await this.readDisk()
          this.adopt(disk.text, disk.state)
          const { next, result, event } = change(this.state)
          if (next === this.state) return structuredClone(result)
          const text = await this.save(next)
          this.state = next
          this.lastText = text
          if (event !== undefined) this.emit(event)
          return structuredClone(result)
        },
        this.lockOptions,
      )
    })
  }

  /** Queue `run` after everything queued before it (mutations and reloads). */
  private enqueue<T>(run: () => Promise<T>): Promise<T> {
    const result = this.tail.then(run, run)
    this.tail = result.catch(() => undefined)
    return result
  }

  /**
   * The file as it is now, parsed. Never changes the file: one that cannot be read or used is
   * CONFIG_CORRUPT (something other than Tokendeck broke it since it was opened, since our own
   * saves are atomic and validated), left for the user or the next start to deal with.
   */
  private async readDisk(): Promise<{ text: string | null; state: State }> {
    let text: string | null
    try {
      text = (await readTextIfExists(this.file)) ?? null
    } catch (e) {
      throw new TokendeckError(
        'CONFIG_CORRUPT',
        `The cluster list ${this.file} can no longer be read (${errnoCode(e) ?? String(e)}); ` +
          'Tokendeck did not change it. Fix its permissions, or restart Tokendeck to have it moved aside.',
        { cause: e },
      )
    }
    if (text === this.lastText) return { text, state: this.state }
    // No file (deleted, or moved aside by another process): the registry is empty now.
    if (text === null) return { text, state: emptyState() }
    const parsed = parseRegistryFile(text)
    if (!parsed.ok) {
      throw new TokendeckError(
        'CONFIG_CORRUPT',
        `The cluster list ${this.file} changed since Tokendeck opened it and can no longer be used: ` +
          `${parsed.problem}. Tokendeck did not change it: fix it, or restart Tokendeck to have it moved aside.`,
      )
    }
    for (const name of parsed.strippedUserinfo ?? []) {
      if (this.warnedUserinfo.has(name)) continue
      this.warnedUserinfo.add(name)
      this.report(
        new TokendeckError(
          'INVALID_INPUT',
          `The URL of the cluster "${name}" in ${this.file} held a user name or password; Tokendeck ignores them and removes them at its next save.`,
        ),
      )
    }
    return { text, state: { clusters: parsed.file.clusters, settings: parsed.file.settings } }
  }

  /** Make `state` (read from the file as `text`) the registry's, announcing what differs. */
  private adopt(text: string | null, state: State): void {
    if (text === this.lastText) return
    const previous = this.state
    this.state = state
    this.lastText = text
    for (const change of differences(previous, state)) this.emit(change)
  }

  private report(e: unknown): void {
    const problem =
      e instanceof TokendeckError
        ? e
        : new TokendeckError('INTERNAL', `Cluster registry: ${String(e)}`, { cause: e })
    try {
      if (this.onProblem !== undefined) this.onProblem(problem)
      else console.error('cluster registry:', problem.message)
    } catch {
      // Reporting must not become the crash it is there to prevent.
    }
  }

  /** Save `state` atomically; returns the text written. */
  private async save(state: State): Promise<string> {
    const file: RegistryFile = {
      version: FORMAT_VERSION,
      clusters: [...state.clusters],
      settings: state.settings,
    }
    const text = serializeRegistryFile(file)
    try {
      await writeFileAtomic(this.file, text)
      return text
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

/** Freezes `value` and everything in it: a reader changing the registry's copy would be a bug. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}
