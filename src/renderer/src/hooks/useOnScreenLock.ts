import { useEffect, useRef } from 'react'
import { onEvent } from '../api'

/** Runs `onLock` when main says the screen locked or the machine is going to sleep. */
export function useOnScreenLock(onLock: () => void): void {
  const latest = useRef(onLock)
  useEffect(() => {
    latest.current = onLock
  })
  useEffect(
    () =>
      onEvent((event) => {
        if (event.event === 'ui:screenLocked') latest.current()
      }),
    [],
  )
}
