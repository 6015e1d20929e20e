/**
 * Changing the password of a cluster's account when the server demands it (WEKA's
 * `password_change_required`, docs/protocols/weka.md §2.4): the vendor client changes it with
 * the token of the sign-in that asked (in memory only) and signs in once with the new password;
 * the session then becomes that sign-in's, like any other. The passwords are used for this one
 * request each: never kept, never retried, never logged; the audit log records only that a
 * change happened and how it ended.
 */
import { TokendeckError } from '../../../shared/errors'
import { asTokendeckError } from '../sessions/session'
import type { ClusterRegistry } from '../clusters'
import type { SessionManager } from '../sessions/sessionManager'
import type { VendorClientProvider } from '../vendors/clientProvider'
import type { AuditPort } from '../audit'

export class PasswordChange {
  /** One change per cluster at a time: a second click must not send the passwords again. */
  private readonly running = new Set<string>()

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly clients: VendorClientProvider,
    private readonly sessions: SessionManager,
    private readonly audit?: AuditPort,
  ) {}

  async change(clusterId: string, currentPassword: string, newPassword: string): Promise<void> {
    const cluster = this.registry.get(clusterId)
    const client = this.clients.get(cluster)
    if (!client.changePassword) {
      throw new TokendeckError(
        'UNSUPPORTED',
        `Tokendeck cannot change passwords on ${cluster.name}: change it in the cluster's own tools.`,
      )
    }
    if (newPassword === currentPassword) {
      throw new TokendeckError(
        'INVALID_INPUT',
        'The new password is the same as the current one; nothing was sent.',
      )
    }
    if (this.running.has(clusterId)) {
      throw new TokendeckError(
        'BUSY',
        `Already changing the password on ${cluster.name}; wait for that attempt to finish.`,
      )
    }
    this.running.add(clusterId)
    try {
      const result = await client.changePassword({
        username: cluster.username,
        password: currentPassword,
        newPassword,
        ...(cluster.org ? { org: cluster.org } : {}),
      })
      await this.sessions.adopt(clusterId, result, result.identity)
      this.audit?.record({ event: 'session:password-change', clusterId })
      this.audit?.record({ event: 'session:sign-in', clusterId })
    } catch (e) {
      const error = asTokendeckError(e)
      this.audit?.record({ event: 'session:password-change', clusterId, outcome: error.code })
      throw error
    } finally {
      this.running.delete(clusterId)
    }
  }
}
