/** The default `session`'s permission handlers, recorded for the tests to call. */
import type * as Electron from 'electron'

type PermissionRequestHandler = Parameters<Electron.Session['setPermissionRequestHandler']>[0]
type PermissionCheckHandler = Parameters<Electron.Session['setPermissionCheckHandler']>[0]
type DevicePermissionHandler = Parameters<Electron.Session['setDevicePermissionHandler']>[0]

export class SessionDouble implements Pick<
  Electron.Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
> {
  permissionRequest: PermissionRequestHandler = null
  permissionCheck: PermissionCheckHandler = null
  devicePermission: DevicePermissionHandler = null

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequest = handler
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheck = handler
  }

  setDevicePermissionHandler(handler: DevicePermissionHandler): void {
    this.devicePermission = handler
  }
}
