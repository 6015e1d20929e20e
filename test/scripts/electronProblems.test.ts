/**
 * Each way the Electron download can fail, from the installer's report to the one message the
 * user reads: the causes the loopback tests cannot produce (offline, TLS, a proxy, a broken
 * transfer, the unexplained) and the rules every message keeps (one headline, no credentials).
 */
import { describe, expect, it } from 'vitest'
import {
  classifyInstall,
  describeElectronProblem,
  redactText,
  redactUrl,
  skipVariable,
  wrap,
  type ProbeEvent,
} from '../../scripts/lib/electronDownload'
import { checkNode } from '../../scripts/lib/nodeVersion'

const V = '45.4.1'
const INSTALLER = 'node_modules/electron/install.js'
const GITHUB_ZIP = `https://github.com/electron/electron/releases/download/v${V}/electron-v${V}-linux-x64.zip`
const MIRROR = 'http://127.0.0.1:9999/'
const MIRROR_ZIP = `${MIRROR}v${V}/electron-v${V}-linux-x64.zip`

const stack = (first: string): ProbeEvent => ({
  event: 'console-error',
  text: `${first}\n    at FetchDownloader.download (file:///x/FetchDownloader.js:48:23)`,
})

/** The message, on one line, so wrapping does not matter to what is asserted. */
function message(events: ProbeEvent[], env: NodeJS.ProcessEnv = {}, exitCode = 1): string {
  const text = describeElectronProblem(
    classifyInstall(events, exitCode, env),
    V,
    INSTALLER,
    'npm start',
  )
  expect(text.match(/Electron is missing/g)).toHaveLength(1)
  expect(text).not.toMatch(/^\s+at /m)
  return text.replace(/\s+/g, ' ')
}

describe('classifying what the installer reported', () => {
  it('offline: the name cannot be resolved (ENOTFOUND, EAI_AGAIN)', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const events: ProbeEvent[] = [
        { event: 'fetch-error', url: GITHUB_ZIP, code, message: `getaddrinfo ${code} github.com` },
        stack('TypeError: fetch failed'),
      ]
      expect(classifyInstall(events, 1, {}).kind).toBe('offline')
      const text = message(events)
      expect(text).toContain(
        `downloading Electron ${V} failed: this machine could not look up or reach github.com (${code}): it looks offline`,
      )
      expect(text).toContain(GITHUB_ZIP)
      expect(text).toContain('Connect to the internet, or set ELECTRON_MIRROR')
    }
  })

  it('offline with a mirror: names the variable that gave the host', () => {
    const env = { ELECTRON_MIRROR: 'https://mirror.corp.example/electron/' }
    const text = message(
      [
        {
          event: 'fetch-error',
          url: 'https://mirror.corp.example/electron/x.zip',
          code: 'ENOTFOUND',
          message: 'x',
        },
      ],
      env,
    )
    expect(text).toContain(
      'That host comes from ELECTRON_MIRROR=https://mirror.corp.example/electron/',
    )
  })

  it('mirror unreachable: connection refused, with the URL asked for', () => {
    const text = message(
      [
        {
          event: 'fetch-error',
          url: MIRROR_ZIP,
          code: 'ECONNREFUSED',
          message: 'connect ECONNREFUSED',
        },
      ],
      { ELECTRON_MIRROR: MIRROR },
    )
    expect(text).toContain(
      `could not connect to 127.0.0.1:9999 (connection refused, ECONNREFUSED) for ${MIRROR_ZIP}`,
    )
    expect(text).toContain(`That address comes from ELECTRON_MIRROR=${MIRROR}.`)
    expect(text).toContain('Is that mirror running, and reachable from here?')
  })

  it('through a proxy: says so (and never prints the proxy password)', () => {
    const text = message(
      [{ event: 'fetch-error', url: GITHUB_ZIP, code: 'ECONNREFUSED', message: 'refused' }],
      { HTTPS_PROXY: 'http://me:hunter2@proxy.corp.example:3128' },
    )
    expect(text).toContain('through the proxy in HTTPS_PROXY=http://proxy.corp.example:3128/')
    expect(text).not.toContain('hunter2')
  })

  it('an HTTP error: the status and the file it wanted', () => {
    const text = message(
      [{ event: 'response', url: MIRROR_ZIP, status: 404, statusText: 'Not Found' }],
      { ELECTRON_MIRROR: MIRROR },
    )
    expect(text).toContain(
      `${MIRROR} answered 404 Not Found (no such file there) for ${MIRROR_ZIP}`,
    )
    expect(text).toContain(`Check that the mirror serves Electron ${V} at that path`)
    const busy = message([{ event: 'response', url: GITHUB_ZIP, status: 503, statusText: '' }])
    expect(busy).toContain('answered 503 (the server failed)')
    expect(busy).toContain('Try again later.')
  })

  it('a certificate not accepted: NODE_EXTRA_CA_CERTS', () => {
    const events: ProbeEvent[] = [
      {
        event: 'fetch-error',
        url: GITHUB_ZIP,
        code: 'SELF_SIGNED_CERT_IN_CHAIN',
        message: 'self-signed',
      },
    ]
    expect(classifyInstall(events, 1, {}).kind).toBe('tls')
    expect(message(events)).toContain(
      'the TLS certificate of github.com was not accepted (SELF_SIGNED_CERT_IN_CHAIN)',
    )
    expect(message(events)).toContain('NODE_EXTRA_CA_CERTS')
  })

  it('a checksum mismatch: names the file, the checksums it was held to, the installer words', () => {
    const events: ProbeEvent[] = [
      { event: 'response', url: MIRROR_ZIP, status: 200, statusText: 'OK' },
      stack(
        `Error: Generated checksum for "electron-v${V}-linux-x64.zip" did not match expected checksum.`,
      ),
    ]
    const text = message(events, { ELECTRON_MIRROR: MIRROR })
    expect(text).toContain(
      `the file downloaded from ${MIRROR_ZIP} does not match Electron ${V}'s published SHA-256 checksum (node_modules/electron/checksums.json)`,
    )
    expect(text).toContain(
      `The installer said: Generated checksum for "electron-v${V}-linux-x64.zip"`,
    )
    const remote = message(events, { ELECTRON_MIRROR: MIRROR, electron_use_remote_checksums: '1' })
    expect(remote).toContain("the mirror's SHASUMS256.txt")
  })

  it('a transfer cut off after a good answer: "broke off", run again', () => {
    const events: ProbeEvent[] = [
      { event: 'response', url: GITHUB_ZIP, status: 200, statusText: 'OK' },
      stack('TypeError: terminated'),
    ]
    expect(message(events)).toContain(
      `the download of Electron ${V} broke off (TypeError: terminated) from ${GITHUB_ZIP}`,
    )
  })

  it('anything else: quotes the installer, with credentials removed, and the Node hint when due', () => {
    const events = [
      stack('Error: EACCES: permission denied, open https://u:pw@mirror.example/a?token=x'),
    ]
    const node = checkNode('20.20.2', {
      app: { range: '>= 22.12.0', source: 'node_modules/electron/package.json' },
      project: { range: '^20.19.0 || >=22.12.0', source: 'package.json engines' },
    })
    const text = describeElectronProblem(
      classifyInstall(events, 1, {}, node),
      V,
      INSTALLER,
      'npm start',
    )
    const flat = text.replace(/\s+/g, ' ')
    expect(flat).toContain(
      `Electron's installer (${INSTALLER}) failed (exit 1): Error: EACCES: permission denied, open https://mirror.example/a?…`,
    )
    expect(flat).toContain(`Run \`node ${INSTALLER}\` to see its whole output.`)
    expect(flat).toContain('This is Node 20.20.2, outside the >= 22.12.0')
    expect(text).not.toMatch(/pw@|token=x/)
  })
})

describe('the rules of every message', () => {
  it('skip variables: set means a value other than empty, 0 or false', () => {
    expect(skipVariable({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })).toEqual({
      name: 'ELECTRON_SKIP_BINARY_DOWNLOAD',
      value: '1',
    })
    for (const value of ['', '0', 'false', 'FALSE'])
      expect(skipVariable({ ELECTRON_SKIP_BINARY_DOWNLOAD: value })).toBeUndefined()
    expect(skipVariable({ npm_config_electron_skip_binary_download: 'true' })?.name).toBe(
      'npm_config_electron_skip_binary_download',
    )
    const text = describeElectronProblem(
      {
        kind: 'skip-variable',
        variable: { name: 'npm_config_electron_skip_binary_download', value: 'true' },
      },
      V,
      INSTALLER,
      'npm run dev',
    ).replace(/\s+/g, ' ')
    expect(text).toContain("npm's configuration sets electron_skip_binary_download=true")
    expect(text).toContain('Then run `npm run dev` again.')
  })

  it('URLs lose user, password and query, in a URL and inside free text', () => {
    expect(redactUrl('https://u:p@mirror.example/e/?t=1')).toBe('https://mirror.example/e/?…')
    expect(redactUrl(MIRROR)).toBe(MIRROR)
    expect(redactText('failed for http://a:b@h.example:8/x and ftp://c@d/')).toBe(
      'failed for http://h.example:8/x and ftp://d/',
    )
  })

  it('wrap: prose at 100 columns, indented lines (URLs) whole', () => {
    const long = `${'word '.repeat(40)}end`
    const url = `  https://example.test/${'x'.repeat(120)}`
    const out = wrap(`${long}\n${url}`)
    expect(
      out
        .split('\n')
        .slice(0, -1)
        .every((l) => l.length <= 100),
    ).toBe(true)
    expect(out.endsWith(url)).toBe(true)
    expect(out.replace(/\s+/g, ' ')).toContain(long)
  })
})
