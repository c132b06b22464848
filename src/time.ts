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

/** The last second PDF and XMP dates can write (9999-12-31T23:59:59Z). */
const LAST_EPOCH = 253402300799;

/**
 * SOURCE_DATE_EPOCH (reproducible-builds.org): whole seconds since 1970, 0 to 9999-12-31; undefined when
 * unset or empty. A malformed value is the caller's to refuse ("the build process SHOULD exit with a
 * non-zero error code"): it is given back as a message.
 */
export function sourceDateEpoch(value = process.env.SOURCE_DATE_EPOCH): { epoch?: number; problem?: string } {
  if (value === undefined || value.trim() === '') return {};
  const text = value.trim();
  if (/^\d+$/.test(text) && Number(text) <= LAST_EPOCH) return { epoch: Number(text) };
  return { problem: `SOURCE_DATE_EPOCH=${value}: expected whole seconds since 1970-01-01 UTC, from 0 to ${LAST_EPOCH} (9999-12-31)` };
}
