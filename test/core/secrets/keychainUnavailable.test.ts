// KEYCHAIN_UNAVAILABLE: the real keytar in child processes that cannot reach a Secret Service,
// the mapping of every OS message to what really happened, and the timeout mapping with a keytar
// stand-in that never answers.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import {
  classifyKeychainFailure,
  keychainUnavailable,
} from '../../../src/main/core/secrets/keychainErrors'
import { KeytarSecretStore, type KeytarApi } from '../../../src/main/core/secrets/keytarStore'
import { TimeoutError } from '../../../src/main/core/secrets/withTimeout'

const work = mkdtempSync(join(tmpdir(), 'tokendeck-secrets-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const storeModule = pathToFileURL(
  resolve(__dirname, '../../../src/main/core/secrets/keytarStore.ts'),
).href
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')
const script = join(work, 'probe.mts')
// check() first (reads only); if it answers, one write, which is where a keychain without a
// usable keyring fails.
writeFileSync(
  script,
  `import { KeytarSecretStore } from ${JSON.stringify(storeModule)}
const store = new KeytarSecretStore({ service: 'Tokendeck Test unreachable', namespace: 'probe-ns', firstCallTimeoutMs: 20000 })
let checked = false
try {
  await store.check()
  checked = true
  await store.setCredential('probe', { kind: 'refresh-token', value: 'probe-value', binding: { vendor: 'weka', origin: 'https://weka01:14000', username: 'admin' } })
  await store.deleteCredential('probe')
  console.log(JSON.stringify({ ok: true, checked }))
}
catch (e) { console.log(JSON.stringify({ checked, name: e.name, code: e.code, message: e.message })) }
`,
)

interface Outcome {
  ok?: boolean
  checked?: boolean
  code?: string
  message?: string
}

/** Runs the script in a child with the given environment, optionally under a command (dbus-run-session). */
function probeIn(env: NodeJS.ProcessEnv, wrapper: string[] = []): Promise<Outcome> {
  const argv = [...wrapper, process.execPath, tsxCli, script]
  return new Promise((done, fail) => {
    const child = spawn(argv[0] ?? '', argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', fail)
    child.on('close', () => {
      const line = out.trim().split('\n').pop() ?? ''
      try {
        done(JSON.parse(line) as Outcome)
      } catch {
        fail(new Error(`child printed no result: ${out}\n${err}`))
      }
    })
  })
}

/** The parent's environment minus every way to find a session bus, plus a throwaway HOME. */
function isolatedEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(work, 'home-'))
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_RUNTIME_DIR: home,
    XDG_DATA_HOME: home,
    ...extra,
  }
  delete env.DISPLAY
  delete env.WAYLAND_DISPLAY
  delete env.GNOME_KEYRING_CONTROL
  if (!('DBUS_SESSION_BUS_ADDRESS' in extra)) delete env.DBUS_SESSION_BUS_ADDRESS
  return env
}

const SESSION_ONLY = 'This session only'
const AGENT_SESSION_ONLY = '`tokendeck agent --session-only`'

describe.skipIf(process.platform !== 'linux')(
  'KEYCHAIN_UNAVAILABLE from the real keytar on Linux',
  () => {
    it('when the session bus address points to a socket that does not exist', async () => {
      const r = await probeIn(isolatedEnv({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' }))
      expect(r.checked).toBe(false)
      expect(r.code).toBe('KEYCHAIN_UNAVAILABLE')
      expect(r.message).toContain(AGENT_SESSION_ONLY)
      expect(r.message).toContain('D-Bus session bus')
      expect(r.message).toContain('dbus-run-session')
      expect(r.message).toContain(SESSION_ONLY)
    })

    it('when there is no session bus at all (no DBUS_SESSION_BUS_ADDRESS, no $DISPLAY)', async () => {
      const r = await probeIn(isolatedEnv({}))
      expect(r.checked).toBe(false)
      expect(r.code).toBe('KEYCHAIN_UNAVAILABLE')
      expect(r.message).toContain('DBUS_SESSION_BUS_ADDRESS')
      expect(r.message).toContain(SESSION_ONLY)
    })

    it('when the bus runs but no Secret Service is installed', async () => {
      // A bus with no service directories: nothing can be activated for org.freedesktop.secrets.
      const config = join(work, 'bare-session.conf')
      writeFileSync(
        config,
        `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${work}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>`,
      )
      const r = await probeIn(isolatedEnv({}), [
        'dbus-run-session',
        `--config-file=${config}`,
        '--',
      ])
      expect(r.checked).toBe(false)
      expect(r.code).toBe('KEYCHAIN_UNAVAILABLE')
      expect(r.message).toContain('No Secret Service')
      expect(r.message).toContain('gnome-keyring')
      expect(r.message).toContain('KeePassXC')
      expect(r.message).toContain(SESSION_ONLY)
    })
  },
)

// With gnome-keyring installed, the bus starts it on demand; in a fresh HOME it has no login
// keyring and must ask the user to create one, but its prompter has no display: the prompt fails.
// Reading works (there is nothing to read), so check() answers; the first write says what to do.
const gnomeKeyringActivatable = existsSync(
  '/usr/share/dbus-1/services/org.freedesktop.secrets.service',
)

describe.skipIf(process.platform !== 'linux' || !gnomeKeyringActivatable)(
  'KEYCHAIN_UNAVAILABLE when there is no keyring and its prompt cannot be shown (gnome-keyring installed)',
  () => {
    it('check() answers without writing; storing tells the user to create or unlock a keyring', async () => {
      const r = await probeIn(isolatedEnv({}), ['dbus-run-session', '--'])
      expect(r.checked).toBe(true)
      expect(r.code).toBe('KEYCHAIN_UNAVAILABLE')
      expect(r.message).toContain('no default keyring')
      expect(r.message).toContain('Create and unlock one')
      expect(r.message).not.toContain('probe-value')
      expect(r.message).toContain(SESSION_ONLY)
      expect(r.message).toContain(AGENT_SESSION_ONLY)
    })
  },
)

describe('keychain failures map to what really happened', () => {
  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'no-session-bus'],
    ['Could not connect: No such file or directory', 'no-session-bus'],
    ['Could not connect: Permission denied', 'no-session-bus'],
    [
      'The name org.freedesktop.secrets was not provided by any .service files',
      'no-secret-service',
    ],
    [
      'GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided',
      'no-secret-service',
    ],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'no-keyring'],
    ['Object does not exist at path “/org/freedesktop/secrets/aliases/default”', 'no-keyring'],
    ['No such secret collection at path: /org/freedesktop/secrets/collection/x', 'no-keyring'],
    // Another process deleted the entry between libsecret's search and its next call (this is
    // what used to be reported as "the keychain is locked").
    [
      'Object does not exist at path “/org/freedesktop/secrets/collection/login/510”',
      'changed-concurrently',
    ],
    [
      'No such interface “org.freedesktop.Secret.Item” on object at path /org/freedesktop/secrets/collection/login/496',
      'changed-concurrently',
    ],
    ['Cannot create an item in a locked collection', 'locked'],
    ['Prompt dismissed', 'locked'],
    ['User canceled the operation.', 'locked'],
    ['User interaction is not allowed.', 'locked'],
    ['GDBus.Error:org.freedesktop.DBus.Error.AccessDenied: Rejected send message', 'denied'],
    ['Access is denied.', 'denied'],
    ['libsecret-1.so.0: cannot open shared object file: No such file or directory', 'no-library'],
    ['something new', 'unknown'],
  ])('%s → %s', (message, kind) => {
    expect(classifyKeychainFailure(new Error(message))).toBe(kind)
  })

  it('a timeout is its own kind', () => {
    expect(classifyKeychainFailure(new TimeoutError(5))).toBe('timeout')
  })

  it.each<[string, RegExp]>([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', /dbus-run-session/],
    ['The name org.freedesktop.secrets was not provided by any .service files', /GNOME Keyring/],
    [
      'Object does not exist at path “/org/freedesktop/secrets/collection/login”',
      /no default keyring/,
    ],
    ['Cannot create an item in a locked collection', /locked or its unlock prompt was dismissed/],
    ['Access is denied.', /denied Tokendeck access/],
    ['libsecret-1.so.0: cannot open shared object file', /install libsecret/],
  ])('every message says what to do and offers the session-only way out: %s', (os, words) => {
    const e = keychainUnavailable(new Error(os), { action: 'store a sign-in' })
    expect(e.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(e.message).toMatch(words)
    expect(e.message).toContain(
      'or run `tokendeck agent --session-only` / choose "This session only" in the app to keep secrets in memory until it quits',
    )
  })
})

/** A keytar stand-in whose calls answer after `delayMs()` (Infinity: never) with an empty keychain. */
function slowKeytar(delayMs: () => number): KeytarApi {
  const after = <T>(value: T): Promise<T> =>
    new Promise((done) => {
      const ms = delayMs()
      if (Number.isFinite(ms)) setTimeout(() => done(value), ms)
    })
  return {
    getPassword: () => after(null),
    setPassword: () => after(undefined),
    deletePassword: () => after(false),
  }
}

describe('timeouts', () => {
  const namespace = 'timeouts'

  it('a keychain that never answers becomes KEYCHAIN_UNAVAILABLE naming the wait', async () => {
    const store = new KeytarSecretStore({
      service: 'Tokendeck Test hang',
      namespace,
      keytar: slowKeytar(() => Infinity),
      firstCallTimeoutMs: 50,
    })
    const error = await store.check().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
    expect((error as Error).message).toContain('did not answer within')
    expect((error as Error).message).toContain('unlock prompt')
    expect((error as Error).message).toContain(SESSION_ONLY)
    expect((error as Error).message).toContain(AGENT_SESSION_ONLY)
  })

  it('gives the first call the long timeout (unlock prompt) and later ones the short one', async () => {
    const store = new KeytarSecretStore({
      service: 'Tokendeck Test slow',
      namespace,
      keytar: slowKeytar(() => 150),
      firstCallTimeoutMs: 2_000,
      callTimeoutMs: 30,
    })
    await expect(store.getCredential('slow')).resolves.toBeUndefined() // 150 ms < 2 s
    await expect(store.getCredential('slow')).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
    }) // 150 ms > 30 ms
  })

  it('keeps the long timeout until the keychain has answered once, and recovers after a timeout', async () => {
    let delay = Infinity
    const store = new KeytarSecretStore({
      service: 'Tokendeck Test recover',
      namespace,
      keytar: slowKeytar(() => delay),
      firstCallTimeoutMs: 300,
      callTimeoutMs: 20,
    })
    await expect(store.getCredential('slow')).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
    })
    delay = 100 // the user answered the prompt: slower than the short timeout, within the long one
    await expect(store.getCredential('slow')).resolves.toBeUndefined()
  })
})
