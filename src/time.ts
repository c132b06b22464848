/**
 * Timestamps as Date.prototype.toISOString writes them (2017-01-26T00:00:00.000Z), written out here: V8's
 * own takes ~1.2 ms on its first call in a process (it sets up its date cache), and a build writes two
 * (the lock file and the XMP metadata) while the whole of it takes about a hundred.
 */
export function isoTimestamp(date: Date): string {
  const year = date.getUTCFullYear();
  // Years outside 0–9999 take the extended form (±YYYYYY), and an invalid date throws: left to V8.
  if (!(year >= 0 && year <= 9999)) return Date.prototype.toISOString.call(date);
  return (
    `${String(year).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}` +
    `T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${String(date.getUTCMilliseconds()).padStart(3, '0')}Z`
  );
}
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The same to the second, as XMP dates are written (2017-01-26T00:00:00Z). */
export function xmpTimestamp(date: Date): string {
  return `${isoTimestamp(date).split('.')[0]}Z`;
}

/** A Date whose toISOString is isoTimestamp: for pdfkit, which writes the XMP creation date with it. */
export class IsoDate extends Date {
  override toISOString(): string {
    return isoTimestamp(this);
  }
}
