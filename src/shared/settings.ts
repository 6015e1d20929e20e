/**
 * User preferences, stored beside the clusters in the config file (never a secret), and a change
 * to some of them. Shared by main, preload and renderer; re-exported by model.ts.
 */
import { z } from 'zod'

/** What Settings suggests when the user turns the global shortcut on. */
export const DEFAULT_GLOBAL_SHORTCUT = 'CommandOrControl+Shift+K'

/** An Electron accelerator: modifiers and one key joined by "+" ("CommandOrControl+Shift+K"). */
export const GlobalShortcut = z
  .string()
  .max(64)
  .regex(
    /^([A-Za-z]+\+)+[A-Za-z0-9]{1,9}$/,
    'a shortcut is modifiers and one key joined by "+", such as CommandOrControl+Shift+K',
  )
export const ClusterGroupBy = z.enum(['none', 'tag', 'vendor'])
export type ClusterGroupBy = z.infer<typeof ClusterGroupBy>
export const ClusterSortBy = z.enum(['name', 'vendor', 'status', 'timeLeft'])
export type ClusterSortBy = z.infer<typeof ClusterSortBy>

/** User preferences, stored beside the clusters in the config file (never a secret). */
export const Settings = z.strictObject({
  /** Seconds before a copied value is cleared from the clipboard; 0 = never. */
  clipboardClearSeconds: z.number().int().min(0).max(3600).default(30),
  /**
   * Clear a value Tokendeck copied when Tokendeck quits (if the clipboard still holds it),
   * whatever `clipboardClearSeconds` says — "never" only turns off the timed clear. Off only
   * when the user opts out.
   */
  clipboardClearOnQuit: z.boolean().default(true),
  /** Refresh an access token this many seconds before it expires. */
  refreshMarginSeconds: z.number().int().min(5).max(3600).default(60),
  /**
   * Longest any one request to a cluster may take, start to finish (connect, headers and the
   * whole reply). Without it a server that trickles a byte at a time could hold a sign-in, or a
   * refresh that copy and other refreshes of that cluster wait on, for ever. At least 5 s so a
   * slow but working cluster still gets through; at most 10 minutes.
   */
  requestTimeoutSeconds: z.number().int().min(5).max(600).default(45),
  /**
   * How many background refreshes run at once. Bounded so a thousand sessions coming due
   * together (after sleep, or signed in together) do not open a thousand TLS connections at
   * once and time out; a copy or a terminal's request never waits for this queue. Four, not
   * more: a person's refresh still waits at the server behind the background ones already sent.
   * Beside a CPU hog, four instead of eight cut the median copy during a storm from 12 to 5–8 ms
   * and its p90 from 36 to 13–21 ms, while the bare loop was no faster at eight than at four
   * (bench/README.md, figure 1). A distant cluster (long round trips) refreshes faster with
   * more; the setting is there for that.
   */
  refreshConcurrency: z.number().int().min(1).max(64).default(4),
  expiryWarning: z
    .strictObject({
      /** Warn when a long-lived or stored token (WEKA, Qumulo) expires within this many days. */
      days: z.number().int().min(0).max(365).default(7),
      /** Swarm tokens live 24 h by default: warn this many hours ahead. */
      hours: z.number().int().min(0).max(168).default(2),
    })
    .default({ days: 7, hours: 2 }),
  notifications: z
    .strictObject({
      refreshFailed: z.boolean().default(true),
      signedOut: z.boolean().default(true),
      expiring: z.boolean().default(true),
      certificateChanged: z.boolean().default(true),
    })
    .default({ refreshFailed: true, signedOut: true, expiring: true, certificateChanged: true }),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  /**
   * While the screen is locked or the machine sleeps, the agent serves no token to terminals
   * and scripts (SCREEN_LOCKED) until it is unlocked. Off by default: a long job that asks for
   * a token while the user is away would otherwise fail.
   */
  pauseAgentWhenLocked: z.boolean().default(false),
  /**
   * A system-wide shortcut (an Electron accelerator) that brings the window up with the command
   * palette open; null = none. Off by default: a global shortcut takes the keys from every app.
   */
  globalShortcut: GlobalShortcut.nullable().default(null),
  /** How the cluster list is grouped and sorted (remembered across restarts). */
  clusterList: z
    .strictObject({
      groupBy: ClusterGroupBy.default('none'),
      sortBy: ClusterSortBy.default('name'),
    })
    .default({ groupBy: 'none', sortBy: 'name' }),
})
export type Settings = z.infer<typeof Settings>
export const DEFAULT_SETTINGS: Settings = Settings.parse({})

/**
 * A change to some settings (settings:update, and the registry's updateSettings behind it).
 * Built without the defaults of `Settings` on purpose: a field the caller leaves out must stay as
 * it is, not fall back to its default. Nested groups merge field by field. A field set to
 * `undefined` (only in-process: JSON cannot carry it) resets that setting to its default.
 */
export const SettingsPatch = z.strictObject({
  clipboardClearSeconds: Settings.shape.clipboardClearSeconds.removeDefault().optional(),
  clipboardClearOnQuit: z.boolean().optional(),
  refreshMarginSeconds: Settings.shape.refreshMarginSeconds.removeDefault().optional(),
  requestTimeoutSeconds: Settings.shape.requestTimeoutSeconds.removeDefault().optional(),
  refreshConcurrency: Settings.shape.refreshConcurrency.removeDefault().optional(),
  expiryWarning: z
    .strictObject({
      days: Settings.shape.expiryWarning.removeDefault().shape.days.removeDefault().optional(),
      hours: Settings.shape.expiryWarning.removeDefault().shape.hours.removeDefault().optional(),
    })
    .optional(),
  notifications: z
    .strictObject({
      refreshFailed: z.boolean().optional(),
      signedOut: z.boolean().optional(),
      expiring: z.boolean().optional(),
      certificateChanged: z.boolean().optional(),
    })
    .optional(),
  theme: Settings.shape.theme.removeDefault().optional(),
  pauseAgentWhenLocked: z.boolean().optional(),
  globalShortcut: GlobalShortcut.nullable().optional(),
  clusterList: z
    .strictObject({ groupBy: ClusterGroupBy.optional(), sortBy: ClusterSortBy.optional() })
    .optional(),
})
export type SettingsPatch = z.infer<typeof SettingsPatch>
