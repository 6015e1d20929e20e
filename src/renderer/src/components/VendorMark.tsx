import type { Vendor } from '../../../shared/model'
import { VENDOR_NAMES } from '../format'

/** A small letter badge per vendor, coloured in CSS. */
export function VendorMark({ vendor }: { vendor: Vendor }) {
  return (
    <span
      className={`vendor-mark vendor-${vendor}`}
      role="img"
      aria-label={VENDOR_NAMES[vendor]}
      title={VENDOR_NAMES[vendor]}
    >
      {VENDOR_NAMES[vendor][0]}
    </span>
  )
}
