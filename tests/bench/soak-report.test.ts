import { describe, expect, it } from 'vitest';
import { chartSvg, judgeFlat, toCsv, type MinuteSample } from '../../bench/soak-report.js';

const minutes = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('the soak judges a series flat', () => {
  it('when it wobbles around a level after warm-up, whatever the warm-up did', () => {
    // Warm-up: memory climbs from 90 to 150 MB; then ±4 % around 160 MB for 25 minutes.
    const values = [90, 120, 140, 150, 155, ...minutes(25).map((i) => 160 * (1 + 0.04 * Math.sin(i * 1.7)))];
    const verdict = judgeFlat('RSS', 'MB', minutes(30), values, 5, 0.1, 1);
    expect(verdict.flat, verdict.reason).toBe(true);
    expect(verdict.judged).toEqual(minutes(25).map((i) => i + 5));
    expect(Math.abs(verdict.trend)).toBeLessThan(0.1);
  });

  it('not when it keeps growing, even slowly (a leak of 0.5 % a minute)', () => {
    const values = minutes(30).map((i) => 160 * (1 + 0.005 * i));
    const verdict = judgeFlat('RSS', 'MB', minutes(30), values, 5, 0.1, 1);
    expect(verdict.flat).toBe(false);
    expect(verdict.trend).toBeGreaterThan(0.1);
    expect(verdict.reason).toContain('more than 10 %');
  });

  it('not when latency falls off a cliff halfway', () => {
    const values = minutes(20).map((i) => (i <= 12 ? 8 : 14));
    expect(judgeFlat('request p99', 'ms', minutes(20), values, 3, 0.1, 1).flat).toBe(false);
  });

  it('when a change is below the measure’s resolution, though large as a share of a tiny median', () => {
    const values = [0.5, 0.2, 0.3, 0.4, 0.6, 0.8];
    const verdict = judgeFlat('event-loop delay p99', 'ms', minutes(6), values, 1, 0.1, 1);
    expect(verdict.flat, verdict.reason).toBe(true);
    expect(judgeFlat('event-loop delay p99', 'ms', minutes(6), values, 1, 0.1, 0).flat).toBe(false);
  });

  it('never from fewer than two minutes after warm-up, and says why', () => {
    const verdict = judgeFlat('RSS', 'MB', minutes(2), [100, 100], 1, 0.1, 1);
    expect(verdict.flat).toBe(false);
    expect(verdict.reason).toContain('too short');
  });
});

const sample = (minute: number, overrides: Partial<MinuteSample> = {}): MinuteSample => ({
  minute,
  rssMb: 150,
  heapUsedMb: 60,
  heapFloorMb: 50,
  heapTotalMb: 80,
  externalMb: 5,
  loopDelayP50Ms: 0.2,
  loopDelayP99Ms: 3.5,
  loopDelayMaxMs: 20,
  requests: 3000,
  errors: 0,
  skipped: 0,
  p50Ms: 4,
  p99Ms: 25,
  maxMs: 80,
  p99ByKindMs: { thread_page: 20 },
  socketsOpen: 1000,
  socketsClosedByServer: 0,
  liveEvents: 40_000,
  serverCpuWaitMs: 1_200,
  cpuPressurePercent: 30,
  ...overrides,
});

describe('the soak writes', () => {
  it('one CSV row per minute under a header', () => {
    const lines = toCsv([sample(1), sample(2, { rssMb: 151.25 })]).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]!.split(',').slice(0, 3)).toEqual(['minute', 'rss_mb', 'heap_used_mb']);
    expect(lines[2]!.split(',').slice(0, 2)).toEqual(['2', '151.250']);
  });

  it('a chart of three panels, two lines each, with the warm-up shaded and the verdicts written', () => {
    const samples = minutes(6).map((minute) => sample(minute, { rssMb: 140 + minute }));
    const verdicts = [judgeFlat('RSS', 'MB', minutes(6), samples.map((s) => s.rssMb), 2, 0.1, 1)];
    const svg = chartSvg('Soak <test> & more', samples, 2, verdicts);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(6);
    expect(svg.match(/class="warmup"/g)).toHaveLength(3);
    expect(svg).toContain('Soak &lt;test&gt; &amp; more');
    expect(svg).not.toContain('<test>');
    expect(svg).toContain('RSS: flat');
    // Every point of the RSS line is drawn, each with its value for a reader who hovers it.
    expect(svg).toContain('<title>minute 6: 146 MB</title>');
  });
});
