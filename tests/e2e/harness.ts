import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describe } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type ConsoleMessage, type Page } from 'playwright-core';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { builtClientDir } from '../../server/shared/paths.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js';
import { freePort } from '../support/free-port.js';

export { CHROMIUM_PATH } from '../support/chromium.js';

/**
 * Whether the browser tests can run here. In CI a missing browser is a failure (a green run
 * must not hide untested UI); on a developer's machine the tests are skipped with the reason.
 */
export function browserAvailability(): { available: true } | { available: false; reason: string } {
  if (existsSync(CHROMIUM_PATH)) return { available: true };
  const reason = `Chromium not found at ${CHROMIUM_PATH} (install Debian's "chromium" package)`;
  if (process.env.CI === 'true') throw new Error(`Browser tests cannot run in CI: ${reason}.`);
  return { available: false, reason };
}

/**
 * `describe` for browser tests: skipped with the reason in its name (and a warning) when there
 * is no Chromium on a developer's machine; in CI the missing browser fails the run instead.
 */
export function describeInBrowser(name: string, body: () => void): void {
  const availability = browserAvailability();
  if (availability.available) {
    describe(name, body);
    return;
  }
  console.warn(`Browser tests "${name}" skipped: ${availability.reason}`);
  describe.skip(`${name} (skipped: ${availability.reason})`, body);
}

export interface Harness {
  baseUrl: string;
  app: FastifyInstance;
  browser: Browser;
  /** A fresh, cookie-less browser context (one per person in a scenario). */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** Every console error, CSP violation and uncaught exception seen on pages opened through `watch`. */
  problems: string[];
  /** Starts recording a page's console errors and uncaught exceptions into `problems`. */
  watch(page: Page, options?: { expectedStatuses?: Array<{ status: number; path: string }> }): Page;
  close(): Promise<void>;
}

/**
 * The real server (built client, fresh SQLite in a temporary folder) on 127.0.0.1, and
 * headless Chromium. Requires `vite build` to have run (npm test does it first).
 */
/** `env`: settings for this harness's server, beside the test defaults (e.g. a small upload limit). */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  if (!existsSync(path.join(builtClientDir, 'index.html'))) {
    throw new Error(`The client is not built (${builtClientDir}/index.html is missing): run "npx vite build" first.`);
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-e2e-'));
  const contexts: BrowserContext[] = [];
  let app: FastifyInstance | null = null;
  let browser: Browser | null = null;
  const cleanUp = async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    // The public URL (Origin check, invitation links) needs the port before the app is built,
    // so a free port is picked first; if another process takes it meanwhile, pick again.
    let baseUrl = '';
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      baseUrl = `http://127.0.0.1:${port}`;
      const config = loadConfig(
        { ...env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: String(port) },
        { clientDir: builtClientDir, publicUrl: baseUrl },
      );
      app = await buildApp(config, { logger: false });
      try {
        await app.listen({ host: '127.0.0.1', port });
        break;
      } catch (error) {
        await app.close();
        app = null;
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 3) throw error;
      }
    }

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
    const problems: string[] = [];
    const runningBrowser = browser;
    const runningApp = app;

    return {
      baseUrl,
      app: runningApp,
      browser: runningBrowser,
      problems,
      async newContext(options = {}) {
        const context = await runningBrowser.newContext({ baseURL: baseUrl, locale: 'en-US', ...options });
        context.setDefaultTimeout(10_000);
        context.setDefaultNavigationTimeout(15_000);
        contexts.push(context);
        return context;
      },
      watch(page, options = {}) {
        const expected = options.expectedStatuses ?? [];
        page.on('console', (message: ConsoleMessage) => {
          if (message.type() !== 'error' && !/Content.Security.Policy/i.test(message.text())) return;
          // Chrome logs every 4xx answer as a console error; answers the scenario expects are not faults.
          const status = /status of (\d{3})/.exec(message.text());
          const url = message.location().url;
          if (status && expected.some((e) => Number(status[1]) === e.status && new URL(url, baseUrl).pathname === e.path)) return;
          problems.push(`console ${message.type()}: ${message.text()} (${url})`);
        });
        page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
        return page;
      },
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
