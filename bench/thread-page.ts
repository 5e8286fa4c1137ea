import { load, type LoadResult, type RunningProcess } from './measure.js';

/** What every browser sends: the thread page is measured as a browser asks for it, and also without compression. */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/** The thread page the benchmark asks: the hot thread's first 50 posts by time. */
export const threadPagePath = (threadId: string) => `/api/threads/${threadId}/posts?view=chronological&limit=50`;

/** A load, and the server's CPU time per response during it (user + system): less swayed than req/s by what else the machine runs. */
export type MeasuredLoad = LoadResult & { cpuMicrosPerRequest: number };

export interface ThreadPageResult {
  postsOnPage: number;
  jsonBytes: number;
  /** As a browser asks for it (Accept-Encoding), fresh. */
  page: MeasuredLoad;
  uncompressed: MeasuredLoad;
  /** If-None-Match with the page's ETag: 304s. */
  revalidation: MeasuredLoad | null;
}

/** The thread page of `npm run bench` (and `npm run bench:thread`): compressed, uncompressed and revalidated, each at 50 connections. */
export async function measureThreadPage(server: RunningProcess, reader: string, threadId: string, seconds: number): Promise<ThreadPageResult> {
  const url = server.url + threadPagePath(threadId);
  const measured = async (headers: Record<string, string>): Promise<MeasuredLoad> => {
    const cpuBefore = server.cpuSeconds();
    const result = await load({ url, headers, duration: seconds });
    return { ...result, cpuMicrosPerRequest: ((server.cpuSeconds() - cpuBefore) * 1e6) / Math.max(1, result.requests) };
  };
  const first = await fetch(url, { headers: { cookie: reader } });
  const firstBody = await first.text();
  if (first.status !== 200) throw new Error(`thread page answered ${first.status}: ${firstBody.slice(0, 200)}`);
  const etag = first.headers.get('etag');
  const browser = { cookie: reader, 'accept-encoding': BROWSER_ACCEPT_ENCODING };
  await load({ url, headers: browser, duration: 2 });
  const page = await measured(browser);
  const uncompressed = await measured({ cookie: reader });
  const revalidation = etag ? await measured({ ...browser, 'if-none-match': etag }) : null;
  return { postsOnPage: (JSON.parse(firstBody) as { items: unknown[] }).items.length, jsonBytes: Buffer.byteLength(firstBody), page, uncompressed, revalidation };
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The thread page's rows of the benchmark's table, against the hello-world ceiling of the same run. */
export function threadPageRows(result: ThreadPageResult, ceilingRps: number): Array<[string, string, string, string]> {
  const { page, uncompressed, revalidation } = result;
  const ratio = page.requestsPerSecond / ceilingRps;
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  return [
    [`thread page req/s (${result.postsOnPage} posts; ${fmt(result.jsonBytes / 1024)} KB of JSON, ${fmt(page.bytesPerResponse / 1024)} KB on the wire with br)`, fmt(page.requestsPerSecond, 0), '', page.non2xx ? `${page.non2xx} non-2xx` : ''],
    ['thread page / hello-world', `${fmt(ratio * 100)} %`, '>= 20 %', verdict(ratio >= 0.2)],
    ['thread page p99 at 50 connections', `${fmt(page.p99Ms)} ms`, '< 15 ms', verdict(page.p99Ms < 15)],
    ['  same page uncompressed: req/s (ratio), p99', `${fmt(uncompressed.requestsPerSecond, 0)} (${fmt((uncompressed.requestsPerSecond / ceilingRps) * 100)} %), ${fmt(uncompressed.p99Ms)} ms`, '', ''],
    ['revalidation (304) req/s (ratio), p99', revalidation ? `${fmt(revalidation.requestsPerSecond, 0)} (${fmt((revalidation.requestsPerSecond / ceilingRps) * 100)} %), ${fmt(revalidation.p99Ms)} ms` : 'no ETag', '', ''],
    ['  server CPU per response: br / uncompressed / 304', `${fmt(page.cpuMicrosPerRequest, 0)} / ${fmt(uncompressed.cpuMicrosPerRequest, 0)} / ${revalidation ? fmt(revalidation.cpuMicrosPerRequest, 0) : 'n/a'} µs`, '', ''],
  ];
}
