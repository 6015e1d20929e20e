/**
 * The ClipboardPort over Electron's clipboard.
 *
 * Electron 45's main-process clipboard is asynchronous (W3C-style: write/readText return
 * promises) while the port is synchronous, so this adapter queues every operation in order and
 * answers `readText()` with what Tokendeck itself last wrote. The "clear only if it still holds
 * our value" check that ClipboardService makes therefore happens for real here, in `clear()`,
 * against the OS clipboard — a value the user copied since is never wiped. `flush()` waits for
 * the queue (quit awaits it, so the clear on quit lands before the process exits).
 *
 * Keeping a sensitive copy out of clipboard history: electron.d.ts (45.4) has no writeText
 * option for it, so the value is written with `clipboard.write([new ClipboardItem(...)])` plus
 * the platforms' conventional marker formats, through Electron's raw-format custom type
 * `electron application/osclipboard;format="<name>"`:
 *   Windows  ExcludeClipboardContentFromMonitorProcessing (any payload), CanIncludeInClipboardHistory
 *            and CanUploadToCloudClipboard = DWORD 0 — Win+V history and cloud sync skip it;
 *   macOS    org.nspasteboard.ConcealedType (the nspasteboard.org convention clipboard managers honour);
 *   Linux    x-kde-passwordManagerHint = "secret" (Klipper and managers following KDE's hint).
 * If that write is refused, the value is still copied as plain text (the copy is what the user
 * asked for), and the failure is logged once, without the value.
 */
import { clipboard, ClipboardItem } from 'electron'
import type { ClipboardPort } from '../core/clipboard/clipboardService'

const RAW = (format: string) => `electron application/osclipboard;format="${format}"`
const DWORD_ZERO = () => new Blob([new Uint8Array(4)])

function sensitiveMarkers(platform: NodeJS.Platform): Record<string, string | Blob> {
  switch (platform) {
    case 'win32':
      return {
        [RAW('ExcludeClipboardContentFromMonitorProcessing')]: new Blob([new Uint8Array(1)]),
        [RAW('CanIncludeInClipboardHistory')]: DWORD_ZERO(),
        [RAW('CanUploadToCloudClipboard')]: DWORD_ZERO(),
      }
    case 'darwin':
      return { [RAW('org.nspasteboard.ConcealedType')]: '' }
    default:
      return { [RAW('x-kde-passwordManagerHint')]: 'secret' }
  }
}

export class ElectronClipboard implements ClipboardPort {
  /** What Tokendeck last put on the clipboard and has not cleared. */
  private ours: string | undefined
  private queue: Promise<void> = Promise.resolve()
  private warned = false

  constructor(private readonly log: (message: string) => void = (m) => console.warn(m)) {}

  writeText(text: string, options: { sensitive: boolean }): void {
    this.ours = text
    this.enqueue(async () => {
      if (!options.sensitive) return clipboard.writeText(text)
      try {
        await clipboard.write([
          new ClipboardItem({ 'text/plain': text, ...sensitiveMarkers(process.platform) }),
        ])
      } catch (e) {
        this.warnOnce(
          `Clipboard: could not mark the copy as sensitive (${e instanceof Error ? e.name : 'error'}); copied as plain text.`,
        )
        await clipboard.writeText(text)
      }
    })
  }

  readText(): string {
    return this.ours ?? ''
  }

  clear(): void {
    const expected = this.ours
    this.ours = undefined
    if (expected === undefined) return
    this.enqueue(async () => {
      if ((await clipboard.readText()) === expected) clipboard.clear()
    })
  }

  /** Resolves when every queued clipboard operation has finished. */
  flush(): Promise<void> {
    return this.queue
  }

  private enqueue(op: () => Promise<void>): void {
    this.queue = this.queue.then(op).catch(() => this.warnOnce('Clipboard: an operation failed.'))
  }

  private warnOnce(message: string): void {
    if (this.warned) return
    this.warned = true
    this.log(message)
  }
}
