/**
 * The tray's share of the expiring warnings: how many tokens and sessions are inside their
 * warning window, first in the tooltip, and at least the warning icon while there are any. Kept
 * apart from trayMenu.ts (which builds the menu) so each changes for its own reason.
 */
import { TOOLTIP_MAX, type TrayModel } from '../notify/trayMenu'

export function expiringLine(count: number): string {
  return count === 1 ? '1 token or session expires soon' : `${count} tokens or sessions expire soon`
}

export function withExpiringCount(model: TrayModel, count: number): TrayModel {
  if (count <= 0) return model
  // "Tokendeck — 3 clusters, all fine" is no longer all fine; a list of problems keeps its lines.
  const [head = 'Tokendeck', ...problems] = model.tooltip.split('\n')
  const title = head.startsWith('Tokendeck —') ? 'Tokendeck' : head
  const text = [title, expiringLine(count), ...problems].join('\n')
  return {
    ...model,
    status: model.status === 'error' ? 'error' : 'warning',
    tooltip: text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`,
  }
}
