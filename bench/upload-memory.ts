import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, percentile, startProcess } from './measure.js';

/**
 * Server memory while one large file is uploaded to the library: the upload is streamed to disk
 * (and hashed on the way), so the server's resident memory must grow far less than the file.
 * The body is generated as it is sent: the load generator does not hold the file either.
 * Run alone with `npm run bench:upload`; `npm run bench` includes it.
 */
export interface UploadMemoryResult {
  fileMb: number;
  seconds: number;
  baselineMb: number;
  peakMb: number;
  status: number;
  /** Small uploads one after the other (each made durable before it is acknowledged): how long each took. */
  small: { count: number; kb: number; p50Ms: number; p95Ms: number; failed: number };
}

const MB = 1024 * 1024;

function multipartStream(boundary: string, metadata: string, fileName: string, fileBytes: number, marker = ''): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${metadata}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  // A PDF signature, then filler: a large scanned report as far as type checks are concerned.
  // The marker makes each upload's content its own: the store keeps identical content once, and a
  // repeated file would skip the write being measured.
  const signature = encoder.encode(`%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n%${marker}\n`);
  const chunk = new Uint8Array(256 * 1024).fill(0x20);
  let sent = 0;
  let stage: 'head' | 'body' | 'tail' | 'done' = 'head';
  return new ReadableStream({
    pull(controller) {
      if (stage === 'head') {
        controller.enqueue(head);
        controller.enqueue(signature);
        sent = signature.length;
        stage = 'body';
      } else if (stage === 'body') {
        const size = Math.min(chunk.length, fileBytes - sent);
        controller.enqueue(size === chunk.length ? chunk : chunk.subarray(0, size));
        sent += size;
        if (sent >= fileBytes) stage = 'tail';
      } else if (stage === 'tail') {
        controller.enqueue(tail);
        stage = 'done';
      } else controller.close();
    },
  });
}

async function uploadOnce(url: string, cookie: string, fileBytes: number, marker = ''): Promise<number> {
  const boundary = `----concilia${Date.now()}`;
  const metadata = JSON.stringify({ title: { es: 'Informe escaneado', en: 'Scanned report' }, type: 'report', languages: ['es'], publicationDate: '2026-11-01', visibility: 'group' });
  const response = await fetch(`${url}/api/documents`, {
    method: 'POST',
    headers: { cookie, origin: url, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: multipartStream(boundary, metadata, 'informe-escaneado.pdf', fileBytes, marker),
    duplex: 'half',
  } as RequestInit);
  await response.arrayBuffer();
  return response.status;
}

const SMALL_UPLOADS = 40;
const SMALL_UPLOAD_KB = 64;

export async function measureUploadMemory(serverArgs: string[], fileMb = 100): Promise<UploadMemoryResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-upload-bench-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = await startProcess(serverArgs, { DATA_DIR: dataDir, PUBLIC_URL: origin, LOG_LEVEL: 'warn', MAX_UPLOAD_MB: String(fileMb + 1) }, port, '/api/health');
  try {
    const setup = await fetch(`${origin}/api/setup`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ groupName: 'Bench', displayName: 'Ana Admin', email: 'admin@bench.test', password: 'bench-password-1', locale: 'es', timeZone: 'America/Santiago', organizationId: 'eclac' }),
    });
    if (setup.status !== 201) throw new Error(`setup answered ${setup.status}`);
    const cookie = setup.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
    // A small upload first, so what is loaded once (multipart, type detection) is in the baseline.
    const warm = await uploadOnce(origin, cookie, 64 * 1024, 'warm-up');
    if (warm !== 201) throw new Error(`warm-up upload answered ${warm}`);
    // Small documents one at a time: where the cost of making each file durable (fsync) shows.
    const times: number[] = [];
    let failed = 0;
    for (let i = 0; i < SMALL_UPLOADS; i++) {
      const began = performance.now();
      if ((await uploadOnce(origin, cookie, SMALL_UPLOAD_KB * 1024, `small-${i}`)) !== 201) failed += 1;
      times.push(performance.now() - began);
    }
    const small = { count: SMALL_UPLOADS, kb: SMALL_UPLOAD_KB, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), failed };
    await new Promise((resolve) => setTimeout(resolve, 500));
    const baselineMb = server.rssMb();
    let peakMb = baselineMb;
    const sampler = setInterval(() => (peakMb = Math.max(peakMb, server.rssMb())), 10);
    const started = performance.now();
    const status = await uploadOnce(origin, cookie, fileMb * MB);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peakMb = Math.max(peakMb, server.rssMb());
    return { fileMb, seconds, baselineMb, peakMb, status, small };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
