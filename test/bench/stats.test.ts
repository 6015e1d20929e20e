import { describe, expect, it } from 'vitest'
import { median, percentile, ratio, round, summarize } from '../../bench/stats'

describe('bench statistics', () => {
  it('median: middle value of an odd sample, mean of the two middle values of an even one, order-free', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([7])).toBe(7)
    expect(median([10, 10, 10, 1000])).toBe(10)
  })

  it('percentile: linear interpolation between closest ranks (type 7)', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    expect(percentile(xs, 0)).toBe(1)
    expect(percentile(xs, 100)).toBe(10)
    expect(percentile(xs, 50)).toBe(5.5)
    expect(percentile(xs, 90)).toBeCloseTo(9.1, 12)
    expect(percentile(xs, 99)).toBeCloseTo(9.91, 12)
    expect(percentile(xs, 25)).toBe(3.25)
    // 1..101: rank p lands exactly on value p + 1.
    const hundred = Array.from({ length: 101 }, (_, i) => 101 - i)
    expect(percentile(hundred, 99)).toBe(100)
    expect(percentile(hundred, 50)).toBe(51)
    expect(percentile(hundred, 1)).toBe(2)
  })

  it('percentile does not reorder its input', () => {
    const xs = [3, 1, 2]
    percentile(xs, 50)
    expect(xs).toEqual([3, 1, 2])
  })

  it('rejects empty samples, out-of-range p and non-finite values', () => {
    expect(() => percentile([], 50)).toThrow(RangeError)
    expect(() => percentile([1], -1)).toThrow(RangeError)
    expect(() => percentile([1], 101)).toThrow(RangeError)
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError)
    expect(() => percentile([1, Number.NaN], 50)).toThrow(RangeError)
    expect(() => summarize([])).toThrow(RangeError)
  })

  it('summarize, ratio and round', () => {
    const s = summarize([4, 1, 3, 2])
    expect(s).toMatchObject({ n: 4, min: 1, p50: 2.5, max: 4, mean: 2.5 })
    expect(s.p90).toBeCloseTo(3.7, 12)
    expect(s.p99).toBeCloseTo(3.97, 12)
    expect(ratio(3, 2)).toBe(1.5)
    expect(ratio(1, 3)).toBe(0.333)
    expect(ratio(1, 0)).toBeNull()
    expect(round(1.23456)).toBe(1.23)
    expect(round(1.23456, 3)).toBe(1.235)
  })
})
