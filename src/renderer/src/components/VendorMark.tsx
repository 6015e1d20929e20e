import type { Vendor } from '../../../shared/model'
import { vendorName } from '../format'

/** A small letter badge per vendor, coloured in CSS. */
export function VendorMark({ vendor }: { vendor: Vendor }) {
  return (
    <span
      className={`vendor-mark vendor-${vendor}`}
      role="img"
      aria-label={vendorName(vendor)}
      title={vendorName(vendor)}
    >
      {vendorName(vendor)[0]}
    </span>
  )
}
