/**
 * Where Tokendeck keeps its non-secret data (clusters.json).
 *
 * The app's directory is what Electron's `app.getPath('userData')` returns for the app name
 * "Tokendeck", computed here without Electron so the command-line companion reads and writes the
 * very same file as the desktop app:
 *
 *   Linux (and other Unixes)  $XDG_CONFIG_HOME/Tokendeck  (default ~/.config/Tokendeck)
 *   macOS                     ~/Library/Application Support/Tokendeck
 *   Windows                   %APPDATA%\Tokendeck          (default ~\AppData\Roaming\Tokendeck)
 *
 * `TOKENDECK_HOME` (an absolute path) replaces that directory, for tests and portable installs.
 *
 * The demo profile gets a directory of its own so demo clusters never mix with real ones:
 *   without TOKENDECK_HOME  a sibling named "Tokendeck Demo" (what Electron would use for an app
 *                           of that name), e.g. ~/.config/Tokendeck Demo
 *   with TOKENDECK_HOME     $TOKENDECK_HOME/demo
 * Its keychain entries likewise live under their own service name (see keychainService).
 */
import os from 'node:os'
import path from 'node:path'
import { TokendeckError } from '../../../shared/errors'

export type Profile = 'default' | 'demo'

export const APP_NAME = 'Tokendeck'
export const DEMO_APP_NAME = 'Tokendeck Demo'

export interface DataDirInput {
  env: Readonly<Record<string, string | undefined>>
  platform: NodeJS.Platform
  homedir: string
  profile: Profile
}

/** The data directory for a profile, from explicit inputs (pure: no process state read). */
export function resolveDataDir({ env, platform, homedir, profile }: DataDirInput): string {
  // Join with the target platform's rules, not the host's, so the answer for 'win32' is right
  // wherever this runs (and the tests can check every platform on one machine).
  const p = platform === 'win32' ? path.win32 : path.posix

  const override = nonEmpty(env.TOKENDECK_HOME)
  if (override !== undefined) {
    // A relative override would silently depend on the working directory: the app and the CLI
    // started from different places would then disagree about where the clusters are.
    if (!p.isAbsolute(override)) {
      throw new TokendeckError(
        'INVALID_INPUT',
        `TOKENDECK_HOME must be an absolute path (it is "${override}").`,
      )
    }
    return profile === 'demo' ? p.join(override, 'demo') : p.normalize(override)
  }

  const appName = profile === 'demo' ? DEMO_APP_NAME : APP_NAME
  return p.join(appDataDir(env, platform, homedir, p), appName)
}

/** Electron's `app.getPath('appData')`: the per-user folder apps keep their data in. */
function appDataDir(
  env: DataDirInput['env'],
  platform: NodeJS.Platform,
  homedir: string,
  p: path.PlatformPath,
): string {
  switch (platform) {
    case 'win32':
      return nonEmpty(env.APPDATA) ?? p.join(homedir, 'AppData', 'Roaming')
    case 'darwin':
      return p.join(homedir, 'Library', 'Application Support')
    default:
      // Chromium takes XDG_CONFIG_HOME as given when it is set and non-empty; we do the same so
      // that we land where Electron does, even in the odd case of a relative value.
      return nonEmpty(env.XDG_CONFIG_HOME) ?? p.join(homedir, '.config')
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

/** The data directory for this process (its environment, platform and home directory). */
export function dataDir(profile: Profile = 'default'): string {
  return resolveDataDir({
    env: process.env,
    platform: process.platform,
    homedir: os.homedir(),
    profile,
  })
}

/** The OS keychain service name the profile's secrets are stored under. */
export function keychainService(profile: Profile = 'default'): string {
  return profile === 'demo' ? DEMO_APP_NAME : APP_NAME
}
