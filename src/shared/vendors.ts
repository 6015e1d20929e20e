/**
 * The vendor table: for each vendor, its display name, its capabilities (capabilities.ts) and the
 * connection fields a cluster of that vendor has beyond URL, user and trust (WEKA's organization,
 * Swarm's tenant, domain and S3 endpoint). Shared by every process, so the add/edit dialog, the
 * `tokendeck clusters add/edit` flags, the cluster schema, the vendor client's cache key and the
 * "does this change sign the user out" rule all read the same declaration.
 *
 * The three vendors Tokendeck ships are the closed union `Vendor`. A further vendor is one more
 * descriptor given to `registerVendor` (and, in main, its client to `registerVendorClient`): the
 * schema, dialog and CLI take it from here. The fake fourth vendor test
 * (test/core/clusters/fourthVendor.test.ts) does exactly that and nothing else.
 *
 * No Node, no DOM, and no runtime import of model.ts (which imports this file).
 */
import type { Capabilities } from './model'
import { CAPABILITIES } from './capabilities'

export const VENDORS = ['weka', 'qumulo', 'swarm'] as const
/** A vendor Tokendeck ships. At run time a registered further vendor's id is accepted too. */
export type Vendor = (typeof VENDORS)[number]

/** One connection field of a vendor's clusters, stored under `key` in the cluster (clusters.json). */
export interface VendorField {
  /** The cluster's property (and the catalogue's): `org`, `s3Url`. */
  key: string
  /** The dialog's label. */
  label: string
  /** The dialog's hint under the field. */
  help?: string
  /** The CLI flag without dashes (`s3-url` for `--s3-url <value>`). */
  flag: string
  /** The CLI's help for the flag. */
  cliHelp: string
  /** What a value must be: short text (≤ 256 characters), or an https URL checked like the cluster's. */
  kind: 'text' | 'url'
  /** A different value needs a new vendor client (the field is part of its cache key). */
  changesClient: boolean
  /**
   * A different value is another account or scope: the stored credential was issued for the old
   * one, so the session ends (on the server too, where the vendor can) and the user signs in again.
   */
  changesSignIn: boolean
  /** Fields with the same `row` sit side by side in the dialog. */
  row?: string
}

export interface VendorDescriptor {
  /** Lower-case id, stored in clusters.json as the cluster's `vendor`. */
  id: string
  /** How the UI names it ("WEKA"). */
  name: string
  capabilities: Capabilities
  fields: readonly VendorField[]
}

const BUILT_IN: Record<Vendor, VendorDescriptor> = {
  weka: {
    id: 'weka',
    name: 'WEKA',
    capabilities: CAPABILITIES.weka,
    fields: [
      {
        key: 'org',
        label: 'Organization',
        help: 'Leave empty for the Root organization.',
        flag: 'org',
        cliHelp: 'WEKA organization (default Root)',
        kind: 'text',
        changesClient: true,
        // docs/protocols/weka.md §2.1: the organization is part of the login; its tokens are its own.
        changesSignIn: true,
      },
    ],
  },
  qumulo: { id: 'qumulo', name: 'Qumulo', capabilities: CAPABILITIES.qumulo, fields: [] },
  swarm: {
    id: 'swarm',
    name: 'Swarm',
    capabilities: CAPABILITIES.swarm,
    fields: [
      {
        key: 'tenant',
        label: 'Tenant',
        flag: 'tenant',
        cliHelp: 'Swarm tenant',
        kind: 'text',
        changesClient: true,
        changesSignIn: true,
        row: 'scope',
      },
      {
        key: 'domain',
        label: 'Domain',
        flag: 'domain',
        cliHelp: 'Swarm storage domain',
        kind: 'text',
        changesClient: true,
        // docs/protocols/swarm.md §2: the domain picks the token path's scope.
        changesSignIn: true,
        row: 'scope',
      },
      {
        key: 's3Url',
        label: 'S3 endpoint',
        help: 'Optional: the S3 URL (https), used to prove new S3 keys work.',
        flag: 's3-url',
        cliHelp: 'Swarm S3 endpoint (to prove S3 keys)',
        kind: 'url',
        changesClient: true,
        changesSignIn: false,
      },
    ],
  },
}

/** Cluster properties every vendor has: a vendor field may not reuse one of these names. */
const CLUSTER_KEYS = new Set(['id', 'vendor', 'name', 'url', 'username', 'trust', 'seen', 'tags'])

const table = new Map<string, VendorDescriptor>(Object.entries(BUILT_IN))

/**
 * Adds a vendor to the table (a fourth vendor, or a test's fake one). Its id must be new, and a
 * field key another vendor also declares must mean the same (same kind and flag), since the
 * cluster schema and the CLI flags are shared. @throws Error for a clash (a programming error).
 */
export function registerVendor(descriptor: VendorDescriptor): void {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(descriptor.id))
    throw new Error(
      `vendor id "${descriptor.id}": 1–32 of a–z, 0–9 and "-", starting with a letter`,
    )
  if (table.has(descriptor.id)) throw new Error(`vendor "${descriptor.id}" is already registered`)
  for (const field of descriptor.fields) {
    if (CLUSTER_KEYS.has(field.key))
      throw new Error(`vendor "${descriptor.id}": "${field.key}" is a property of every cluster`)
    const other = allVendorFields().find((f) => f.key === field.key || f.flag === field.flag)
    if (
      other &&
      (other.key !== field.key || other.flag !== field.flag || other.kind !== field.kind)
    )
      throw new Error(`vendor "${descriptor.id}": field "${field.key}" clashes with "${other.key}"`)
  }
  table.set(descriptor.id, descriptor)
}

/** Every vendor id in the table: the shipped ones first, then registered ones. */
export function vendorIds(): Vendor[] {
  return [...table.keys()] as Vendor[]
}

export function isVendor(id: unknown): id is Vendor {
  return typeof id === 'string' && table.has(id)
}

/** @throws Error for an id not in the table (the schemas let no such cluster through). */
export function vendorDescriptor(id: string): VendorDescriptor {
  const descriptor = table.get(id)
  if (descriptor === undefined) throw new Error(`unknown vendor "${id}"`)
  return descriptor
}

export function capabilitiesOf(vendor: string): Capabilities {
  return vendorDescriptor(vendor).capabilities
}

export function vendorName(vendor: string): string {
  return table.get(vendor)?.name ?? vendor
}

export function vendorFields(vendor: string): readonly VendorField[] {
  return vendorDescriptor(vendor).fields
}

/** Every field of every vendor, once per key. */
export function allVendorFields(): VendorField[] {
  const byKey = new Map<string, VendorField>()
  for (const d of table.values())
    for (const f of d.fields) if (!byKey.has(f.key)) byKey.set(f.key, f)
  return [...byKey.values()]
}

/** A field of some vendor named `key`, if any. */
export function vendorFieldByKey(key: string): VendorField | undefined {
  return allVendorFields().find((f) => f.key === key)
}

/** The values of built-in vendor fields, as they sit on a cluster. */
export interface VendorFieldValues {
  /** WEKA organization (empty or absent = Root). */
  org?: string
  /** Swarm tenant and domain. */
  tenant?: string
  domain?: string
  /** Swarm: the S3 endpoint, to prove S3 keys work (same trust as the gateway). */
  s3Url?: string
}

/** A vendor field's value on a cluster (or draft), whatever vendor declared it. */
export function fieldValue(cluster: object, key: string): string | undefined {
  const value = (cluster as Record<string, unknown>)[key]
  return typeof value === 'string' ? value : undefined
}

/**
 * The keys of the cluster's vendor's fields that differ between two versions of one cluster and
 * carry `effect` (`changesClient`: a new vendor client; `changesSignIn`: a new sign-in). Absent
 * and empty are the same value.
 */
export function changedFields(
  before: { vendor: string },
  after: { vendor: string },
  effect: 'changesClient' | 'changesSignIn',
): string[] {
  return vendorFields(after.vendor)
    .filter((f) => f[effect])
    .filter((f) => (fieldValue(before, f.key) ?? '') !== (fieldValue(after, f.key) ?? ''))
    .map((f) => f.key)
}
