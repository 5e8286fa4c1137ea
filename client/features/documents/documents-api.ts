import { api, ApiError, type UploadOptions } from '../../app/api.js';
import { pickContent } from '../../app/i18n.js';
import type { Page } from '../../app/models.js';
import type { AuditEntry, DocumentDetail, DocumentMetadata, DocumentQuery, DocumentSummary, TrashedDocument } from './models.js';

const id = (value: string) => encodeURIComponent(value);

/** An upload's metadata without the fields left empty: the server takes absent ones as "none". */
function presentOnly(metadata: DocumentMetadata): Partial<DocumentMetadata> {
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== null && value !== '')) as Partial<DocumentMetadata>;
}

/** The server reads multipart parts in order, so the text field must come before the file. */
function multipart(field: 'metadata' | 'changeNote', value: string, file: File): FormData {
  const form = new FormData();
  form.append(field, value);
  form.append('file', file, file.name);
  return form;
}

let uploadLimit: Promise<number> | null = null;

/**
 * Refuses a file over the server's limit before a byte is sent, with the error the server would
 * give: a refused upload otherwise first sends up to the limit, and some browsers then report the
 * cut connection instead of the 413. The limit is asked once per page load.
 */
export async function checkUploadSize(file: File): Promise<void> {
  uploadLimit ??= api.get<{ maxUploadBytes: number }>('/documents/limits').then((r) => r.maxUploadBytes, (error: unknown) => {
    uploadLimit = null;
    throw error;
  });
  const limit = await uploadLimit;
  if (file.size > limit) throw new ApiError(413, 'file_too_large', `The file is larger than the limit of ${Math.round(limit / (1024 * 1024))} MB.`);
}

export const documentsApi = {
  list: (query: DocumentQuery, signal?: AbortSignal) => api.get<Page<DocumentSummary>>('/documents', { query: { ...query }, signal }),
  get: (documentId: string, signal?: AbortSignal) => api.get<{ document: DocumentDetail }>(`/documents/${id(documentId)}`, { signal }).then((r) => r.document),
  upload: async (metadata: DocumentMetadata, file: File, options?: UploadOptions) => {
    await checkUploadSize(file);
    return api.upload<{ document: DocumentDetail }>('/documents', multipart('metadata', JSON.stringify(presentOnly(metadata)), file), options).then((r) => r.document);
  },
  update: (documentId: string, metadata: Partial<DocumentMetadata>) =>
    api.patch<{ document: DocumentDetail }>(`/documents/${id(documentId)}`, metadata).then((r) => r.document),
  addVersion: async (documentId: string, file: File, changeNote: string, options?: UploadOptions) => {
    await checkUploadSize(file);
    return api.upload<{ document: DocumentDetail }>(`/documents/${id(documentId)}/versions`, multipart('changeNote', changeNote, file), options).then((r) => r.document);
  },
  remove: (documentId: string) => api.delete<null>(`/documents/${id(documentId)}`),
  trash: (signal?: AbortSignal) => api.get<{ items: TrashedDocument[] }>('/documents/trash', { signal }).then((r) => r.items),
  restore: (documentId: string) => api.post<{ document: DocumentDetail }>(`/documents/${id(documentId)}/restore`, {}).then((r) => r.document),
  audit: (documentId: string, signal?: AbortSignal) => api.get<{ items: AuditEntry[] }>(`/documents/${id(documentId)}/audit`, { signal }).then((r) => r.items),
};

/**
 * Where a document's file is served. A plain link, not a fetch: the browser then streams the
 * file to disk or a viewer itself, with the server's name and type. Give such links the
 * `download` attribute (or a target): the app's router takes every other same-site link
 * click for an in-app page.
 */
export function downloadHref(documentId: string, options: { version?: number; attachment?: boolean } = {}): string {
  const params = new URLSearchParams();
  if (options.version !== undefined) params.set('version', String(options.version));
  if (options.attachment) params.set('disposition', 'attachment');
  const query = params.toString();
  return `/api/documents/${id(documentId)}/download${query ? `?${query}` : ''}`;
}

/** Library documents for a link picker: those matching `q`, else the latest; titles in the reader's content language. */
export async function findDocuments(q: string, signal: AbortSignal): Promise<Array<{ id: string; title: string }>> {
  const page = await documentsApi.list({ ...(q ? { q } : {}), limit: 15, offset: 0 }, signal);
  return page.items.map((document) => ({ id: document.id, title: pickContent(document.title.es, document.title.en) }));
}
