import { useEffect } from 'react'
import type { Settings } from '../../../shared/model'

/** The chosen theme on <html data-theme>; styles.css picks colours from it (system = the OS's). */
export function useTheme(theme: Settings['theme'] | undefined): void {
  useEffect(() => {
    if (theme) document.documentElement.dataset.theme = theme
  }, [theme])
}
