/**
 * "Copy as…": a small menu beside a Copy button. The renderer only names the format; main builds
 * the text (a header, an export line, a curl command) from a token this page never sees, copies
 * it and clears it like the bare token.
 *
 * Built on Radix's DropdownMenu (already the family of our Dialog and Toast): a menu button with
 * aria-haspopup/aria-expanded, role="menu" items, arrow keys, Home/End, type-ahead, Escape, focus
 * back on the button, and the menu rendered in a portal so a virtualized row's transform and
 * overflow never clip it.
 */
import * as DropdownMenu from '@radix-ui/react-dropdown-menu'
import { useId, useState, type ButtonHTMLAttributes } from 'react'
import type { CopyFormat } from '../../../shared/contract'
import { call } from '../api'
import { useToast } from './Toasts'

export const COPY_AS_ITEMS: Array<{ format: CopyFormat; label: string; what: string }> = [
  { format: 'token', label: 'Access token', what: 'access token' },
  { format: 'header', label: 'HTTP header', what: 'HTTP header' },
  { format: 'export', label: 'Shell export line', what: 'shell export line' },
  { format: 'curl', label: 'curl command', what: 'curl command' },
]

type Toast = ReturnType<typeof useToast>

/** Asks main to copy the cluster's token in `format`; says why not, or what to look out for. */
export async function copyAs(
  clusterId: string,
  clusterName: string,
  format: CopyFormat,
  toast: Toast,
): Promise<void> {
  const what = COPY_AS_ITEMS.find((i) => i.format === format)?.what ?? 'access token'
  try {
    const r = await call('session:copyAs', { clusterId, format })
    // "Copied" itself comes from main's clipboard:copied event (App), as for a copy from the
    // tray: the reply adds only what the event does not carry.
    for (const warning of r.warnings ?? [])
      toast.show({ title: 'curl may refuse this certificate', description: warning })
  } catch (e) {
    toast.error(e, `Could not copy the ${what} of ${clusterName}`)
  }
}

/** How the menu button looks and reads, the same before and after its menu is built. */
interface ButtonLook {
  id: string
  label: string
  title: string
  inRow: boolean
}

/** The menu button; `props` adds what differs between the two forms. */
function menuButton(look: ButtonLook, props: ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      id={look.id}
      type="button"
      className="copy-as-trigger"
      aria-label={look.label}
      title={look.title}
      {...(look.inRow ? { tabIndex: -1 } : {})}
      onDoubleClick={(e) => e.stopPropagation()}
      {...props}
    >
      <span aria-hidden="true">▾</span>
    </button>
  )
}

export function CopyAsMenu({
  clusterId,
  clusterName,
  disabled,
  inRow = false,
}: {
  clusterId: string
  clusterName: string
  disabled: boolean
  /**
   * In a list row: out of the tab order like the row's other buttons (the grid owns the keys),
   * and the menu is built only when first asked for (see below).
   */
  inRow?: boolean
}) {
  const look: ButtonLook = {
    id: `copy-as-${useId().replace(/:/g, '')}-${clusterId}`,
    label: `Copy ${clusterName} as…`,
    title: disabled ? `Sign in to ${clusterName} to copy` : 'Copy as header, export line, curl…',
    inRow,
  }
  // A closed Radix menu is still a tree of providers, a popper and a presence per row: with a
  // screenful of rows that was most of what a 1,000-cluster list cost to show over an empty one
  // (bench/README.md, figure 4). A row therefore starts with a plain button that looks and reads
  // the same (a menu button, collapsed) and mounts the real menu, open, on its first use.
  const [armed, setArmed] = useState(!inRow)
  const [open, setOpen] = useState(false)
  if (!armed) {
    const arm = () => {
      setArmed(true)
      setOpen(true)
    }
    return menuButton(look, {
      'aria-haspopup': 'menu',
      'aria-expanded': false,
      disabled,
      onClick: (e) => {
        e.stopPropagation()
        arm()
      },
      onKeyDown: (e) => {
        e.stopPropagation()
        // Enter and Space become a click; the arrow opens a menu button too (as Radix's does).
        if (e.key === 'ArrowDown') {
          e.preventDefault()
          arm()
        }
      },
    })
  }
  return (
    <RadixCopyAsMenu
      clusterId={clusterId}
      clusterName={clusterName}
      disabled={disabled}
      look={look}
      open={open}
      onOpenChange={setOpen}
    />
  )
}

function RadixCopyAsMenu({
  clusterId,
  clusterName,
  disabled,
  look,
  open,
  onOpenChange,
}: {
  clusterId: string
  clusterName: string
  disabled: boolean
  look: ButtonLook
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const toast = useToast()
  const triggerId = look.id
  // Non-modal: the modal variant's scroll lock injects a <style> element the page's CSP refuses.
  return (
    <DropdownMenu.Root modal={false} open={open} onOpenChange={onOpenChange}>
      <DropdownMenu.Trigger asChild disabled={disabled}>
        {menuButton(look, {
          onClick: (e) => e.stopPropagation(),
          // The list's grid takes Enter (open) and C (copy): keys meant for this button stay here.
          onKeyDown: (e) => e.stopPropagation(),
        })}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          className="copy-as-menu"
          align="end"
          sideOffset={4}
          aria-label={`Copy ${clusterName} as`}
          onClick={(e) => e.stopPropagation()}
          // React sends a portal's events up its component tree: the row's grid must not see
          // the menu's Enter (it would open the cluster) or its type-ahead "c" (copy).
          onKeyDown={(e) => e.stopPropagation()}
          onCloseAutoFocus={(e) => {
            // Back on the button, found by id after this render: a list row may have been
            // re-created meanwhile (a session change while the menu was open).
            e.preventDefault()
            requestAnimationFrame(() => document.getElementById(triggerId)?.focus())
          }}
        >
          <DropdownMenu.Label className="copy-as-label">Copy as</DropdownMenu.Label>
          {COPY_AS_ITEMS.map((item) => (
            <DropdownMenu.Item
              key={item.format}
              className="copy-as-item"
              onSelect={() => void copyAs(clusterId, clusterName, item.format, toast)}
            >
              {item.label}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  )
}
