// Readable units: bits vs bytes, decimal vs binary prefixes, durations, and the error text.
import { describe, expect, test } from 'vitest';
import { formatBandwidth, parseQuantity } from '../../src/core/units.js';

describe('parseQuantity', () => {
  test('bandwidth: b is a bit, B a byte; K/M/G/T decimal, Ki/Mi/Gi binary', () => {
    expect(parseQuantity('400Gbps', 'bandwidth')).toBe(50e9); // 400e9 bits / 8
    expect(parseQuantity('900GB/s', 'bandwidth')).toBe(900e9);
    expect(parseQuantity('64 GB/s', 'bandwidth')).toBe(64e9);
    expect(parseQuantity('1GiB/s', 'bandwidth')).toBe(2 ** 30);
    expect(parseQuantity('12.5GBps', 'bandwidth')).toBe(12.5e9);
    expect(parseQuantity(1e9, 'bandwidth')).toBe(1e9);
    expect(parseQuantity('0', 'duration')).toBe(0); // a bare number, even as text, is in base units
  });

  test('durations, sizes and FLOP/s', () => {
    expect(parseQuantity('1us', 'duration')).toBeCloseTo(1e-6, 20);
    expect(parseQuantity('150ns', 'duration')).toBeCloseTo(150e-9, 20);
    expect(parseQuantity('2.5ms', 'duration')).toBeCloseTo(2.5e-3, 18);
    expect(parseQuantity('64GiB', 'bytes')).toBe(64 * 2 ** 30);
    expect(parseQuantity('80GB', 'bytes')).toBe(80e9);
    expect(parseQuantity('989TFLOPS', 'flops')).toBe(989e12);
  });

  test('errors say what was expected', () => {
    expect(parseQuantity('400Gb', 'bandwidth')).toMatch(/no time unit.*400Gbps/);
    expect(parseQuantity('fast', 'bandwidth')).toMatch(/cannot read "fast" as a bandwidth/);
    expect(parseQuantity('1 parsec', 'duration')).toMatch(/expected "1us"/);
    expect(parseQuantity(Infinity, 'bandwidth')).toMatch(/finite/);
  });

  test('formatting picks a readable prefix', () => {
    expect(formatBandwidth(48.5e9)).toBe('48.5GB/s');
    expect(formatBandwidth(6.21e12)).toBe('6.21TB/s');
  });
});
