/** The audit log: what Tokendeck did with credentials, appended by every process of a profile. */
export { AuditLog, outcomeOf, type AuditEntry, type AuditFilter, type AuditPort } from './auditLog'
export { asCaller, currentCaller, type AuditCaller } from './caller'
export { AUDIT_FILE_NAME, DEFAULT_MAX_BYTES, auditFilePath, readAuditFiles } from './auditFile'
export { recordFromCli } from './fromCli'
