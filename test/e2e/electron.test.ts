/**
 * The built app under real Electron: runs wherever an Electron binary exists, and says in its
 * name why it skipped where none does (npm installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1 here).
 * With TOKENDECK_REQUIRE_ELECTRON=1 (the GitHub Actions workflow sets it) a missing binary or an
 * unbuilt app is a failure, not a skip: that run exists to prove the real window works.
 *
 * Two parts:
 *  - the secure window: app:// page, the two-function preload bridge, no Node in the page;
 *  - the admin's day in the real window against the WEKA and Qumulo simulators: a cluster added
 *    with the CLI before launch shows up, another is added through the window, sign in, copy
 *    (the clipboard read through Electron's own clipboard module), the tray menu (or the log line
 *    saying there is no tray), a failed refresh shown as a desktop notification, a token created
 *    and shown once, and quit clearing the clipboard.
 *
 * What happens inside the main process is observed from outside through Playwright's
 * electronApp.evaluate, which runs a function in the main process with the `electron` module: it
 * wraps Notification.prototype.show, Tray.prototype.setContextMenu and clipboard.clear so the test
 * can see what the app handed to Electron. Nothing in src/ knows about the test.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron, type ElectronApplication, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findElectronBinary } from '../../scripts/lib/electronBinary.mjs'
import { KeytarSecretStore } from '../../src/main/core/secrets'
import { startQumuloSim, type QumuloSim } from '../sim/qumulo'
import { startWekaSim, type WekaSim } from '../sim/weka'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The app Electron loads (package.json's main); no trailing separator for Windows' quoting. */
const APP_DIR = resolve(REPO_ROOT)
const MAIN_BUNDLE = join(REPO_ROOT, 'out/main/index.js')
const CLI_ENTRY = join(REPO_ROOT, 'src/main/cli/tokendeck.ts')
const REQUIRED = process.env['TOKENDECK_REQUIRE_ELECTRON'] === '1'

const electron = findElectronBinary()
const missing = electron.path ? undefined : (electron.reason ?? 'no Electron binary')
/** Skipped only where Electron is missing and nobody asked for it. */
const skip = missing !== undefined && !REQUIRED
const suffix =
  missing === undefined
    ? ''
    : REQUIRED
      ? ` — REQUIRED by TOKENDECK_REQUIRE_ELECTRON=1 but ${missing}`
      : ` — SKIPPED: ${missing}`
const title = electron.path
  ? 'launches the built app: secure window, preload bridge, empty state'
  : `launches the built app${suffix}`

/** The binary to launch, or the reason this run cannot do what it was asked (a failure). */
function electronPath(): string {
  if (!electron.path) {
    throw new Error(
      `TOKENDECK_REQUIRE_ELECTRON=1 asks for the real Electron test, but ${missing}. ` +
        'Fetch it with: node node_modules/electron/install.js',
    )
  }
  if (!existsSync(MAIN_BUNDLE))
    throw new Error(`${MAIN_BUNDLE} does not exist: build the app first (npm run build)`)
  return electron.path
}

let xvfb: { child: ChildProcess; display: Promise<string> } | undefined
afterAll(() => {
  xvfb?.child.kill()
})

/**
 * Our own Xvfb on a free display. `-displayfd` makes it write the display number once it accepts
 * clients: that line is the readiness signal, not a guessed delay.
 */
function startXvfb(): { child: ChildProcess; display: Promise<string> } {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  })
  const display = new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdio[3]!.on('data', (d: Buffer) => {
      out += d.toString('utf8')
      if (out.includes('\n')) resolve(`:${out.trim()}`)
    })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it was ready`)))
  })
  return { child, display }
}

/** A display for Electron on Linux: the caller's (xvfb-run in CI), or our own Xvfb. */
async function withDisplay(env: Record<string, string>): Promise<Record<string, string>> {
  if (process.platform !== 'linux' || env['DISPLAY']) return env
  xvfb ??= startXvfb()
  return { ...env, DISPLAY: await xvfb.display }
}

/** The environment of this test process, minus what would make Electron something else. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
  delete env['ELECTRON_RUN_AS_NODE']
  delete env['TOKENDECK_PROFILE'] // the default profile, in its own TOKENDECK_HOME
  return env
}

describe('Electron end-to-end', () => {
  it.skipIf(skip)(title, async () => {
    const executablePath = electronPath()
    const home = mkdtempSync(join(tmpdir(), 'tokendeck-electron-'))
    const agentDir = mkdtempSync(join(tmpdir(), 'td-'))
    chmodSync(agentDir, 0o700)
    const env = await withDisplay({
      ...baseEnv(),
      TOKENDECK_HOME: home,
      TOKENDECK_AGENT_DIR: agentDir,
    })
    const app = await _electron.launch({
      executablePath,
      args: ['--no-sandbox', APP_DIR],
      cwd: REPO_ROOT,
      env,
    })
    try {
      const page = await app.firstWindow()
      await page.getByRole('button', { name: 'Add cluster' }).waitFor()
      expect(page.url()).toBe('app://tokendeck/index.html')
      const page_ = await page.evaluate(() => ({
        bridge: Object.keys((window as unknown as { tokendeck: object }).tokendeck).sort(),
        hasRequire: typeof (window as unknown as { require?: unknown }).require,
        hasProcess: typeof (window as unknown as { process?: unknown }).process,
        popup: window.open('https://example.com') === null,
      }))
      expect(page_).toEqual({
        bridge: ['invoke', 'onEvent'],
        hasRequire: 'undefined',
        hasProcess: 'undefined',
        popup: true,
      })
    } finally {
      await app.close()
      rmSync(home, { recursive: true, force: true })
      rmSync(agentDir, { recursive: true, force: true })
    }
  })
})

/** What the main-process probes saw (see armProbes). */
interface Probe {
  notificationsSupported: boolean
  notices: Array<{ title: string; body: string }>
  /** Every menu the app set on its tray, as labels ("Prod WEKA — signed in" › its items). */
  trayMenus: string[][]
}

interface Running {
  app: ElectronApplication
  page: Page
  /** The app's stderr so far (its own log lines: never a secret). */
  stderr: () => string
  consoleErrors: string[]
}

/**
 * Wraps, inside the main process, the Electron calls through which the app shows a notification
 * and sets its tray menu, recording what went through (then calling the real thing).
 */
async function armProbes(app: ElectronApplication): Promise<void> {
  const wrapped = await app.evaluate(({ Notification, Tray }) => {
    const probe: Probe = {
      notificationsSupported: Notification.isSupported(),
      notices: [],
      trayMenus: [],
    }
    ;(globalThis as unknown as { __tokendeckProbe: Probe }).__tokendeckProbe = probe
    const show = Notification.prototype.show
    const recordShow = function (this: Electron.Notification) {
      probe.notices.push({ title: this.title, body: this.body })
      return show.call(this)
    }
    Notification.prototype.show = recordShow
    const setContextMenu = Tray.prototype.setContextMenu
    const recordMenu = function (this: Electron.Tray, menu: Electron.Menu | null) {
      probe.trayMenus.push(
        (menu?.items ?? []).flatMap((item) => [
          item.label,
          ...(item.submenu?.items ?? []).map((sub) => `${item.label} › ${sub.label}`),
        ]),
      )
      return setContextMenu.call(this, menu)
    }
    Tray.prototype.setContextMenu = recordMenu
    return {
      show: Notification.prototype.show === recordShow,
      setContextMenu: Tray.prototype.setContextMenu === recordMenu,
    }
  })
  // A wrapper that did not take would make the checks below fail for the wrong reason.
  expect(wrapped, 'Electron let the test wrap Notification.show and Tray.setContextMenu').toEqual({
    show: true,
    setContextMenu: true,
  })
}

function readProbe(app: ElectronApplication): Promise<Probe> {
  return app.evaluate(() => (globalThis as unknown as { __tokendeckProbe: Probe }).__tokendeckProbe)
}

/** The OS clipboard as Electron's main process reads it (Electron 45: a promise). */
function readClipboard(app: ElectronApplication): Promise<string> {
  return app.evaluate(({ clipboard }) => clipboard.readText())
}

describe.skipIf(skip)(`the admin’s day in the real Electron window${suffix}`, () => {
  let weka: WekaSim | undefined
  let qumulo: QumuloSim | undefined
  let home = ''
  let agentDir = ''
  let probeDir = ''
  let running: Running | undefined
  /** The token created and shown once in step 4, which quit must take off the clipboard. */
  let createdToken: string | undefined

  function env(): Record<string, string> {
    return { ...baseEnv(), TOKENDECK_HOME: home, TOKENDECK_AGENT_DIR: agentDir, NO_COLOR: '1' }
  }

  /** `tokendeck …` on the same data directory, as a person in a terminal would run it. */
  function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
      cwd: REPO_ROOT,
      env: env(),
      encoding: 'utf8',
      timeout: 30_000,
    })
    return { code: r.status, stdout: r.stdout, stderr: r.stderr }
  }

  async function launch(): Promise<Running> {
    const app = await _electron.launch({
      executablePath: electronPath(),
      args: ['--no-sandbox', APP_DIR],
      cwd: REPO_ROOT,
      env: await withDisplay(env()),
      timeout: 60_000,
    })
    let stderr = ''
    app.process().stderr?.on('data', (d: Buffer | string) => (stderr += String(d)))
    await armProbes(app)
    const page = await app.firstWindow()
    page.setDefaultTimeout(20_000)
    const consoleErrors: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text())
    })
    page.on('pageerror', (e) => consoleErrors.push(e.message))
    await page.getByRole('button', { name: 'Add cluster' }).first().waitFor()
    return { app, page, stderr: () => stderr, consoleErrors }
  }

  /** The app launched by beforeAll; fails with the reason when Electron is required but missing. */
  function current(): Running {
    electronPath()
    if (!running) throw new Error('the app is not running (an earlier step failed)')
    return running
  }

  beforeAll(async () => {
    if (!electron.path || !existsSync(MAIN_BUNDLE)) return // each test then fails saying why
    ;[weka, qumulo] = await Promise.all([startWekaSim(), startQumuloSim()])
    home = mkdtempSync(join(tmpdir(), 'tokendeck-electron-day-'))
    agentDir = mkdtempSync(join(tmpdir(), 'td-')) // short: a Unix socket path fits in 104 bytes
    chmodSync(agentDir, 0o700)
    probeDir = mkdtempSync(join(tmpdir(), 'tokendeck-electron-probe-'))
    // Added from a terminal before the app starts: the app must show it (one data directory).
    const add = cli([
      'clusters',
      'add',
      '--vendor',
      'qumulo',
      '--name',
      'Lab Qumulo',
      '--url',
      qumulo.url,
      '--username',
      'admin',
      '--trust-fingerprint',
      qumulo.fingerprint,
      '--json',
    ])
    if (add.code !== 0)
      throw new Error(`tokendeck clusters add failed (${add.code}): ${add.stderr}`)
    running = await launch()
  }, 120_000)

  afterAll(async () => {
    await running?.app.close().catch(() => undefined)
    // The app wrote the sessions to the OS keychain under this home's identity: remove them (on
    // macOS and Windows that is the runner's real keychain; on Linux a private throwaway one).
    if (home) {
      const listed = cli(['clusters', 'list', '--json'])
      let ids: string[] = []
      try {
        ids = (JSON.parse(listed.stdout) as Array<{ id: string }>).map((c) => c.id)
      } catch {
        // nothing listed: nothing stored
      }
      let namespace: string | undefined
      try {
        namespace = (JSON.parse(readFileSync(join(home, 'profile.json'), 'utf8')) as { id: string })
          .id
      } catch {
        namespace = undefined
      }
      if (namespace) {
        const store = new KeytarSecretStore({ service: 'Tokendeck', namespace })
        for (const id of ids) await store.deleteCredential(id).catch(() => false)
      }
    }
    await Promise.all([weka?.close(), qumulo?.close()])
    for (const dir of [home, agentDir, probeDir])
      if (dir) rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  async function addThroughDialog(
    page: Page,
    o: { vendor: string; name: string; url: string; fingerprint: string; username: string },
  ) {
    await page.getByRole('button', { name: 'Add cluster' }).first().click()
    const add = page.getByRole('dialog', { name: 'Add cluster' })
    await add.getByLabel('Vendor').selectOption(o.vendor)
    await add.getByLabel('Cluster name').fill(o.name)
    await add.getByLabel('URL').fill(o.url)
    await add.getByRole('button', { name: 'Check certificate' }).click()
    await add.getByText(o.fingerprint.slice(0, 23)).waitFor()
    await add.getByRole('button', { name: 'Trust this certificate' }).click()
    await add.getByLabel('Username').fill(o.username)
    await add.getByRole('button', { name: 'Add cluster' }).click()
    await page.getByRole('heading', { name: o.name }).waitFor()
  }

  async function signIn(page: Page, name: string, password: string) {
    await page.getByRole('button', { name: 'Sign in' }).click()
    const dialog = page.getByRole('dialog', { name: `Sign in to ${name}` })
    await dialog.getByLabel('Password').fill(password)
    await dialog.getByRole('button', { name: 'Sign in' }).click()
    await dialog.waitFor({ state: 'detached' })
  }

  async function openCluster(page: Page, name: string) {
    if (await page.getByRole('button', { name: '← All clusters' }).isVisible()) {
      await page.getByRole('button', { name: '← All clusters' }).click()
    }
    await page.getByRole('button', { name, exact: true }).click()
    await page.getByRole('heading', { name }).waitFor()
  }

  /** Submit the create dialog, confirming its warnings (e.g. a token for an admin) if any. */
  async function submitCreate(page: Page, create: Locator) {
    await create.getByRole('button', { name: 'Create token' }).click()
    const anyway = create.getByRole('button', { name: 'Create anyway' })
    await Promise.race([
      anyway.waitFor(),
      page.getByRole('dialog', { name: 'Token created' }).waitFor(),
    ])
    if (await anyway.isVisible()) await anyway.click()
  }

  /** The latest tray menu, or undefined while the app has set none since the probes were armed. */
  async function trayMenu(app: ElectronApplication): Promise<string[] | undefined> {
    return (await readProbe(app)).trayMenus.at(-1)
  }

  it('signs in through the window and copies: the clipboard, read through Electron, holds a live access token', async () => {
    const { app, page } = current()
    // The cluster added with the CLI before launch is there: the app and the CLI share one home.
    await page.getByRole('button', { name: 'Lab Qumulo', exact: true }).waitFor()

    // A long clear delay, set in Settings: whatever clears the clipboard later is quit, not the timer.
    await page.getByRole('button', { name: 'Settings' }).click()
    await page.getByLabel('Clear the clipboard after (seconds)').fill('600')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Settings saved.').waitFor()
    await page.getByRole('button', { name: 'Clusters' }).click()

    await addThroughDialog(page, {
      vendor: 'weka',
      name: 'Prod WEKA',
      url: weka!.url,
      fingerprint: weka!.fingerprint,
      username: 'admin',
    })
    await signIn(page, 'Prod WEKA', 'WekaSim-Admin-7341')
    await page.getByText(/Access token expires in/).waitFor()

    await page.getByRole('button', { name: 'Copy access token' }).click()
    await page
      .getByText(/Copied — clears in/)
      .first()
      .waitFor()
    // Compared, never printed: a failing assertion must not put a token in the test output.
    const isLiveAccessToken = async () => {
      const text = await readClipboard(app)
      return weka!.state.liveTokens('admin').find((r) => r.token === text)?.kind === 'access'
    }
    await expect.poll(isLiveAccessToken).toBe(true)
  }, 120_000)

  it('the tray menu lists each cluster with its state, or the app logged that there is no tray', async () => {
    const { app, stderr } = current()
    const noTray = () => /No system tray here/.test(stderr())
    await expect
      .poll(async () => noTray() || (await trayMenu(app))?.includes('Prod WEKA — signed in'), {
        timeout: 10_000,
      })
      .toBe(true)
    if (noTray()) {
      console.warn(`[electron e2e] no tray on this desktop; the app said so: ${stderr()}`)
      return
    }
    const menu = (await trayMenu(app))!
    expect(menu).toEqual(
      expect.arrayContaining([
        'Prod WEKA — signed in',
        'Prod WEKA — signed in › Copy access token',
        'Prod WEKA — signed in › Refresh now',
        'Lab Qumulo — signed out',
        'Open Tokendeck',
        'Quit',
      ]),
    )
  }, 60_000)

  it('a refresh the cluster refuses shows a desktop notification and the failed state', async () => {
    const { app, page, stderr } = current()
    await openCluster(page, 'Prod WEKA')
    weka!.faults.enable('serverError', { match: /\/login\/refresh$/, retryAfterSeconds: 600 })
    try {
      await page.getByRole('button', { name: 'Refresh now' }).click()
      await page
        .getByText('Error: The cluster reported an error', { exact: true })
        .first()
        .waitFor()
      const probe = await readProbe(app)
      if (probe.notificationsSupported) {
        await expect
          .poll(async () => (await readProbe(app)).notices.map((n) => n.title), { timeout: 10_000 })
          .toContain("Couldn't refresh Prod WEKA")
        const notice = (await readProbe(app)).notices.find((n) => n.title.includes('Prod WEKA'))!
        expect(notice.body).toMatch(/keeps retrying on its own/)
      } else {
        // Electron cannot notify on this desktop (Linux without libnotify): the app logs it once.
        await expect.poll(stderr).toMatch(/Notifications are not supported on this desktop/)
        console.warn('[electron e2e] notifications unsupported here; checked the app’s log line')
      }
      if (!/No system tray here/.test(stderr())) {
        await expect
          .poll(async () => (await trayMenu(app))?.includes('Prod WEKA — refresh failed'))
          .toBe(true)
      }
    } finally {
      weka!.faults.clear()
    }
    // The admin signs in again; the session is back.
    await signIn(page, 'Prod WEKA', 'WekaSim-Admin-7341')
    await page.getByText(/Access token expires in/).waitFor()
  }, 120_000)

  it('creates a token that is shown once, and copies it through Electron’s clipboard', async () => {
    const { app, page } = current()
    await openCluster(page, 'Lab Qumulo')
    await signIn(page, 'Lab Qumulo', 'Qumulo-Admin-Demo-1')
    await page.getByRole('button', { name: 'Create token' }).click()
    const create = page.getByRole('dialog', { name: 'Create token' })
    await create.getByLabel('Owner').fill('alice')
    await create.getByLabel('30 days').check()
    await submitCreate(page, create)

    const shown = page.getByRole('dialog', { name: 'Token created' })
    await shown.waitFor()
    expect(await shown.getByText('You will not see this again.').first().isVisible()).toBe(true)
    const token = (await shown.locator('code.secret-value').first().textContent())?.trim() ?? ''
    const issued = [...qumulo!.state.accessTokens.values()].some((t) => t.bearerToken === token)
    expect(issued, 'the dialog shows the token the cluster issued').toBe(true)

    await shown.getByRole('button', { name: 'Copy access token' }).click()
    await shown.getByText(/Copied — kept on the clipboard until you close this dialog/).waitFor()
    await expect.poll(async () => (await readClipboard(app)) === token).toBe(true)

    await shown.getByRole('button', { name: /Close/ }).click()
    await shown.waitFor({ state: 'detached' })
    expect((await page.content()).includes(token), 'gone from the page once closed').toBe(false)
    createdToken = token
  }, 120_000)

  it('quit clears the clipboard', async () => {
    const { app, page, consoleErrors } = current()
    const token = createdToken
    if (!token) throw new Error('no token was copied (the step before failed)')
    expect(consoleErrors).toEqual([])
    // Still on the clipboard: the 600 s timer has not fired, so only quit can clear it.
    expect((await readClipboard(app)) === token).toBe(true)
    expect(await page.getByRole('dialog').count()).toBe(0)

    // Record (in a file: the process is about to exit) every clear the app asks of Electron.
    const marker = join(probeDir, 'clipboard-cleared')
    const wrapped = await app.evaluate(({ clipboard }, file) => {
      const fs = process.getBuiltinModule('node:fs')
      const clear = clipboard.clear.bind(clipboard)
      const recordClear = () => {
        fs.appendFileSync(file, 'clear\n')
        clear()
      }
      clipboard.clear = recordClear
      return clipboard.clear === recordClear
    }, marker)
    expect(wrapped, 'Electron let the test wrap clipboard.clear').toBe(true)
    await app.close() // app.quit(): before-quit closes the core, which clears what it copied
    running = undefined
    expect(existsSync(marker) && readFileSync(marker, 'utf8')).toBe('clear\n')

    // And from outside: a fresh Electron reads the clipboard. (On X11 a selection also dies with
    // its owner, so on Linux the marker above is the proof; on macOS and Windows the clipboard
    // outlives the process and this read is.)
    running = await launch()
    expect((await readClipboard(running.app)) === token).toBe(false)
    await running.app.close()
    running = undefined
  }, 120_000)
})
