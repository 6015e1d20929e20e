/**
 * Starts the real composition root (src/main/index.ts) and the real shell modules against the
 * Electron double, in a fresh module graph, with its own TOKENDECK_HOME and a private agent
 * directory. The core runs for real: registry on disk, the (private) keychain, the agent socket.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { vi } from 'vitest'
import {
  EVENT_CHANNEL,
  type ChannelInput,
  type ChannelName,
  type Result,
  type TokendeckEvent,
} from '../../../src/shared/contract'
import { keychainService } from '../../../src/main/core/clusters'
import { KeytarSecretStore } from '../../../src/main/core/secrets'
import type { ClusterView } from '../../../src/shared/model'
import {
  createElectronDouble,
  type BrowserWindowDouble,
  type ElectronDouble,
  type ElectronDoubleOptions,
  type FrameDouble,
} from '../../support/electronDouble'
import { profileIdOf } from '../../cli/cliHarness'

export interface AppUnderTest {
  electron: ElectronDouble
  home: string
  agentDir: string
  /** What the app logged (console.warn), in order. */
  logs: string[]
  /** The main window (the newest one). */
  window(): BrowserWindowDouble
  /** Every core event the window received, in order. */
  events(): TokendeckEvent[]
  /** A call from the app's own page (the window's top frame), or from `frame`. */
  invoke<C extends ChannelName>(
    channel: C,
    input: ChannelInput<C>,
    frame?: FrameDouble | null,
  ): Promise<Result<unknown>>
  /** Adds a WEKA simulator as a trusted cluster and signs in as admin; returns its id. */
  addSignedInWeka(sim: { url: string; fingerprint: string }, name: string): Promise<string>
  /** Agent sockets present in the private directory (the owner's name while it runs). */
  agentSockets(): string[]
  /** Removes this run's keychain entries and directories (after quitting, or as a fallback). */
  cleanUp(): Promise<void>
}

export const WEKA_PASSWORD = 'WekaSim-Admin-7341'

export async function startApp(options: ElectronDoubleOptions = {}): Promise<AppUnderTest> {
  const home = mkdtempSync(join(tmpdir(), 'tokendeck-shell-'))
  // mkdtemp makes it 0700, as the agent requires of its private directory.
  const agentDir = mkdtempSync(join(tmpdir(), 'tokendeck-agent-'))
  vi.stubEnv('TOKENDECK_HOME', home)
  vi.stubEnv('TOKENDECK_AGENT_DIR', agentDir)
  vi.stubEnv('TOKENDECK_PROFILE', undefined)
  vi.stubEnv('ELECTRON_RENDERER_URL', undefined)
  const logs: string[] = []
  const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    logs.push(args.map(String).join(' '))
  })

  const electron = createElectronDouble(options)
  const clusterIds: string[] = []
  // A fresh graph: index.ts runs its top level (single-instance lock, scheme registration) on
  // import, once per run, and must see this run's double.
  vi.resetModules()
  vi.doMock('electron', () => electron.module)
  await import('../../../src/main/index')

  const run: AppUnderTest = {
    electron,
    home,
    agentDir,
    logs,
    window() {
      const win = electron.windows.at(-1)
      if (!win) throw new Error('the app has no window')
      return win
    },
    events() {
      return run
        .window()
        .webContents.sent.filter((m) => m.channel === EVENT_CHANNEL)
        .map((m) => m.args[0] as TokendeckEvent)
    },
    async invoke(channel, input, frame) {
      const from = frame === undefined ? run.window().webContents.mainFrame : frame
      return (await electron.ipcMain.invoke(channel, input, from)) as Result<unknown>
    },
    async addSignedInWeka(sim, name) {
      const added = await run.invoke('clusters:add', {
        vendor: 'weka',
        name,
        url: sim.url,
        username: 'admin',
        trust: { sha256: sim.fingerprint },
      })
      if (!added.ok) throw new Error(`clusters:add failed: ${added.error.message}`)
      const id = (added.value as ClusterView).cluster.id
      clusterIds.push(id)
      const signedIn = await run.invoke('session:signIn', {
        clusterId: id,
        password: WEKA_PASSWORD,
      })
      if (!signedIn.ok) throw new Error(`session:signIn failed: ${signedIn.error.message}`)
      return id
    },
    agentSockets() {
      return readdirSync(agentDir).filter((f) => f.endsWith('.sock'))
    },
    async cleanUp() {
      // Quit closes the core; a test that failed before quitting still gives its socket back.
      if (electron.app.isReady() && !electron.app.hasQuit) {
        electron.app.quit()
        await electron.app.exited
      }
      warn.mockRestore()
      vi.unstubAllEnvs()
      vi.doUnmock('electron')
      const namespace = profileIdOf(home)
      if (namespace) {
        const store = new KeytarSecretStore({ service: keychainService('default'), namespace })
        for (const id of clusterIds) await store.deleteCredential(id).catch(() => false)
      }
      rmSync(home, { recursive: true, force: true })
      rmSync(agentDir, { recursive: true, force: true })
    },
  }

  if (options.singleInstanceLock === false) return run
  // The app starts its core once Electron is ready; its window is the last thing it creates. A
  // start that fails surfaces as an unhandled rejection (index.ts does `void whenReady().then`):
  // report it at once instead of waiting for the hook's timeout.
  let onRejection!: (reason: unknown) => void
  const failed = new Promise<never>((_, reject) => {
    onRejection = (reason) => reject(reason instanceof Error ? reason : new Error(String(reason)))
  })
  process.on('unhandledRejection', onRejection)
  try {
    electron.app.emitReady()
    const win = await Promise.race([electron.until(() => electron.windows[0]), failed])
    // The page has loaded: IPC from it now comes from the app's own origin.
    await electron.until(() => !win.webContents.isLoading())
  } finally {
    process.off('unhandledRejection', onRejection)
  }
  return run
}
