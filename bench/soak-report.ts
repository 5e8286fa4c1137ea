/**
 * What the soak makes of its per-minute samples: whether each series stayed flat after warm-up,
 * and the chart (a hand-written SVG: three small panels, no charting library for three polylines).
 */

export interface MinuteSample {
  minute: number;
  rssMb: number;
  heapUsedMb: number;
  heapFloorMb: number;
  heapTotalMb: number;
  externalMb: number;
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  requests: number;
  errors: number;
  skipped: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** p99 by kind of request, for the JSON only. */
  p99ByKindMs: Record<string, number>;
  socketsOpen: number;
  socketsClosedByServer: number;
  liveEvents: number;
  /**
   * Not judged; what the machine did to the minute's figures (NaN where the kernel does not say):
   * how long the server's event loop was ready but waited for a CPU, and the share of the minute
   * during which some task on the machine waited for one (PSI). A p99 that follows these is the
   * machine's, not the server's.
   */
  serverCpuWaitMs: number;
  cpuPressurePercent: number;
}

export interface FlatVerdict {
  series: string;
  unit: string;
  /** The minutes judged (after warm-up). */
  judged: number[];
  median: number;
  /** How much the least-squares line through the judged minutes rises (or falls) across them, as a share of the median. */
  trend: number;
  /** The judged minute furthest from the median, as a share of it (informative). */
  maxDeviation: number;
  /** Changes smaller than this count as flat whatever their share: the measure's own resolution. */
  absoluteFloor: number;
  flat: boolean;
  reason: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Flat means: after the warm-up minutes, the least-squares line through the series rises or
 * falls by at most `tolerance` of its median across the judged minutes (a leak or a slowing
 * server is a trend, not one noisy minute), or by less than `absoluteFloor` in the series' unit.
 * Fewer than two judged minutes cannot show a trend: not flat, said so.
 */
export function judgeFlat(series: string, unit: string, minutes: number[], values: number[], warmUpMinutes: number, tolerance: number, absoluteFloor: number): FlatVerdict {
  const judged = minutes.map((minute, i) => ({ minute, value: values[i]! })).filter((point) => point.minute > warmUpMinutes && Number.isFinite(point.value));
  const base = { series, unit, judged: judged.map((point) => point.minute), absoluteFloor };
  if (judged.length < 2) return { ...base, median: NaN, trend: NaN, maxDeviation: NaN, flat: false, reason: `only ${judged.length} minute(s) after ${warmUpMinutes} of warm-up: too short to judge` };
  const xs = judged.map((point) => point.minute);
  const ys = judged.map((point) => point.value);
  const mid = median(ys);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  const slope = xs.reduce((sum, x, i) => sum + (x - meanX) * (ys[i]! - meanY), 0) / xs.reduce((sum, x) => sum + (x - meanX) ** 2, 0);
  const change = slope * (xs[xs.length - 1]! - xs[0]!);
  const share = (value: number) => (mid === 0 ? (value === 0 ? 0 : Infinity) : value / mid);
  const trend = share(change);
  const maxDeviation = Math.max(...ys.map((y) => Math.abs(share(y - mid))));
  const flat = Math.abs(change) <= Math.max(tolerance * Math.abs(mid), absoluteFloor);
  const reason = flat
    ? `trend ${signedPercent(trend)} of the median (${round(mid)} ${unit}) over minutes ${xs[0]}–${xs[xs.length - 1]}`
    : `trend ${signedPercent(trend)} of the median (${round(mid)} ${unit}) over minutes ${xs[0]}–${xs[xs.length - 1]}: more than ${tolerance * 100} % and ${absoluteFloor} ${unit}`;
  return { ...base, median: mid, trend, maxDeviation, flat, reason };
}

const round = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1));
const signedPercent = (share: number) => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)} %`;

export const CSV_COLUMNS: Array<[string, (sample: MinuteSample) => number]> = [
  ['minute', (s) => s.minute],
  ['rss_mb', (s) => s.rssMb],
  ['heap_used_mb', (s) => s.heapUsedMb],
  ['heap_floor_mb', (s) => s.heapFloorMb],
  ['heap_total_mb', (s) => s.heapTotalMb],
  ['external_mb', (s) => s.externalMb],
  ['loop_delay_p50_ms', (s) => s.loopDelayP50Ms],
  ['loop_delay_p99_ms', (s) => s.loopDelayP99Ms],
  ['loop_delay_max_ms', (s) => s.loopDelayMaxMs],
  ['requests', (s) => s.requests],
  ['errors', (s) => s.errors],
  ['skipped', (s) => s.skipped],
  ['p50_ms', (s) => s.p50Ms],
  ['p99_ms', (s) => s.p99Ms],
  ['max_ms', (s) => s.maxMs],
  ['sockets_open', (s) => s.socketsOpen],
  ['sockets_closed_by_server', (s) => s.socketsClosedByServer],
  ['live_events', (s) => s.liveEvents],
  ['server_cpu_wait_ms', (s) => s.serverCpuWaitMs],
  ['cpu_pressure_percent', (s) => s.cpuPressurePercent],
];

export function toCsv(samples: MinuteSample[]): string {
  const format = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(3));
  return [CSV_COLUMNS.map(([name]) => name).join(','), ...samples.map((sample) => CSV_COLUMNS.map(([, read]) => format(read(sample))).join(','))].join('\n') + '\n';
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Line {
  label: string;
  color: string;
  values: number[];
}

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, above the largest value. */
function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value) ?? 10 * power);
}

function panel(title: string, unit: string, minutes: number[], lines: Line[], warmUpMinutes: number, top: number, verdicts: FlatVerdict[]): string {
  const width = 720;
  const height = 170;
  const left = 56;
  const right = 16;
  const plotTop = top + 28;
  const plotHeight = height - 56;
  const plotWidth = width - left - right;
  const lastMinute = Math.max(1, ...minutes);
  const yMax = niceMax(Math.max(0, ...lines.flatMap((line) => line.values.filter(Number.isFinite))) * 1.1);
  const x = (minute: number) => left + (minute / lastMinute) * plotWidth;
  const y = (value: number) => plotTop + plotHeight - (value / yMax) * plotHeight;
  const parts: string[] = [];
  parts.push(`<text x="${left}" y="${top + 16}" class="title">${escapeXml(title)} (${escapeXml(unit)})</text>`);
  const verdictText = verdicts.map((verdict) => `${verdict.series}: ${verdict.flat ? 'flat' : 'NOT flat'} (${signedPercent(verdict.trend)})`).join('   ');
  parts.push(`<text x="${width - right}" y="${top + 16}" class="verdict" text-anchor="end">${escapeXml(verdictText)}</text>`);
  if (warmUpMinutes > 0) {
    parts.push(`<rect x="${x(0)}" y="${plotTop}" width="${x(Math.min(warmUpMinutes, lastMinute)) - x(0)}" height="${plotHeight}" class="warmup"><title>warm-up</title></rect>`);
    parts.push(`<text x="${x(0) + 4}" y="${plotTop + 12}" class="note">warm-up</text>`);
  }
  for (let i = 0; i <= 4; i += 1) {
    const value = (yMax / 4) * i;
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y(value)}" y2="${y(value)}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${y(value) + 4}" class="axis" text-anchor="end">${round(value)}</text>`);
  }
  const step = Math.max(1, Math.ceil(lastMinute / 10));
  for (let minute = 0; minute <= lastMinute; minute += step) {
    parts.push(`<text x="${x(minute)}" y="${plotTop + plotHeight + 14}" class="axis" text-anchor="middle">${minute}</text>`);
  }
  lines.forEach((line, index) => {
    const points = minutes.map((minute, i) => [minute, line.values[i]!] as const).filter(([, value]) => Number.isFinite(value));
    parts.push(`<polyline fill="none" stroke="${line.color}" stroke-width="2" points="${points.map(([minute, value]) => `${x(minute).toFixed(1)},${y(value).toFixed(1)}`).join(' ')}"/>`);
    for (const [minute, value] of points) parts.push(`<circle cx="${x(minute).toFixed(1)}" cy="${y(value).toFixed(1)}" r="2.5" fill="${line.color}"><title>minute ${minute}: ${round(value)} ${escapeXml(unit)}</title></circle>`);
    const legendX = left + 8 + index * 170;
    parts.push(`<line x1="${legendX}" x2="${legendX + 18}" y1="${top + height - 8}" y2="${top + height - 8}" stroke="${line.color}" stroke-width="2"/>`);
    parts.push(`<text x="${legendX + 24}" y="${top + height - 4}" class="axis">${escapeXml(line.label)}</text>`);
  });
  return parts.join('\n');
}

export function chartSvg(title: string, samples: MinuteSample[], warmUpMinutes: number, verdicts: FlatVerdict[]): string {
  const minutes = samples.map((sample) => sample.minute);
  const of = (names: string[]) => verdicts.filter((verdict) => names.includes(verdict.series));
  const panels = [
    panel('Server memory', 'MB', minutes, [
      { label: 'RSS', color: '#1f5fa8', values: samples.map((s) => s.rssMb) },
      { label: 'V8 heap (floor)', color: '#c2571a', values: samples.map((s) => s.heapFloorMb) },
    ], warmUpMinutes, 40, of(['RSS', 'heap floor'])),
    panel('Event-loop delay', 'ms', minutes, [
      { label: 'p99', color: '#1f5fa8', values: samples.map((s) => s.loopDelayP99Ms) },
      { label: 'p50', color: '#7a9cc6', values: samples.map((s) => s.loopDelayP50Ms) },
    ], warmUpMinutes, 220, of(['event-loop delay p99'])),
    panel('Request latency', 'ms', minutes, [
      { label: 'p99', color: '#1f5fa8', values: samples.map((s) => s.p99Ms) },
      { label: 'p50', color: '#7a9cc6', values: samples.map((s) => s.p50Ms) },
    ], warmUpMinutes, 400, of(['request p99'])),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="580" viewBox="0 0 720 580" font-family="sans-serif" role="img" aria-label="${escapeXml(title)}">
<style>
.title { font-size: 13px; font-weight: bold; fill: #222; }
.verdict { font-size: 11px; fill: #444; }
.axis, .note { font-size: 10px; fill: #555; }
.grid { stroke: #ddd; stroke-width: 1; }
.warmup { fill: #eee; }
</style>
<rect width="720" height="580" fill="#fff"/>
<text x="56" y="22" font-size="14" fill="#111">${escapeXml(title)}</text>
${panels.join('\n')}
<text x="360" y="574" class="axis" text-anchor="middle">minutes since the load started</text>
</svg>
`;
}
