/**
 * Dates as printed in documents: 和暦 (平成２９年１月２６日), western (２０１７年１月２６日), or the
 * text as written.
 *
 * Era start days (the day the new era's year one begins):
 *   明治 1868-01-25, 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01.
 * 明治元年 counts from 慶応4年1月1日 (1868-01-25 Gregorian: the 改元の詔 of 慶応4年9月8日 made the
 * whole year 明治元年). Japan kept the lunisolar calendar until 明治5年12月2日, followed by 明治6年1月1日
 * (1873-01-01): a Gregorian date before then has another month and day in 和暦 (1872-12-31 was never
 * 明治5年12月31日), so such dates are rejected rather than printed wrongly; a bare year (a chronology's
 * 1872 → 明治5年) is still its 明治 year.
 *
 * A date with month precision (YYYY-MM) is assigned the era in force on the FIRST day of the
 * month: 1989-01 → 昭和６４年１月, 2019-05 → 令和元年５月. (A month that contains an era change is
 * ambiguous; first-day is what a document dated "that month" was most likely written under.)
 */
import { KumihanError } from '../errors.js';
import type { DateStyle, DigitStyle } from './schema.js';

export interface CalendarDate {
  year: number;
  month: number;
  /** Absent for month precision (YYYY-MM). */
  day?: number;
}

interface Era {
  name: string;
  start: Required<CalendarDate>;
}

/** Newest first, so the first era whose start is not after the date is the one in force. */
const ERAS: readonly Era[] = [
  { name: '令和', start: { year: 2019, month: 5, day: 1 } },
  { name: '平成', start: { year: 1989, month: 1, day: 8 } },
  { name: '昭和', start: { year: 1926, month: 12, day: 25 } },
  { name: '大正', start: { year: 1912, month: 7, day: 30 } },
  { name: '明治', start: { year: 1868, month: 1, day: 25 } },
];

const ISO_DATE = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/;

/** True when the text looks like YYYY-MM or YYYY-MM-DD (whether or not it is a valid date). */
export function looksLikeCalendarDate(text: string): boolean {
  return ISO_DATE.test(text.trim());
}

/** Default style when the content file does not say: 和暦 for calendar dates, else as written. */
export function defaultDateStyle(date: string): DateStyle {
  return looksLikeCalendarDate(date) ? 'wareki' : 'literal';
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  // month is 1…12 (checked by the caller's pattern)
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function dateError(message: string): KumihanError {
  return new KumihanError('schema', message, { path: 'date' });
}

/** Parses YYYY-MM[-DD]; throws KumihanError('schema', path `date`) for malformed or impossible dates. */
export function parseCalendarDate(text: string): CalendarDate {
  const m = ISO_DATE.exec(text.trim());
  if (!m) {
    throw dateError(`"${text}" is not a date of the form YYYY-MM or YYYY-MM-DD (use dateStyle: literal to print it as written)`);
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw dateError(`invalid date "${text}": there is no month ${month}`);
  if (m[3] === undefined) return { year, month };
  const day = Number(m[3]);
  const lastDay = daysInMonth(year, month);
  if (day < 1 || day > lastDay) {
    throw dateError(`invalid date "${text}": ${year}-${String(month).padStart(2, '0')} has days 1 to ${lastDay}`);
  }
  return { year, month, day };
}

function compareDates(a: Required<CalendarDate>, b: Required<CalendarDate>): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

const FULLWIDTH_ZERO = 0xff10;

/** 0-9 → ０-９; everything else unchanged. */
export function toFullwidthDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(FULLWIDTH_ZERO + Number(d)));
}

/** The first day of the Gregorian calendar in Japan (明治6年1月1日). */
const GREGORIAN_ADOPTED: Required<CalendarDate> = { year: 1873, month: 1, day: 1 };

/** A date as written in content: 1872-12-31, 1872-12. */
function isoText(date: CalendarDate): string {
  const day = date.day !== undefined ? `-${String(date.day).padStart(2, '0')}` : '';
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}${day}`;
}

/** The era in force on a date (month precision: on the first day of the month). */
export function eraOf(date: CalendarDate): { era: string; eraYear: number } {
  const exact = { year: date.year, month: date.month, day: date.day ?? 1 };
  const era = ERAS.find((e) => compareDates(exact, e.start) >= 0);
  if (!era) {
    throw dateError(
      `${isoText(date)} is before the 明治 era (1868-01-25) and cannot be written in 和暦; use dateStyle: western or literal`,
    );
  }
  return { era: era.name, eraYear: date.year - era.start.year + 1 };
}

/** The 和暦 year of a date: its era and year, year one written 元 (平成元年, 平成２年). */
export function warekiYear(date: CalendarDate): string {
  const { era, eraYear } = eraOf(date);
  return `${era}${eraYear === 1 ? '元' : eraYear}年`;
}

/**
 * Formats a content `date` for printing.
 * wareki: 平成２９年１月２６日 / 平成２９年１月 (year one is 元年); western: ２０１７年１月２６日;
 * literal: the text unchanged. Digits are full-width unless `digits` is 'halfwidth'.
 */
export function formatDate(
  date: string,
  style: DateStyle,
  digits: DigitStyle,
  /** What the message suggests for a date before 1873 in 和暦: how this field can be written as the record gives it. */
  asWritten = 'with dateStyle: literal',
): string {
  if (style === 'literal') return date;
  const parsed = parseCalendarDate(date);
  const dayPart = parsed.day === undefined ? '' : `${parsed.day}日`;
  let text: string;
  if (style === 'wareki') {
    const year = warekiYear(parsed);
    if (compareDates({ ...parsed, day: parsed.day ?? 1 }, GREGORIAN_ADOPTED) < 0) {
      throw dateError(
        `${isoText(parsed)} is before 1873-01-01, when Japan took up the Gregorian calendar (明治５年１２月２日 was followed by 明治６年１月１日): its 和暦 month and day are those of the lunisolar calendar, which kumihan does not convert; write the date as the record gives it in the old calendar ${asWritten} (for example 明治五年十一月九日), or use dateStyle: western`,
      );
    }
    text = `${year}${parsed.month}月${dayPart}`;
  } else {
    text = `${parsed.year}年${parsed.month}月${dayPart}`;
  }
  return digits === 'fullwidth' ? toFullwidthDigits(text) : text;
}
