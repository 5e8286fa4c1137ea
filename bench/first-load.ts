import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium.js';
import { freePort, percentile, printTable, serverNodeArgs, startProcess, type RunningProcess } from './measure.js';
import { seed } from './seed.js';

/**
 * First load of a page in Chromium on a slow connection, from an empty cache: the JavaScript it
 * transfers (compressed bytes on the wire, from the DevTools protocol's encodedDataLength) and the
 * time from navigation start until the page can be used. Part of `npm run bench`; alone, on a small
 * database of its own, as `npm run bench:first-load`.
 */

/** 1.6 Mbit/s down, 750 kbit/s up (DevTools' "Fast 3G" bandwidths) and 150 ms of latency per request. */
export const SLOW_NETWORK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const RUNS = 3;
/** After the page is usable, how long without a new script request before the count is closed. */
const QUIET_MS = 1_500;

export interface FirstLoad {
  /** Median time from navigation start until the page is usable, in ms. */
  usableMs: number;
  /** JavaScript transferred (compressed, headers included), in bytes. */
  scriptBytes: number;
  /** The same JavaScript once decoded, in bytes. */
  scriptDecodedBytes: number;
  scriptFiles: number;
}

interface Scenario {
  path: string;
  locale: string;
  cookie?: string;
  /** Body of a function evaluated in the page on every animation frame: ms since navigation start once the page is usable, false before. */
  usable: string;
}

/*
 * Page-side checks, as source text: the page evaluates them on every animation frame and they answer
 * performance.now() (ms since navigation start) once the page is usable, false before. Written as
 * text (made into functions with new Function) because the TypeScript loader would wrap functions
 * in helpers the page lacks, and the page's CSP refuses the eval of a string predicate.
 */
const FIND_DEEP = `const deep = (root, selector) => {
  const found = root.querySelector(selector);
  if (found) return found;
  for (const element of root.querySelectorAll('*')) {
    const inner = element.shadowRoot && deep(element.shadowRoot, selector);
    if (inner) return inner;
  }
  return null;
};`;

/** The sign-in form's e-mail field and submit button are visible and enabled. */
const SIGN_IN_USABLE = `
  ${FIND_DEEP}
  const page = deep(document, 'cn-login-page')?.shadowRoot;
  const email = page?.querySelector('form input[type=email]');
  const submit = page?.querySelector('form button[type=submit]');
  const usable = !!email && !!submit && email.checkVisibility() && !email.disabled && submit.checkVisibility() && !submit.disabled && submit.getAttribute('aria-disabled') !== 'true';
  return usable && performance.now();`;

/** The debates page shows its list of threads. */
const DEBATES_USABLE = `
  ${FIND_DEEP}
  const list = deep(document, 'cn-debates-page')?.shadowRoot?.querySelector('.thread-list[aria-busy=false]');
  return !!list?.querySelector('article.thread') && list.checkVisibility() && performance.now();`;

async function loadOnce(browser: Browser, baseUrl: string, scenario: Scenario): Promise<FirstLoad> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: scenario.locale, viewport: { width: 1280, height: 900 } });
  try {
    if (scenario.cookie) {
      const [name, ...value] = scenario.cookie.split('=');
      await context.addCookies([{ name: name!, value: value.join('='), url: baseUrl }]);
    }
    const page: Page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_NETWORK);
    const scripts = new Set<string>();
    const pending = new Set<string>();
    const encoded = new Map<string, number>();
    const decoded = new Map<string, number>();
    let lastScriptAt = performance.now();
    cdp.on('Network.requestWillBeSent', (event) => {
      if (event.type !== 'Script') return;
      scripts.add(event.requestId);
      pending.add(event.requestId);
      lastScriptAt = performance.now();
    });
    cdp.on('Network.dataReceived', (event) => decoded.set(event.requestId, (decoded.get(event.requestId) ?? 0) + event.dataLength));
    const done = (requestId: string, bytes: number) => {
      encoded.set(requestId, bytes);
      pending.delete(requestId);
    };
    cdp.on('Network.loadingFinished', (event) => done(event.requestId, event.encodedDataLength));
    cdp.on('Network.loadingFailed', (event) => done(event.requestId, 0));

    await page.goto(scenario.path, { waitUntil: 'commit' });
    const usable = await page.waitForFunction(new Function(scenario.usable) as () => number | false, undefined, { polling: 'raf', timeout: 60_000 });
    const usableMs = (await usable.jsonValue()) as number;
    // Scripts the page asks for after it is usable (code for the signed-in chrome, say) count too.
    const deadline = performance.now() + 30_000;
    while (pending.size > 0 || performance.now() - lastScriptAt < QUIET_MS) {
      if (performance.now() > deadline) throw new Error(`${scenario.path}: scripts still loading after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const sum = (sizes: Map<string, number>) => [...scripts].reduce((total, id) => total + (sizes.get(id) ?? 0), 0);
    return { usableMs, scriptBytes: sum(encoded), scriptDecodedBytes: sum(decoded), scriptFiles: scripts.size };
  } finally {
    await context.close();
  }
}

/** The floor on this network: ms until a small file from the same server has arrived (one request's latency and transfer). */
async function floorMs(browser: Browser, baseUrl: string): Promise<number> {
  const context = await browser.newContext({ baseURL: baseUrl });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_NETWORK);
    const times: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      await cdp.send('Network.clearBrowserCache');
      await page.goto('/favicon.svg');
      times.push(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseEnd));
    }
    return percentile(times, 50);
  } finally {
    await context.close();
  }
}

async function measure(browser: Browser, baseUrl: string, scenario: Scenario): Promise<FirstLoad> {
  const runs: FirstLoad[] = [];
  for (let run = 0; run < RUNS; run += 1) runs.push(await loadOnce(browser, baseUrl, scenario));
  const median = percentile(runs.map((run) => run.usableMs), 50);
  return runs.find((run) => run.usableMs === median)!;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

/**
 * The first-load rows of the benchmark: the sign-in page for a visitor whose browser speaks Spanish
 * (the forum's most common language, so its translations load too), and the debates page for a
 * signed-in Spanish-speaking member. `memberCookie` is such a member's session cookie.
 */
export async function firstLoadRows(baseUrl: string, memberCookie: string): Promise<Array<[string, string, string, string]>> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    const signIn = await measure(browser, baseUrl, { path: '/', locale: 'es-CL', usable: SIGN_IN_USABLE });
    const debates = await measure(browser, baseUrl, { path: '/debates', locale: 'es-CL', cookie: memberCookie, usable: DEBATES_USABLE });
    const floor = await floorMs(browser, baseUrl);
    const details = (load: FirstLoad) => `${load.scriptFiles} files, ${kb(load.scriptDecodedBytes)} decoded`;
    return [
      ['floor: one small file (the favicon) from the same server, median of 3', `${floor.toFixed(0)} ms`, '', ''],
      ['sign-in page (signed out, Spanish browser): JavaScript transferred', kb(signIn.scriptBytes), '<= 80 KB', verdict(signIn.scriptBytes <= 80 * 1024)],
      ['  usable (e-mail field and submit button), median of 3', `${signIn.usableMs.toFixed(0)} ms`, '< 1500 ms', verdict(signIn.usableMs < 1500)],
      ['  scripts', details(signIn), '', ''],
      ['debates page (signed-in member, Spanish): JavaScript transferred', kb(debates.scriptBytes), '<= 130 KB', verdict(debates.scriptBytes <= 130 * 1024)],
      ['  usable (thread list shown), median of 3', `${debates.usableMs.toFixed(0)} ms`, '< 2000 ms', verdict(debates.usableMs < 2000)],
      ['  scripts', details(debates), '', ''],
    ];
  } finally {
    await browser.close();
  }
}

export const FIRST_LOAD_TITLE = `First load in Chromium, empty cache, ${SLOW_NETWORK.downloadThroughput * 8 / 1e6} Mbit/s down, ${SLOW_NETWORK.uploadThroughput * 8 / 1e3} kbit/s up, ${SLOW_NETWORK.latency} ms latency (DevTools network emulation)`;

/** `npm run bench:first-load`: the first-load rows alone, on a small database. */
async function runAlone(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-first-load-'));
  let server: RunningProcess | null = null;
  try {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const seeded = await seed(dataDir, origin, { users: 20, threads: 60, posts: 300 }, () => undefined);
    server = await startProcess(serverNodeArgs(), { DATA_DIR: dataDir, PUBLIC_URL: origin, LOG_LEVEL: 'warn' }, port, '/api/health');
    // Person 13 is a member whose profile is in Spanish (see bench/seed.ts).
    printTable(FIRST_LOAD_TITLE, await firstLoadRows(server.url, seeded.cookies[13]!));
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runAlone();
