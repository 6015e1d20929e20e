import { describe, expect, it } from 'vitest'
import os from 'node:os'
import path from 'node:path'
import {
  dataDir,
  keychainService,
  resolveDataDir,
  type DataDirInput,
} from '../../../src/main/core/clusters/dataDir'

const linux = (env: DataDirInput['env'] = {}, profile: DataDirInput['profile'] = 'default') =>
  resolveDataDir({ env, platform: 'linux', homedir: '/home/ada', profile })

describe('resolveDataDir', () => {
  it('Linux: ~/.config/Tokendeck, or under XDG_CONFIG_HOME when set', () => {
    expect(linux()).toBe('/home/ada/.config/Tokendeck')
    expect(linux({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/Tokendeck')
    // Empty counts as unset, as in Chromium.
    expect(linux({ XDG_CONFIG_HOME: '' })).toBe('/home/ada/.config/Tokendeck')
  })

  it('other Unixes follow the Linux rule', () => {
    expect(
      resolveDataDir({ env: {}, platform: 'freebsd', homedir: '/home/ada', profile: 'default' }),
    ).toBe('/home/ada/.config/Tokendeck')
  })

  it('macOS: ~/Library/Application Support/Tokendeck (XDG ignored)', () => {
    expect(
      resolveDataDir({
        env: { XDG_CONFIG_HOME: '/cfg' },
        platform: 'darwin',
        homedir: '/Users/ada',
        profile: 'default',
      }),
    ).toBe('/Users/ada/Library/Application Support/Tokendeck')
  })

  it('Windows: %APPDATA%\\Tokendeck, falling back to the roaming profile folder', () => {
    const win = (env: DataDirInput['env']) =>
      resolveDataDir({ env, platform: 'win32', homedir: 'C:\\Users\\ada', profile: 'default' })
    expect(win({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Tokendeck',
    )
    expect(win({})).toBe('C:\\Users\\ada\\AppData\\Roaming\\Tokendeck')
  })

  it('the demo profile gets its own sibling directory on every platform', () => {
    expect(linux({}, 'demo')).toBe('/home/ada/.config/Tokendeck Demo')
    expect(
      resolveDataDir({ env: {}, platform: 'darwin', homedir: '/Users/ada', profile: 'demo' }),
    ).toBe('/Users/ada/Library/Application Support/Tokendeck Demo')
    expect(
      resolveDataDir({
        env: { APPDATA: 'D:\\AD' },
        platform: 'win32',
        homedir: 'C:\\u',
        profile: 'demo',
      }),
    ).toBe('D:\\AD\\Tokendeck Demo')
  })

  it('TOKENDECK_HOME overrides on every platform; demo lives in its demo/ subdirectory', () => {
    expect(linux({ TOKENDECK_HOME: '/srv/td', XDG_CONFIG_HOME: '/cfg' })).toBe('/srv/td')
    expect(linux({ TOKENDECK_HOME: '/srv/td' }, 'demo')).toBe('/srv/td/demo')
    expect(
      resolveDataDir({
        env: { TOKENDECK_HOME: '/srv/td' },
        platform: 'darwin',
        homedir: '/Users/ada',
        profile: 'default',
      }),
    ).toBe('/srv/td')
    expect(
      resolveDataDir({
        env: { TOKENDECK_HOME: 'E:\\td', APPDATA: 'C:\\x' },
        platform: 'win32',
        homedir: 'C:\\u',
        profile: 'demo',
      }),
    ).toBe('E:\\td\\demo')
    expect(linux({ TOKENDECK_HOME: '' })).toBe('/home/ada/.config/Tokendeck')
  })

  it('rejects a relative TOKENDECK_HOME, which would depend on the working directory', () => {
    expect(() => linux({ TOKENDECK_HOME: 'td' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    )
  })

  it('demo and default never share a directory', () => {
    for (const env of [{}, { TOKENDECK_HOME: '/srv/td' }]) {
      expect(linux(env, 'demo')).not.toBe(linux(env, 'default'))
    }
  })
})

describe('dataDir (process values)', () => {
  it('uses this process environment and home directory', () => {
    const expected = resolveDataDir({
      env: process.env,
      platform: process.platform,
      homedir: os.homedir(),
      profile: 'demo',
    })
    expect(dataDir('demo')).toBe(expected)
    expect(path.isAbsolute(dataDir())).toBe(true)
  })
})

describe('keychainService', () => {
  it('names one keychain service per profile', () => {
    expect(keychainService('default')).toBe('Tokendeck')
    expect(keychainService()).toBe('Tokendeck')
    expect(keychainService('demo')).toBe('Tokendeck Demo')
  })
})
