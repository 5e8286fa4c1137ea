import { Worker } from 'node:worker_threads';
import type { Extractor } from './file-types.js';
import type { TextEncoding } from './text-encoding.js';
import type { ExtractionJob, ExtractionResult } from './text-extraction-worker.js';

/**
 * Built, the worker is plain JavaScript beside this file. From the TypeScript sources (tests, tsx)
 * it first registers the same TypeScript loader in its own thread: loaders are per thread.
 */
function workerEntry(): URL {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = new URL(`./text-extraction-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return script;
  const loader = import.meta.resolve('tsx/esm/api');
  return new URL(`data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(loader)}; register(); await import(${JSON.stringify(script.href)});`)}`);
}

/** Text indexed per document at most: a long report's words are all in its first megabytes. */
const MAX_INDEXED_CHARS = 2_000_000;
const JOB_TIMEOUT_MS = 60_000;
const IDLE_MS = 30_000;
/**
 * How much the process may grow while extractions run before their worker is ended. The worker's
 * heap is capped by resourceLimits, but what parsers inflate into typed arrays (pdf.js decodes a
 * compressed content stream whole: a 0.8 MB PDF held 785 MB) lives outside the heap, where no
 * limit reaches; ending the thread gives it all back.
 */
const MAX_GROWTH_BYTES = 320 * 1024 * 1024;
const WATCH_MS = 20;

/**
 * Extracts the searchable text of uploaded files (pdf.js through unpdf; DOCX read as a stream
 * within limits, see docx-text.ts) in one worker thread, started on demand and ended when idle, so
 * the parser's memory is given back. A file that fails, times out or is over a limit (a zip bomb)
 * yields no text: the document is still stored and found by its metadata.
 */
export class TextExtractor {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (text: string | null) => void; timer: NodeJS.Timeout }>();
  private idleTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;

  constructor(
    private readonly onError: (message: string) => void,
    private readonly maxGrowthBytes = MAX_GROWTH_BYTES,
  ) {}

  /** Samples the process's resident memory while jobs are pending, from before the worker starts. */
  private watch(): void {
    if (this.watchdog) return;
    const baseline = process.memoryUsage.rss();
    this.watchdog = setInterval(() => {
      const growth = process.memoryUsage.rss() - baseline;
      if (growth <= this.maxGrowthBytes) return;
      this.onError(`text extraction stopped: the process grew by ${Math.round(growth / (1024 * 1024))} MB while it ran (at most ${Math.round(this.maxGrowthBytes / (1024 * 1024))} MB)`);
      void this.stop();
    }, WATCH_MS);
    this.watchdog.unref();
  }

  private unwatch(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  /** `encoding` is that of a text file (`extractor` 'text'), as the upload's check found it. */
  extract(file: string, extractor: Extractor, encoding: TextEncoding = 'utf-8'): Promise<string | null> {
    this.watch();
    const worker = this.ensureWorker();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.onError(`text extraction timed out after ${JOB_TIMEOUT_MS} ms`);
        // The parser may be stuck: start afresh for the next file.
        void this.stop();
      }, JOB_TIMEOUT_MS);
      this.waiting.set(id, { resolve, timer });
      worker.postMessage({ id, file, extractor, encoding, maxChars: MAX_INDEXED_CHARS } satisfies ExtractionJob);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerEntry(), { resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 } });
    worker.on('message', (result: ExtractionResult) => this.settle(result.id, 'text' in result ? result.text : null, 'error' in result ? result.error : null));
    worker.on('error', (error) => this.onError(`text extraction worker failed: ${String(error)}`));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      for (const id of [...this.waiting.keys()]) this.settle(id, null, null);
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(id: number, text: string | null, error: string | null): void {
    const waiting = this.waiting.get(id);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.waiting.delete(id);
    if (error) this.onError(`text extraction failed: ${error}`);
    waiting.resolve(text);
    if (this.waiting.size === 0) {
      this.unwatch();
      this.idleTimer = setTimeout(() => void this.stop(), IDLE_MS);
      this.idleTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.unwatch();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
