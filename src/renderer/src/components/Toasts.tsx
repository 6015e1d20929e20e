import * as Toast from '@radix-ui/react-toast'
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import { ApiError } from '../api'
import { errorHeadline } from '../format'

export interface ToastInput {
  title: string
  description?: string
  tone?: 'info' | 'error'
  /** A toast with the same key replaces the one shown (e.g. a copy reply and its event). */
  key?: string
}

interface ToastItem extends ToastInput {
  id: number
}

interface ToastApi {
  show(toast: ToastInput): void
  /** A failed call, in words. */
  error(e: unknown, title?: string): void
  /** "Copied — clears in N s". */
  copied(clearsInSeconds: number, what?: string): void
}

const ToastContext = createContext<ToastApi | undefined>(undefined)

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

let nextId = 1

export function ToastsProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([])

  const show = useCallback((toast: ToastInput) => {
    const item = { ...toast, id: nextId++ }
    setItems((list) => [...list.filter((t) => !toast.key || t.key !== toast.key), item].slice(-4))
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
    }),
    [show],
  )

  return (
    <ToastContext.Provider value={api}>
      <Toast.Provider swipeDirection="right" duration={5000}>
        {children}
        {items.map((t) => (
          <Toast.Root
            key={t.id}
            className={`toast ${t.tone === 'error' ? 'toast-error' : ''}`}
            type={t.tone === 'error' ? 'foreground' : 'background'}
            duration={t.tone === 'error' ? 8000 : 5000}
            onOpenChange={(open) => {
              if (!open) setItems((list) => list.filter((x) => x.id !== t.id))
            }}
          >
            <Toast.Title className="toast-title">{t.title}</Toast.Title>
            {t.description && (
              <Toast.Description className="toast-description">{t.description}</Toast.Description>
            )}
            <Toast.Close className="toast-close" aria-label="Dismiss notification">
              ×
            </Toast.Close>
          </Toast.Root>
        ))}
        <Toast.Viewport className="toast-viewport" label="Notifications ({hotkey})" />
      </Toast.Provider>
    </ToastContext.Provider>
  )
}
