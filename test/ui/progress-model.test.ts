import { describe, expect, it } from 'vitest';
import { duration, progressView } from '../../src/ui/progress-model.js';

describe('load progress', () => {
  it('shows percent, bytes of total, rate and ETA when the size is known', () => {
    // 25 MB of 100 MB in 5 s: 5 MB/s, 75 MB left = 15 s.
    const v = progressView({ read: 25e6, total: 100e6, elapsedMs: 5000 }, 80);
    expect(v.text).toBe('25% · 25 MB of 100 MB · 5 MB/s · ETA 15s');
    expect(v.bar).toHaveLength(50);
    expect(v.filled).toBe(13);
  });

  it('shows bytes and rate only for stdin', () => {
    const v = progressView({ read: 3e9, total: null, elapsedMs: 60_000 }, 80);
    expect(v.bar).toBeNull();
    expect(v.text).toBe('3 GB read · 50 MB/s');
  });

  it('says nothing about rate in the first instant', () => {
    expect(progressView({ read: 0, total: 10, elapsedMs: 0 }, 80).text).toBe('0% · 0 B of 10 B');
  });

  it('formats durations', () => {
    expect([duration(4.4), duration(125), duration(3720)]).toEqual(['4s', '2m 05s', '1h 02m']);
  });
});
