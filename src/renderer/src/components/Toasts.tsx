import * as Toast from '@radix-ui/react-toast'
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react'
import { ApiError } from '../api'
import { errorHeadline } from '../format'

export interface ToastInput {
  title: string
  description?: string
  tone?: 'info' | 'error'
  /**
   * A toast with the same key replaces the one shown: a newer copy's "Copied" replaces the older
   * one (the clipboard holds only the newest, and its countdown starts again).
   */
  key?: string
  /**
   * The view it belongs to (see `setScope`); default: the view shown now. Give the next view's
   * scope for news that leads there ("Added Lab WEKA", then its page opens).
   */
  scope?: string
}

interface ToastItem extends ToastInput {
  id: number
  scope: string
}

interface ToastApi {
  show(toast: ToastInput): void
  /** A failed call, in words. */
  error(e: unknown, title?: string): void
  /**
   * "Copied — clears in N s". Only for main's clipboard:copied event (App.tsx), which every copy
   * raises, whether the app, the tray, the palette or the global shortcut started it: one copy,
   * one toast. A copy call's reply reports only failures.
   */
  copied(clearsInSeconds: number, what?: string): void
  /**
   * The view (and cluster) now shown, e.g. "detail:prod-1a2b". Toasts of other views go: a copy
   * made on one cluster must not be announced over another's page.
   */
  setScope(scope: string): void
}

const ToastContext = createContext<ToastApi | undefined>(undefined)

/** What dialogs need: to be known as open, and the toasts shown since they opened. */
interface DialogToastsApi {
  items: ToastItem[]
  opened: () => () => void
  nextId: () => number
  dismiss: (id: number) => void
}
const DialogToastsContext = createContext<DialogToastsApi | undefined>(undefined)

export function useToast(): ToastApi {
  const api = useContext(ToastContext)
  if (!api) throw new Error('useToast outside ToastsProvider')
  return api
}

export function copiedText(clearsInSeconds: number): string {
  return clearsInSeconds > 0
    ? `Copied — clears in ${clearsInSeconds} s`
    : 'Copied — the clipboard is not cleared'
}

/** At most this many at once: older ones make room (a pile would hide the page). */
const MAX_TOASTS = 3

let nextId = 1

/**
 * Toasts that never cover what the user must act on: while a dialog is open nothing floats over
 * the page (it could cover the dialog's buttons); a toast raised meanwhile shows inside the dialog,
 * as a status line above its buttons (DialogToasts), and floats once the dialog has closed.
 */
export function ToastsProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([])
  const [openDialogs, setOpenDialogs] = useState(0)
  const scope = useRef('')

  const show = useCallback((toast: ToastInput) => {
    const item = { ...toast, id: nextId++, scope: toast.scope ?? scope.current }
    setItems((list) =>
      [...list.filter((t) => !toast.key || t.key !== toast.key), item].slice(-MAX_TOASTS),
    )
  }, [])

  const dismiss = useCallback((id: number) => {
    setItems((list) => list.filter((x) => x.id !== id))
  }, [])

  const api = useMemo<ToastApi>(
    () => ({
      show,
      error(e, title) {
        const words =
          e instanceof ApiError
            ? { title: title ?? errorHeadline(e.info), description: e.info.message }
            : {
                title: title ?? 'Something went wrong',
                description: e instanceof Error ? e.message : String(e),
              }
        show({ ...words, tone: 'error' })
      },
      copied(clearsInSeconds, what) {
        show({
          title: copiedText(clearsInSeconds),
          ...(what ? { description: `Copied the ${what}.` } : {}),
          key: 'copied',
        })
      },
      setScope(next) {
        if (next === scope.current) return
        scope.current = next
        setItems((list) => list.filter((t) => t.scope === next))
      },
    }),
    [show],
  )

  // Stable, so a dialog registers once however often the toasts change.
  const opened = useCallback(() => {
    const since = nextId
    setOpenDialogs((n) => n + 1)
    // What floated before the dialog opened is about the page behind it: it goes.
    setItems((list) => list.filter((t) => t.id >= since))
    return () => setOpenDialogs((n) => n - 1)
  }, [])
  const dialogs = useMemo<DialogToastsApi>(
    () => ({ items, nextId: () => nextId, dismiss, opened }),
    [items, dismiss, opened],
  )

  return (
    <ToastContext.Provider value={api}>
      <DialogToastsContext.Provider value={dialogs}>
        <Toast.Provider swipeDirection="right" duration={5000}>
          {children}
          {openDialogs === 0 &&
            items.map((t) => (
              <Toast.Root
                key={t.id}
                className={`toast ${t.tone === 'error' ? 'toast-error' : ''}`}
                type={t.tone === 'error' ? 'foreground' : 'background'}
                duration={t.tone === 'error' ? 8000 : 5000}
                onOpenChange={(open) => {
                  if (!open) dismiss(t.id)
                }}
              >
                <Toast.Title className="toast-title">{t.title}</Toast.Title>
                {t.description && (
                  <Toast.Description className="toast-description">
                    {t.description}
                  </Toast.Description>
                )}
                <Toast.Close className="toast-close" aria-label="Dismiss notification">
                  ×
                </Toast.Close>
              </Toast.Root>
            ))}
          <Toast.Viewport className="toast-viewport" label="Notifications ({hotkey})" />
        </Toast.Provider>
      </DialogToastsContext.Provider>
    </ToastContext.Provider>
  )
}

/**
 * Inside a dialog: marks it open while mounted (so nothing floats over it) and shows the latest
 * toast raised since it opened, in the dialog's own flow, never over its buttons.
 */
export function DialogToasts() {
  const api = useContext(DialogToastsContext)
  // Only toasts raised after this dialog opened are its own.
  const [since] = useState(() => api?.nextId() ?? 0)
  const opened = api?.opened
  useEffect(() => opened?.(), [opened])
  const latest = api?.items.filter((t) => t.id >= since).at(-1)
  if (!api || !latest) return null
  return (
    <div
      className={`dialog-toast ${latest.tone === 'error' ? 'toast-error' : ''}`}
      role={latest.tone === 'error' ? 'alert' : 'status'}
    >
      <span className="toast-title">{latest.title}</span>
      {latest.description && <span className="toast-description"> {latest.description}</span>}
    </div>
  )
}
