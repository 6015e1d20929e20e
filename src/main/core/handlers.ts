/**
 * The channel → service table. Used by electron/ipc.ts in the app and by the browser tests'
 * bridge, so both exercise exactly the same validation and code.
 */
import type { AppInfo } from '../../shared/contract'
import type { ClusterView } from '../../shared/model'
import { createDispatcher, type Dispatcher, type DispatchOptions } from './dispatch'

/** What the handlers need from the core; the composition root provides it. */
export interface CoreServices {
  appInfo(): AppInfo
  listClusters(): Promise<ClusterView[]> | ClusterView[]
}

export function createHandlers(core: CoreServices, options?: DispatchOptions): Dispatcher {
  return createDispatcher(
    {
      'app:info': () => core.appInfo(),
      'clusters:list': () => core.listClusters(),
    },
    options,
  )
}
