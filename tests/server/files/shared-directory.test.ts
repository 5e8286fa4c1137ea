import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalPdf } from '../../fixtures/documents.js';
import { startServerProcess, stopServerProcess, type ServerProcess } from '../../support/server-process.js';
import { populate, type People } from '../debates/support.js';
import { metadata, multipart, storedFiles } from '../documents/support.js';
import { waitUntil } from '../live-support.js';
import { buildTestApp, type TestApp } from '../../helper.js';

/**
 * Two real server processes on one DATA_DIR, as several instances over a shared files directory
 * run: what one instance receives must survive the other's restart, and what one stores the other
 * serves as soon as the upload is acknowledged.
 */

let dataDir: string;
let people: People;
/** The database the servers share: its app is closed once the group is made, its close drops it (PostgreSQL). */
let database: TestApp;
/** The suite's engine for the server processes: SQLite's file in DATA_DIR, or the test's PostgreSQL database. */
let serverEnv: Record<string, string>;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'concilia-shared-files-'));
  database = await buildTestApp({ DATA_DIR: dataDir });
  serverEnv = database.config.databaseUrl === null ? {} : { DATABASE_URL: database.config.databaseUrl };
  people = await populate(database.app);
  await database.app.close();
  servers.push(...(await Promise.all([startServerProcess(dataDir, serverEnv), startServerProcess(dataDir, serverEnv)])));
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => stopServerProcess(server.child)));
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const temporaryUploads = () => storedFiles(dataDir).filter((file) => file.startsWith('tmp/'));

/** A POST whose body goes in two parts: the caller decides when the second follows. */
function slowPost(server: ServerProcess, url: string, cookie: string, contentType: string, body: Buffer, firstBytes: number) {
  let answer!: Promise<{ status: number; body: string }>;
  const sent = httpRequest({
    host: '127.0.0.1',
    port: server.port,
    method: 'POST',
    path: url,
    headers: { cookie, origin: server.origin, 'content-type': contentType, 'content-length': body.length },
  });
  answer = new Promise((resolve, reject) => {
    sent.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: text }));
    });
    sent.on('error', reject);
  });
  // Handled here too: a test that fails before awaiting it would otherwise leave it unhandled.
  answer.catch(() => {});
  sent.write(body.subarray(0, firstBytes));
  return { answer, finish: () => sent.end(body.subarray(firstBytes)) };
}

describe('several server processes over one files directory', () => {
  it("lets an upload in flight on A survive B's restart, completes it, and B serves the file at once", async () => {
    const [a] = servers;
    const bytes = minimalPdf('Serie revisada de mortalidad infantil, 2010-2024. '.repeat(4000));
    const body = await multipart({ metadata: JSON.stringify(metadata({ title: { es: 'Subido durante un reinicio', en: '' } })) }, { name: 'serie.pdf', bytes });
    const before = temporaryUploads();
    const upload = slowPost(a!, '/api/documents', people.secretariat.cookie, body.contentType, body.payload, body.payload.length - 64 * 1024);
    // A is receiving: its temporary file exists.
    await waitUntil(() => temporaryUploads().length > before.length, 'the upload on A to reach its temporary file', 10_000);

    // B restarts meanwhile (a deploy, a crash and its supervisor): its start clears what it takes for leftovers.
    await stopServerProcess(servers[1]!.child);
    servers[1] = await startServerProcess(dataDir, serverEnv);
    const b = servers[1];
    expect(temporaryUploads().length, "B's start must leave A's upload alone").toBeGreaterThan(before.length);

    upload.finish();
    const answer = await upload.answer;
    expect(answer.status, answer.body).toBe(201);
    const id = (JSON.parse(answer.body) as { document: { id: string } }).document.id;

    // Acknowledged by A, so already on the shared storage: B finds the document and serves its content.
    const download = await fetch(`${b.origin}/api/documents/${id}/download`, { headers: { cookie: people.member.cookie } });
    expect(download.status).toBe(200);
    const served = Buffer.from(await download.arrayBuffer());
    expect(createHash('sha256').update(served).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(temporaryUploads()).toEqual(before);
  }, 120_000);
});

