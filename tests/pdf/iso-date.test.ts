import { describe, expect, it } from 'vitest';
import { IsoDate, isoTimestamp } from '../../src/time.js';

describe('isoTimestamp', () => {
  it('writes what Date.prototype.toISOString writes', () => {
    const times = [0, 1, 999, 1000, 1485388800000, 253402300799999, -62167219200000, -62198755200000, 253402300800000, -1];
    // A spread of instants from 1900 to 2200, milliseconds included.
    for (let i = 0; i < 500; i++) times.push(Math.round(-2208988800000 + i * 19_000_000_017.3));
    const differing = times.filter((t) => isoTimestamp(new Date(t)) !== new Date(t).toISOString());
    expect(differing).toEqual([]);
  });

  it('throws for an invalid date, as toISOString does', () => {
    expect(() => isoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('is what an IsoDate gives pdfkit, still a Date', () => {
    const d = new IsoDate(Date.UTC(2017, 0, 26));
    expect(d).toBeInstanceOf(Date);
    expect(d.toISOString()).toBe('2017-01-26T00:00:00.000Z');
  });
});
