/**
 * The parts of `tokendeck exec` that need no cluster: file formats, the environment, when the
 * token is renewed, the command-line check, the private directory and its sweep.
 */
import { spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TokendeckError } from '../../../src/shared/errors'
import type { Cluster } from '../../../src/shared/model'
import { signalExitCode } from '../../../src/main/cli/exec/child'
import { checkCommand } from '../../../src/main/cli/exec/commandLine'
import {
  execEnvironment,
  qqCredentialsJson,
  wekaAuthTokenJson,
} from '../../../src/main/cli/exec/credentialFiles'
import { PrivateDir, sweepStaleDirs } from '../../../src/main/cli/exec/privateDir'
import {
  MIN_CHECK_MS,
  NO_EXPIRY_CHECK_MS,
  TokenKeeper,
  nextCheckDelay,
  type TokenGrant,
} from '../../../src/main/cli/exec/tokenKeeper'

const cluster = (vendor: Cluster['vendor']): Cluster => ({
  id: 'c-1',
  vendor,
  name: 'prod',
  url: 'https://weka01:14000',
  username: 'admin',
  trust: { sha256: `${'AB:'.repeat(31)}AB` },
})

describe('token files', () => {
  it('auth-token.json: the three keys of weka user login, alphabetical, no refresh token', () => {
    const text = wekaAuthTokenJson('eyJ.a.b')
    expect(text).toBe('{"access_token":"eyJ.a.b","refresh_token":"","token_type":"Bearer"}\n')
  })

  it('qq credentials: as qq login writes them', () => {
    expect(qqCredentialsJson('session-v1:x"y')).toBe(
      '{"bearer_token": "session-v1:x\\"y", "version": 1}\n',
    )
    expect(JSON.parse(qqCredentialsJson('t'))).toEqual({ bearer_token: 't', version: 1 })
  })
})

describe('the command’s environment', () => {
  const files = { caBundle: '/p/ca.pem', wekaToken: '/p/auth-token.json' }

  it('sets ours, keeps the rest, and drops TOKENDECK_ variables of an outer exec', () => {
    const env = execEnvironment({
      inherited: { PATH: '/bin', TOKENDECK_COOKIE: 'token=old', TOKENDECK_HOME: '/h' },
      cluster: cluster('weka'),
      accessToken: 'tok',
      files,
      caEnv: true,
    })
    expect(env).toEqual({
      PATH: '/bin',
      TOKENDECK_HOME: '/h',
      TOKENDECK_CLUSTER: 'prod',
      TOKENDECK_CLUSTER_ID: 'c-1',
      TOKENDECK_CLUSTER_URL: 'https://weka01:14000',
      TOKENDECK_VENDOR: 'weka',
      TOKENDECK_ACCESS_TOKEN: 'tok',
      TOKENDECK_CA_BUNDLE: '/p/ca.pem',
      CURL_CA_BUNDLE: '/p/ca.pem',
      REQUESTS_CA_BUNDLE: '/p/ca.pem',
      WEKA_TOKEN: '/p/auth-token.json',
    })
  })

  it('never sets process-wide trust; --no-ca-env keeps the inherited tool variables', () => {
    const env = execEnvironment({
      inherited: { CURL_CA_BUNDLE: '/etc/mine.pem', SSL_CERT_FILE: '/etc/ssl.pem' },
      cluster: cluster('swarm'),
      accessToken: 'abc',
      files: { caBundle: '/p/ca.pem' },
      caEnv: false,
    })
    expect(env['CURL_CA_BUNDLE']).toBe('/etc/mine.pem')
    expect(env['REQUESTS_CA_BUNDLE']).toBeUndefined()
    expect(env['SSL_CERT_FILE']).toBe('/etc/ssl.pem')
    expect(env['NODE_EXTRA_CA_CERTS']).toBeUndefined()
    expect(env['TOKENDECK_COOKIE']).toBe('token=abc')
    expect(env['WEKA_TOKEN']).toBeUndefined()
  })
})

describe('when the token is renewed', () => {
  const margin = 60_000

  it('just inside the owner’s margin for a normal token', () => {
    expect(nextCheckDelay(300_000, 0, margin)).toBe(241_000)
  })

  it('at half of what is left for a token shorter than the margin, at most once a second', () => {
    expect(nextCheckDelay(4_000, 0, margin)).toBe(2_000)
    expect(nextCheckDelay(500, 0, margin)).toBe(MIN_CHECK_MS)
    expect(nextCheckDelay(-5_000, 0, margin)).toBe(MIN_CHECK_MS)
  })

  it('every minute without an expiry', () => {
    expect(nextCheckDelay(undefined, 0, margin)).toBe(NO_EXPIRY_CHECK_MS)
  })
})

describe('TokenKeeper', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  function keeper(fetch: () => Promise<TokenGrant>) {
    const written: string[] = []
    const warnings: string[] = []
    const k = new TokenKeeper({
      clusterName: 'prod',
      current: { token: 't0', expiresAt: 300_000 },
      marginMs: 60_000,
      what: '$WEKA_TOKEN',
      fetch,
      write: (t) => written.push(t),
      warn: (w) => warnings.push(w),
    })
    return { k, written, warnings }
  }

  it('asks the owner inside its margin and rewrites the file only with a new token', async () => {
    let n = 0
    const fetch = vi.fn(async () => ({ token: `t${++n}`, expiresAt: Date.now() + 300_000 }))
    const { k, written } = keeper(fetch)
    k.start()
    await vi.advanceTimersByTimeAsync(240_999)
    expect(fetch).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(written).toEqual(['t1'])
    await vi.advanceTimersByTimeAsync(241_000)
    expect(written).toEqual(['t1', 't2'])
    await k.stop()
  })

  it('retries failures with backoff, says so once, and says when it works again', async () => {
    let fail = 3
    const fetch = vi.fn(async () => {
      if (fail-- > 0) throw new TokendeckError('UNREACHABLE', 'Could not reach weka01:14000.')
      return { token: 't1', expiresAt: Date.now() + 300_000 }
    })
    const { k, written, warnings } = keeper(fetch)
    k.start()
    await vi.advanceTimersByTimeAsync(241_000) // first try fails
    await vi.advanceTimersByTimeAsync(2_000) // second
    await vi.advanceTimersByTimeAsync(4_000) // third
    expect(fetch).toHaveBeenCalledTimes(3)
    expect(written).toEqual([])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /could not renew the token in \$WEKA_TOKEN for prod: Could not reach/,
    )
    await vi.advanceTimersByTimeAsync(8_000)
    expect(written).toEqual(['t1'])
    expect(warnings[1]).toMatch(/again/)
    await k.stop()
  })

  it('never passes on the message of an error that is not ours (it could hold anything)', async () => {
    const { k, warnings } = keeper(async () => {
      throw new Error('secret-in-here')
    })
    k.start()
    await vi.advanceTimersByTimeAsync(241_000)
    expect(warnings.join()).not.toContain('secret-in-here')
    await k.stop()
  })

  it('stop() waits for a renewal in flight and writes nothing after it', async () => {
    let release!: (g: TokenGrant) => void
    const { k, written } = keeper(() => new Promise<TokenGrant>((r) => (release = r)))
    k.start()
    await vi.advanceTimersByTimeAsync(241_000)
    let stopped = false
    const stopping = k.stop().then(() => (stopped = true))
    await vi.advanceTimersByTimeAsync(0)
    expect(stopped).toBe(false)
    release({ token: 't1', expiresAt: 600_000 })
    await stopping
    expect(written).toEqual([])
  })
})

describe('the command line', () => {
  const raw = (...a: string[]) => ['node', 'tokendeck', ...a]

  it('takes the command after -- as it is, and without -- when nothing was taken from it', () => {
    expect(() =>
      checkCommand(
        'prod',
        ['curl', '--json', 'x'],
        raw('exec', 'prod', '--', 'curl', '--json', 'x'),
      ),
    ).not.toThrow()
    expect(() =>
      checkCommand('prod', ['ls', '-la'], raw('exec', 'prod', 'ls', '-la')),
    ).not.toThrow()
    expect(() =>
      checkCommand('prod', ['ls'], raw('--json', 'exec', '--no-ca-env', 'prod', 'ls')),
    ).not.toThrow()
    expect(() => checkCommand('prod', ['sh'], raw('exec', '--', 'prod', 'sh'))).not.toThrow()
  })

  it('refuses when tokendeck took an option out of the command', () => {
    expect(() =>
      checkCommand('prod', ['curl', 'x'], raw('exec', 'prod', 'curl', '--json', 'x')),
    ).toThrow(/put -- right before it/)
    // `node -- x`: commander drops that -- too.
    expect(() =>
      checkCommand('prod', ['node', 'x'], raw('exec', 'prod', 'node', '--', 'x')),
    ).toThrow(TokendeckError)
  })

  it('128 + n for a command killed by signal n', () => {
    expect(signalExitCode('SIGTERM')).toBe(143)
    expect(signalExitCode('SIGINT')).toBe(130)
  })
})

describe('the private directory', () => {
  let base: string
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'tokendeck-privdir-test-'))
  })
  afterEach(() => {
    rmSync(base, { recursive: true, force: true })
  })

  it('is 0700 with 0600 files replaced atomically, and is removed once', () => {
    const dir = PrivateDir.create(base)
    dir.write('a.json', 'one')
    dir.write('a.json', 'two')
    expect(readFileSync(dir.file('a.json'), 'utf8')).toBe('two')
    expect(readdirSync(dir.dir)).toEqual(['a.json']) // no temp file left
    if (process.platform !== 'win32') {
      expect(statSync(dir.dir).mode & 0o777).toBe(0o700)
      expect(statSync(dir.file('a.json')).mode & 0o777).toBe(0o600)
    }
    expect(process.listeners('exit')).toContain((dir as unknown as { onExit: unknown }).onExit)
    dir.remove()
    expect(existsSync(dir.dir)).toBe(false)
    dir.write('a.json', 'three') // after removal: nothing
    expect(existsSync(dir.dir)).toBe(false)
    expect(process.listeners('exit')).not.toContain((dir as unknown as { onExit: unknown }).onExit)
  })

  it.skipIf(process.platform === 'win32')(
    'the sweep removes directories of exec processes that are gone, and no other',
    async () => {
      const child = spawn(process.execPath, ['-e', '0'])
      const deadPid = child.pid!
      await new Promise((r) => child.once('exit', r))
      const dead = join(base, `tokendeck-exec-${deadPid}-abcDEF`)
      const alive = join(base, `tokendeck-exec-${process.pid}-abcDEF`)
      const other = join(base, `tokendeck-exec-probe-abcdef`)
      for (const d of [dead, alive, other]) mkdirSync(d)
      sweepStaleDirs(base)
      expect(existsSync(dead)).toBe(false)
      expect(existsSync(alive)).toBe(true)
      expect(existsSync(other)).toBe(true)
    },
  )
})
