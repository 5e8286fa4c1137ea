import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { request } from '../../helper.js';
import type { Participant } from '../debates/support.js';

export interface UploadFile {
  name: string;
  bytes: Buffer;
}

/** A multipart/form-data body as a browser's FormData would send it, built by the platform's own encoder. */
export async function multipart(fields: Record<string, string>, file?: UploadFile, fileField = 'file') {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append(fileField, new Blob([new Uint8Array(file.bytes)]), file.name);
  const encoded = new Request('http://127.0.0.1/', { method: 'POST', body: form });
  return { payload: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}

export const metadata = (overrides: Record<string, unknown> = {}) => ({
  title: { es: 'Informe de conciliación de cifras', en: 'Reconciliation report' },
  description: { es: 'Diferencias entre cifras nacionales e internacionales', en: '' },
  type: 'report',
  languages: ['es'],
  publicationDate: '2026-10-01',
  tags: ['mortalidad'],
  indicatorCodes: ['4.1'],
  visibility: 'group',
  ...overrides,
});

export async function upload(app: FastifyInstance, who: Participant | null, file: UploadFile | undefined, meta: unknown = metadata(), url = '/api/documents') {
  // null: no metadata field at all.
  const fields: Record<string, string> = meta === null ? {} : { metadata: JSON.stringify(meta) };
  const body = await multipart(fields, file);
  return request(app, { method: 'POST', url, payload: body.payload, headers: { 'content-type': body.contentType }, ...(who ? { cookie: who.cookie } : {}) });
}

export async function uploadVersion(app: FastifyInstance, who: Participant, documentId: string, file: UploadFile, changeNote = '') {
  const body = await multipart({ changeNote }, file);
  return request(app, { method: 'POST', url: `/api/documents/${documentId}/versions`, payload: body.payload, headers: { 'content-type': body.contentType }, cookie: who.cookie });
}

/** Every file under DATA_DIR/files (stored contents and temporary uploads), relative paths. */
export function storedFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'files');
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else found.push(path.relative(root, full));
    }
  };
  walk(root);
  return found.sort();
}
