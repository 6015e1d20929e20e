/**
 * Electron 45 has no install script: `npm ci` leaves node_modules/electron without a binary, and
 * Electron fetches it on first use. `npm start`, `npm run demo` and `npm run dev` do that here,
 * openly, with Electron's own installer (node_modules/electron/install.js, i.e. @electron/get:
 * ELECTRON_MIRROR, ELECTRON_CUSTOM_DIR, electron_config_cache, the checksums shipped in the
 * package, its progress bar) rather than a download of our own. When it cannot, or must not,
 * the result is one message naming the real cause.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { electronPackageDir, findElectronBinary } from './electronBinary.mjs'
import { checkNode, nodeAppNoteText, nodeHintText, type NodeCheck } from './nodeVersion'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PROBE = fileURLToPath(new URL('./electronInstallProbe.cjs', import.meta.url))

/** The command the user typed, to tell them what to run again. */
export type Command = 'npm start' | 'npm run demo' | 'npm run dev'

/** Where a variable's value came from, as the user can find it again (credentials removed). */
export interface Setting {
  name: string
  value: string
}

/** What electronInstallProbe.cjs records, one JSON object a line. */
export type ProbeEvent =
  | { event: 'response'; url: string; status: number; statusText: string }
  | { event: 'fetch-error'; url: string; code?: string; message: string }
  | { event: 'console-error'; text: string }

export type ElectronProblem =
  | { kind: 'not-installed'; dir: string }
  | { kind: 'override'; value: string; binary: string }
  | { kind: 'skip-variable'; variable: Setting }
  | { kind: 'http'; url: string; status: number; statusText: string; mirror?: Setting }
  | { kind: 'offline'; url: string; code: string; mirror?: Setting; proxy?: Setting }
  | {
      kind: 'unreachable'
      url: string
      code?: string
      detail: string
      mirror?: Setting
      proxy?: Setting
    }
  | { kind: 'tls'; url: string; code: string; mirror?: Setting }
  | { kind: 'checksum'; url?: string; detail: string; remoteChecksums: boolean }
  | { kind: 'interrupted'; url?: string; detail: string }
  | { kind: 'unknown'; exitCode: number | string; line: string; node?: NodeCheck }
  | { kind: 'no-binary-after-install'; reason: string }

export type EnsureResult =
  { path: string } | { problem: ElectronProblem; version: string; installer: string }

/** The variables that turn the download off. Electron 44 and older honoured them at `npm ci`. */
const SKIP_VARIABLES = [
  'ELECTRON_SKIP_BINARY_DOWNLOAD',
  'npm_config_electron_skip_binary_download', // `electron_skip_binary_download=true` in .npmrc
]

/** Where @electron/get reads the mirror from, first match wins (its artifact-utils.js order). */
const MIRROR_VARIABLES = [
  'npm_config_electron_mirror',
  'NPM_CONFIG_ELECTRON_MIRROR',
  'npm_package_config_electron_mirror',
  'ELECTRON_MIRROR',
]

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']

/** `0`, `false` and empty count as unset: nobody writes those meaning "skip". */
export function skipVariable(env: NodeJS.ProcessEnv): Setting | undefined {
  for (const name of SKIP_VARIABLES) {
    const value = env[name]?.trim()
    if (value && value !== '0' && value.toLowerCase() !== 'false') return { name, value }
  }
  return undefined
}

function firstSet(env: NodeJS.ProcessEnv, names: string[]): Setting | undefined {
  for (const name of names) {
    const value = env[name]
    if (value) return { name, value: redactUrl(value) }
  }
  return undefined
}

export const mirrorSetting = (env: NodeJS.ProcessEnv) => firstSet(env, MIRROR_VARIABLES)
export const proxySetting = (env: NodeJS.ProcessEnv) => firstSet(env, PROXY_VARIABLES)

/** A URL fit to print: no user name, password or query (a mirror may carry a token in either). */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text)
    if (!url.username && !url.password && !url.search) return text
    url.username = ''
    url.password = ''
    const query = url.search ? '?…' : ''
    url.search = ''
    return `${url.href}${query}`
  } catch {
    return text.replace(/\/\/[^/@\s]*@/g, '//')
  }
}

/** Free text (an error message, the installer's last words) with every URL in it redacted. */
export function redactText(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (url) => redactUrl(url))
}

/** Certificate and TLS errors, as Node and undici name them. */
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|^ERR_TLS|^ERR_SSL/
/** No route to the outside at all, or no name service: what "offline" looks like to Node. */
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'ENETUNREACH', 'ENETDOWN'])

/**
 * What went wrong, from what the installer asked for and got (the probe's report) and how it
 * exited. Pure, so each cause is unit-tested without a network.
 */
export function classifyInstall(
  events: ProbeEvent[],
  exitCode: number | string,
  env: NodeJS.ProcessEnv,
  node: NodeCheck = { kind: 'ok' },
): ElectronProblem {
  const mirror = mirrorSetting(env)
  const proxy = proxySetting(env)
  const errorText = events
    .flatMap((e) => (e.event === 'console-error' ? [e.text] : []))
    .join('\n')
    .trim()
  const firstLine = redactText(errorText.split('\n')[0] ?? '')
  const failed = events.findLast((e) => e.event === 'fetch-error')
  if (failed?.event === 'fetch-error') {
    const url = redactUrl(failed.url)
    const code = failed.code
    if (code && OFFLINE_CODES.has(code)) return { kind: 'offline', url, code, mirror, proxy }
    if (code && TLS_CODE.test(code)) return { kind: 'tls', url, code, mirror }
    return { kind: 'unreachable', url, code, detail: redactText(failed.message), mirror, proxy }
  }
  const refused = events.findLast((e) => e.event === 'response' && e.status >= 400)
  if (refused?.event === 'response') {
    const { status, statusText } = refused
    return { kind: 'http', url: redactUrl(refused.url), status, statusText, mirror }
  }
  const zip = events.findLast((e) => e.event === 'response' && /\.zip$/.test(e.url))
  const zipUrl = zip?.event === 'response' ? redactUrl(zip.url) : undefined
  const sums = /did not match expected checksum|No checksum found in checksum file/.exec(errorText)
  if (sums) {
    const line = errorText.split('\n').find((l) => l.includes(sums[0])) ?? firstLine
    // "Error: Generated checksum …": the message, without the class name of the error.
    const detail = redactText(line.trim().replace(/^\w*Error: /, ''))
    const remoteChecksums = Boolean(
      env.electron_use_remote_checksums || env.npm_config_electron_use_remote_checksums,
    )
    return { kind: 'checksum', url: zipUrl, detail, remoteChecksums }
  }
  // The body stream broke after a good response (a reset, a proxy cutting a long transfer).
  if (zipUrl && /terminated|ECONNRESET|aborted|socket hang up|other side closed/i.test(errorText))
    return { kind: 'interrupted', url: zipUrl, detail: firstLine }
  return { kind: 'unknown', exitCode, line: firstLine || '(it printed nothing)', node }
}

const STATUS_WORDS: Record<number, string> = {
  401: 'it wants credentials',
  403: 'it refused access',
  404: 'no such file there',
  407: 'the proxy wants credentials',
  429: 'too many requests',
}

const CONNECT_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'timed out connecting',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for an answer',
  UND_ERR_SOCKET: 'the connection closed',
  EHOSTUNREACH: 'no route to that host',
  EPIPE: 'the connection closed',
}

const urlPart = (url: string, part: 'host' | 'origin') => {
  try {
    return part === 'host' ? new URL(url).host : `${new URL(url).origin}/`
  } catch {
    return url
  }
}

/** Where the address came from (the user's mirror setting, or GitHub) and what to do about it. */
function mirrorAdvice(mirror: Setting | undefined, advice: string): string {
  return mirror
    ? `That address comes from ${mirror.name}=${mirror.value}. ${advice} Or unset ${mirror.name} ` +
        'to download from GitHub.'
    : `That is Electron's default download place, GitHub. ${advice} ELECTRON_MIRROR picks another.`
}

/**
 * Word-wrap prose at `width`; lines indented by two spaces (URLs, paths) stay whole so they can
 * be copied.
 */
export function wrap(text: string, width = 100): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('  ') || line.length <= width) return line
      const out: string[] = []
      let current = ''
      for (const word of line.split(' ')) {
        if (current && current.length + 1 + word.length > width) {
          out.push(current)
          current = word
        } else current = current ? `${current} ${word}` : word
      }
      if (current) out.push(current)
      return out.join('\n')
    })
    .join('\n')
}

/**
 * The message for `problem`: what is missing, the cause in words, what to do. What still works
 * without Electron is added by the caller, which knows what it is keeping alive.
 */
export function describeElectronProblem(
  problem: ElectronProblem,
  version: string,
  installer: string,
  command: Command,
): string {
  return wrap(problemLines(problem, version, installer, command).join('\n'))
}

function problemLines(
  problem: ElectronProblem,
  version: string,
  installer: string,
  command: Command,
): string[] {
  const again = `Then run \`${command}\` again.`
  const failed = `Electron is missing: downloading Electron ${version} failed`
  switch (problem.kind) {
    case 'not-installed':
      return [
        `Electron is missing: the electron package is not installed (${problem.dir}).`,
        'Run `npm ci` first.',
      ]
    case 'override':
      return [
        `Electron is missing: ELECTRON_OVERRIDE_DIST_PATH=${problem.value} has no Electron binary ` +
          `(looked for ${problem.binary}).`,
        'That variable means "use this unpacked Electron instead of downloading one": point it at ' +
          `an unpacked Electron ${version}, or unset it so that \`${command}\` downloads Electron.`,
      ]
    case 'skip-variable': {
      const { name, value } = problem.variable
      const viaNpm = name.startsWith('npm_config_')
      return [
        viaNpm
          ? `Electron is missing: npm's configuration sets electron_skip_binary_download=${value} ` +
            `(an .npmrc line, or ${name} in the environment), so Electron ${version} was not downloaded.`
          : `Electron is missing: ${name}=${value} is set in the environment, so Electron ${version} ` +
            'was not downloaded.',
        'Electron 45 fetches its binary on first use, not at `npm ci`, and that setting turns the ' +
          'download off. To download it, ' +
          (viaNpm
            ? 'remove electron_skip_binary_download from your .npmrc (`npm config get ' +
              `electron_skip_binary_download\` shows it) or unset ${name}.`
            : `unset it (\`unset ${name}\`; PowerShell: \`Remove-Item Env:${name}\`).`),
        again,
      ]
    }
    case 'http': {
      const { status, statusText, url, mirror } = problem
      const words = STATUS_WORDS[status] ?? (status >= 500 ? 'the server failed' : undefined)
      return [
        `${failed}: ${urlPart(url, 'origin')} answered ${status}${statusText ? ` ${statusText}` : ''}` +
          `${words ? ` (${words})` : ''} for`,
        `  ${url}`,
        mirrorAdvice(
          mirror,
          status >= 500 || status === 429
            ? `Try again later.`
            : mirror
              ? `Check that the mirror serves Electron ${version} at that path (ELECTRON_CUSTOM_DIR ` +
                'and ELECTRON_CUSTOM_FILENAME shape it).'
              : `Check that Electron ${version} is published for this platform.`,
        ),
      ]
    }
    case 'offline':
      return [
        `${failed}: this machine could not look up or reach ${urlPart(problem.url, 'host')} ` +
          `(${problem.code}): it looks offline, or its name service cannot resolve that host. It wanted`,
        `  ${problem.url}`,
        problem.mirror
          ? `That host comes from ${problem.mirror.name}=${problem.mirror.value}: check the name, ` +
            `or connect to a network that reaches it. ${again}`
          : `Connect to the internet, or set ELECTRON_MIRROR to a mirror you can reach. ${again}`,
        ...(problem.proxy
          ? [`Requests went through the proxy in ${problem.proxy.name}=${problem.proxy.value}.`]
          : []),
      ]
    case 'unreachable': {
      const { code, url, proxy, mirror } = problem
      const words = code ? `${CONNECT_WORDS[code] ?? problem.detail}, ${code}` : problem.detail
      return [
        `${failed}: ${code ? 'could not connect to' : 'the request to'} ${urlPart(url, 'host')} ` +
          `${code ? '' : 'failed '}(${words}) for`,
        `  ${url}`,
        ...(proxy
          ? [
              `Requests went through the proxy in ${proxy.name}=${proxy.value}: check that proxy too.`,
            ]
          : []),
        mirrorAdvice(
          mirror,
          mirror
            ? 'Is that mirror running, and reachable from here?'
            : 'Is GitHub reachable from here?',
        ),
      ]
    }
    case 'tls':
      return [
        `${failed}: the TLS certificate of ${urlPart(problem.url, 'host')} was not accepted ` +
          `(${problem.code}) for`,
        `  ${problem.url}`,
        'Behind a TLS-inspecting proxy, or with a mirror that has its own CA, point ' +
          `NODE_EXTRA_CA_CERTS at that CA certificate (PEM). ${again}`,
      ]
    case 'checksum': {
      const sums = problem.remoteChecksums
        ? "the mirror's SHASUMS256.txt, as electron_use_remote_checksums asks"
        : path.join(path.dirname(installer), 'checksums.json')
      return [
        `Electron is missing: the file downloaded${problem.url ? ' from' : ''}`,
        ...(problem.url ? [`  ${problem.url}`] : []),
        `does not match Electron ${version}'s published SHA-256 checksum (${sums}), so it was not ` +
          `installed. The installer said: ${problem.detail}`,
        `The mirror, or a proxy in between, served a different or damaged file. Check the mirror. ${again}`,
      ]
    }
    case 'interrupted':
      return [
        `Electron is missing: the download of Electron ${version} broke off (${problem.detail})` +
          (problem.url ? ' from' : '.'),
        ...(problem.url ? [`  ${problem.url}`] : []),
        `Nothing was installed; run \`${command}\` again to retry.`,
      ]
    case 'unknown':
      return [
        `Electron is missing: Electron's installer (${installer}) failed (exit ${problem.exitCode}):`,
        `  ${problem.line}`,
        `Run \`node ${installer}\` to see its whole output.`,
        ...(problem.node?.kind === 'app-unsupported' ? [nodeHintText(problem.node)] : []),
      ]
    case 'no-binary-after-install':
      return [
        `Electron is missing: Electron's installer (${installer}) finished, but ${problem.reason}.`,
        `Delete ${path.join(path.dirname(installer), 'dist')} and run \`${command}\` again.`,
      ]
  }
}

function readProbe(file: string): ProbeEvent[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as ProbeEvent]
      } catch {
        return []
      }
    })
}

/** Shorter to read, and what the user can type, when the package is the repository's own. */
function shown(file: string): string {
  const rel = path.relative(REPO_ROOT, file)
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel
}

/**
 * Run Electron's installer with the terminal attached (its progress bar needs it) and the probe
 * preloaded. Proxies: @electron/get honours HTTPS_PROXY / NO_PROXY only when asked to with
 * ELECTRON_GET_USE_PROXY, so a proxy set for everything else is passed on to it too.
 */
async function runInstaller(dir: string, env: NodeJS.ProcessEnv) {
  const work = mkdtempSync(path.join(tmpdir(), 'tokendeck-electron-install-'))
  const report = path.join(work, 'report.jsonl')
  const childEnv: NodeJS.ProcessEnv = { ...env, TOKENDECK_ELECTRON_INSTALL_REPORT: report }
  if (proxySetting(env) && !env.ELECTRON_GET_USE_PROXY) childEnv.ELECTRON_GET_USE_PROXY = '1'
  try {
    const exitCode = await new Promise<number | string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--require', PROBE, path.join(dir, 'install.js')], {
        cwd: REPO_ROOT,
        env: childEnv,
        stdio: 'inherit',
      })
      child.once('error', reject)
      child.once('exit', (code, signal) => resolve(code ?? `signal ${signal ?? '?'}`))
    })
    return { exitCode, events: readProbe(report) }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function readJson(file: string): { version?: string; engines?: { node?: string } } {
  return JSON.parse(readFileSync(file, 'utf8')) as { version?: string; engines?: { node?: string } }
}

/** This Node against what Electron's tooling and the project declare (their package.json). */
export function nodeCheckHere(dir: string = electronPackageDir(), node = process.versions.node) {
  const electronJson = path.join(dir, 'package.json')
  const projectJson = path.join(REPO_ROOT, 'package.json')
  const app = existsSync(electronJson) ? readJson(electronJson).engines?.node : undefined
  const project = readJson(projectJson).engines?.node
  return checkNode(node, {
    app: { range: app ?? '*', source: shown(electronJson) },
    project: { range: project ?? '*', source: `${shown(projectJson)} engines` },
  })
}

/**
 * The Electron binary, downloaded first when it is missing and downloading is allowed.
 * Never downloads when ELECTRON_OVERRIDE_DIST_PATH names another Electron or a skip variable
 * is set. Resolves with the binary's path, or with the problem to tell the user.
 */
export async function ensureElectron(env: NodeJS.ProcessEnv = process.env): Promise<EnsureResult> {
  const dir = electronPackageDir(env)
  const installer = shown(path.join(dir, 'install.js'))
  const found = findElectronBinary(dir, env)
  if (found.path !== undefined) return { path: found.path }
  if (!existsSync(path.join(dir, 'package.json')))
    return { problem: { kind: 'not-installed', dir: shown(dir) }, version: '?', installer }
  const version = readJson(path.join(dir, 'package.json')).version ?? '?'
  const fail = (problem: ElectronProblem): EnsureResult => ({ problem, version, installer })
  const override = env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) {
    const binary = /at (.+)$/.exec(found.reason ?? '')?.[1] ?? path.join(override, 'electron')
    return fail({ kind: 'override', value: override, binary })
  }
  const skip = skipVariable(env)
  if (skip) return fail({ kind: 'skip-variable', variable: skip })

  const node = nodeCheckHere(dir)
  if (node.kind === 'app-unsupported') console.log(wrap(nodeAppNoteText(node)))
  const mirror = mirrorSetting(env)
  console.log(
    `Downloading Electron ${version} (first run only) with Electron's installer, from ` +
      `${mirror ? `${mirror.value} (${mirror.name})` : 'GitHub'}…`,
  )
  const { exitCode, events } = await runInstaller(dir, env)
  if (exitCode !== 0) return fail(classifyInstall(events, exitCode, env, node))
  const after = findElectronBinary(dir, env)
  if (after.path !== undefined) return { path: after.path }
  return fail({ kind: 'no-binary-after-install', reason: after.reason ?? 'there is no binary' })
}
