import { describe, expect, test } from 'vitest';
import { defaultDateStyle, formatDate, parseCalendarDate, toFullwidthDigits } from '../../src/model/date.js';
import { catchKumihanError } from './helpers.js';

const wareki = (date: string) => formatDate(date, 'wareki', 'fullwidth');

describe('wareki', () => {
  test.each([
    ['2017-01-26', '平成２９年１月２６日'],
    ['2017-01', '平成２９年１月'],
    ['1989-01-07', '昭和６４年１月７日'],
    ['1989-01-08', '平成元年１月８日'],
    ['2019-04-30', '平成３１年４月３０日'],
    ['2019-05-01', '令和元年５月１日'],
    ['2020-02-29', '令和２年２月２９日'],
    ['1912-07-29', '明治４５年７月２９日'],
    ['1912-07-30', '大正元年７月３０日'],
    ['1926-12-24', '大正１５年１２月２４日'],
    ['1926-12-25', '昭和元年１２月２５日'],
    ['1873-01-01', '明治６年１月１日'],
    ['1900-01-01', '明治３３年１月１日'],
  ])('%s → %s', (date, expected) => {
    expect(wareki(date)).toBe(expected);
  });

  test('month precision uses the era in force on the first day of the month', () => {
    expect(wareki('1989-01')).toBe('昭和６４年１月');
    expect(wareki('2019-05')).toBe('令和元年５月');
    expect(wareki('2019-04')).toBe('平成３１年４月');
    expect(wareki('1912-07')).toBe('明治４５年７月');
    expect(wareki('1926-12')).toBe('大正１５年１２月');
  });

  test('half-width digits', () => {
    expect(formatDate('2017-01-26', 'wareki', 'halfwidth')).toBe('平成29年1月26日');
    expect(formatDate('2019-05-01', 'wareki', 'halfwidth')).toBe('令和元年5月1日');
  });

  test('dates before 明治 are rejected', () => {
    const err = catchKumihanError(() => wareki('1868-01-24'));
    expect(err.kind).toBe('schema');
    expect(err.location.path).toBe('date');
    expect(err.message).toMatch(/^1868-01-24 is before the 明治 era/);
    expect(catchKumihanError(() => wareki('0999-01-01')).message).toMatch(/^0999-01-01 is before/);
  });

  test('dates before 1873 are rejected: Japan kept the lunisolar calendar until 明治５年, so the month and day would be wrong', () => {
    // 明治５年１２月２日 was followed by 明治６年１月１日 (1873-01-01): 1872-12-31 was never 明治５年１２月３１日.
    for (const date of ['1872-12-31', '1872-12', '1868-10-23', '1870-06-15']) {
      const err = catchKumihanError(() => wareki(date));
      expect(err.message, date).toMatch(new RegExp(`^${date} is before 1873-01-01, when Japan took up the Gregorian calendar`));
      expect(err.message).toMatch(/dateStyle: literal/);
    }
    expect(formatDate('1872-12-31', 'western', 'fullwidth')).toBe('１８７２年１２月３１日');
  });
});

describe('western and literal', () => {
  test('western', () => {
    expect(formatDate('2017-01-26', 'western', 'fullwidth')).toBe('２０１７年１月２６日');
    expect(formatDate('2017-01', 'western', 'fullwidth')).toBe('２０１７年１月');
    expect(formatDate('1850-12-31', 'western', 'halfwidth')).toBe('1850年12月31日');
  });

  test('literal prints the text unchanged, digits included', () => {
    expect(formatDate('2017年 初春', 'literal', 'fullwidth')).toBe('2017年 初春');
    expect(formatDate('2017-01-26', 'literal', 'fullwidth')).toBe('2017-01-26');
  });

  test('default style: wareki for calendar dates only', () => {
    expect(defaultDateStyle('2017-01')).toBe('wareki');
    expect(defaultDateStyle('2017-01-26')).toBe('wareki');
    expect(defaultDateStyle('平成29年 初春')).toBe('literal');
    expect(defaultDateStyle('2017')).toBe('literal');
  });

  test('full-width digit conversion touches digits only', () => {
    expect(toFullwidthDigits('a0-9z')).toBe('a０-９z');
  });
});

describe('invalid dates', () => {
  test.each(['2017-02-30', '2017-13', '2017-00', '2017-04-31', '2019-02-29', '2017-01-00'])('%s', (date) => {
    const err = catchKumihanError(() => formatDate(date, 'wareki', 'fullwidth'));
    expect(err.kind).toBe('schema');
    expect(err.location.path).toBe('date');
    expect(err.message).toContain(date);
  });

  test('leap days are accepted where they exist', () => {
    expect(parseCalendarDate('2000-02-29')).toEqual({ year: 2000, month: 2, day: 29 });
    expect(parseCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(() => parseCalendarDate('1900-02-29')).toThrow(/1 to 28/);
  });

  test('a non-date with an explicit calendar style is an error', () => {
    const err = catchKumihanError(() => formatDate('初春', 'western', 'fullwidth'));
    expect(err.message).toMatch(/YYYY-MM/);
  });
});
