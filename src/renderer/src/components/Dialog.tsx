import * as RDialog from '@radix-ui/react-dialog'
import type { ReactNode } from 'react'
import { DialogToasts } from './Toasts'

/**
 * A modal dialog (Radix: focus trap, Escape, aria-modal, labelled by its title). The backdrop is a
 * plain element rather than Radix's Overlay, whose scroll lock injects a <style> element that the
 * page's CSP (style-src 'self') refuses.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  wide,
  role,
}: {
  open: boolean
  onClose: () => void
  title: string
  description?: ReactNode
  children: ReactNode
  wide?: boolean
  role?: 'dialog' | 'alertdialog'
}) {
  return (
    <RDialog.Root open={open} onOpenChange={(o) => !o && onClose()}>
      <RDialog.Portal>
        <div className="backdrop" aria-hidden="true" />
        <RDialog.Content
          className={`dialog ${wide ? 'dialog-wide' : ''}`}
          role={role ?? 'dialog'}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <RDialog.Title className="dialog-title">{title}</RDialog.Title>
          {description && (
            <RDialog.Description className="dialog-description">{description}</RDialog.Description>
          )}
          {children}
          <DialogToasts />
        </RDialog.Content>
      </RDialog.Portal>
    </RDialog.Root>
  )
}

/** Closes the enclosing dialog (a Cancel / Close button). */
export function DialogClose({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <RDialog.Close asChild>
      <button type="button" className={className}>
        {children}
      </button>
    </RDialog.Close>
  )
}
