import { Fragment } from 'react'

/** A SHA-256 fingerprint that wraps between groups of eight pairs, never inside one. */
export function Fingerprint({ value }: { value: string }) {
  const pairs = value.split(':')
  const groups: string[] = []
  for (let i = 0; i < pairs.length; i += 8) groups.push(pairs.slice(i, i + 8).join(':'))
  return (
    <span className="mono fingerprint">
      {groups.map((g, i) => (
        <Fragment key={i}>
          {i > 0 && ':'}
          {i > 0 && <wbr />}
          <span className="nowrap">{g}</span>
        </Fragment>
      ))}
    </span>
  )
}
