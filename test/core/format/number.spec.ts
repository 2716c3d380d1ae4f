import { describe, expect, it } from 'vitest';
import { formatNumber, fullNumber } from '../../../src/core/format/number';

describe('formatNumber', () => {
  it('shows about four significant digits of a fraction', () => {
    expect(formatNumber(0.9761864373173961)).toBe('0.9762');
    expect(formatNumber(0.9123456)).toBe('0.9123');
    expect(formatNumber(123.456)).toBe('123.5');
    expect(formatNumber(1.5)).toBe('1.5');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(0.001234567)).toBe('0.001235');
    expect(formatNumber(-0.30000000000000004)).toBe('-0.3');
  });

  it('never cuts the integer part, and groups thousands from 10,000', () => {
    expect(formatNumber(1234.5678)).toBe('1235');
    expect(formatNumber(12345.678)).toBe('12,346');
    expect(formatNumber(-9876543.21)).toBe('-9,876,543');
    expect(formatNumber(99999.99)).toBe('100,000');
  });

  it('shows integers as they are', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(2026)).toBe('2026');
    expect(formatNumber(60000)).toBe('60,000');
    expect(formatNumber(-23_456_789)).toBe('-23,456,789');
  });

  it('uses exponent notation for the tiny and the huge', () => {
    expect(formatNumber(0.00015)).toBe('1.5e-4');
    expect(formatNumber(-3.14159e-9)).toBe('-3.142e-9');
    expect(formatNumber(1e21)).toBe('1e+21');
    expect(formatNumber(2.5e15)).toBe('2.5e+15');
  });

  it('spells out values that are not finite', () => {
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('Infinity');
    expect(formatNumber(-Infinity)).toBe('-Infinity');
  });

  it('rounds where a carry adds a digit', () => {
    expect(formatNumber(9.99996)).toBe('10');
    expect(formatNumber(0.99996)).toBe('1');
    expect(formatNumber(999.96)).toBe('1000');
  });

  it('keeps every digit in the full value', () => {
    expect(fullNumber(0.9761864373173961)).toBe('0.9761864373173961');
    expect(Number(fullNumber(1 / 3))).toBe(1 / 3);
  });
});
