import type { Static } from 'typebox';
import { api, ApiError } from '../../app/api.js';
import type {
  CaseDetailSchema,
  CaseListSchema,
  CasePageSchema,
  CaseSummarySchema,
  CasePostSchema,
  CommentAnswerSchema,
  MatrixSchema,
  ReleaseListSchema,
  ReleaseSchema,
  RowErrorSchema,
} from '../../../server/features/discrepancies/schemas.js';

export type CaseSummary = Static<typeof CaseSummarySchema>;
export type CaseDetail = Static<typeof CaseDetailSchema>;
export type CasePage = Static<typeof CasePageSchema>;
export type CaseList = Static<typeof CaseListSchema>;
export type CasePost = Static<typeof CasePostSchema>;
export type CommentAnswer = Static<typeof CommentAnswerSchema>;
export type Matrix = Static<typeof MatrixSchema>;
export type Release = Static<typeof ReleaseSchema>;
export type ReleaseList = Static<typeof ReleaseListSchema>;
export type RowError = Static<typeof RowErrorSchema>;
export type CaseSeries = CasePage['series'];
export type CaseStatus = CaseSummary['status'];

/** The filters the matrix, the list and the exports share. */
export interface MatrixQuery {
  indicator?: string;
  status?: string;
  goal?: string;
  cause?: string;
  agencyId?: string;
}

export interface CaseQuery extends MatrixQuery {
  countryId?: string;
  year?: number;
  limit?: number;
  offset?: number;
}

export interface ImportOptions {
  side: 'national' | 'international';
  format: 'unsd_csv' | 'national_csv' | 'national_xlsx';
  title: string;
  agencyId?: string;
  releaseDate?: string;
  link?: string;
}

/** What a refused import answers: nothing was stored; every refused row with its reason. */
export interface ImportRefusal {
  rows: number;
  refusedRows: number;
  errorCount: number;
  errorsTruncated: boolean;
  errors: RowError[];
}

/** The api client adds /api; the file upload and the template link are plain addresses. */
const base = '/discrepancies';

export const discrepanciesApi = {
  matrix: (query: MatrixQuery, signal?: AbortSignal) => api.get<Matrix>(`${base}/matrix`, { query: { ...query }, signal }),
  cases: (query: CaseQuery, signal?: AbortSignal) => api.get<CaseList>(`${base}/cases`, { query: { ...query }, signal }),
  casePage: (id: string, signal?: AbortSignal) => api.get<CasePage>(`${base}/cases/${encodeURIComponent(id)}`, { signal }),
  move: (id: string, to: CaseStatus, note: string, version: number) => api.post<{ case: CaseDetail }>(`${base}/cases/${encodeURIComponent(id)}/status`, { to, note: note || undefined, version }),
  setCauses: (id: string, primary: string, secondary: string[]) => api.put<{ case: CaseDetail }>(`${base}/cases/${encodeURIComponent(id)}/causes`, { primary, secondary }),
  setExplanation: (id: string, text: string) => api.put<{ case: CaseDetail }>(`${base}/cases/${encodeURIComponent(id)}/explanation`, { text }),
  agree: (id: string) => api.post<{ case: CaseDetail }>(`${base}/cases/${encodeURIComponent(id)}/agreement`),
  publish: (id: string) => api.post<{ case: CaseDetail }>(`${base}/cases/${encodeURIComponent(id)}/publish`),
  comment: (id: string, body: string) => api.post<CommentAnswer>(`${base}/cases/${encodeURIComponent(id)}/comments`, { body }),
  releases: (signal?: AbortSignal) => api.get<ReleaseList>(`${base}/releases`, { query: { limit: 20 }, signal }),
  /** Downloads: the cases or the matrix as the page filters them, and a case's printable note. */
  exportHref: (what: 'cases' | 'matrix', format: 'csv' | 'xlsx', lang: 'en' | 'es', query: CaseQuery) => {
    const params = new URLSearchParams({ format, lang });
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '' && key !== 'limit' && key !== 'offset') params.set(key, String(value));
    return `/api${base}/exports/${what}?${params}`;
  },
  noteHref: (id: string, lang: 'en' | 'es') => `/api${base}/cases/${encodeURIComponent(id)}/note?lang=${lang}`,
  templateHref: (lang: 'en' | 'es', format: 'csv' | 'xlsx') => `/api${base}/template?lang=${lang}&format=${format}`,

  /**
   * Sends the file itself as the body (the server streams it into the importer). Answers the
   * release, or throws: an ApiError, whose `details` hold the refused rows when the file was refused.
   */
  async importFile(file: File, options: ImportOptions): Promise<Release> {
    const query = new URLSearchParams({ side: options.side, format: options.format, title: options.title, fileName: file.name.slice(0, 255) });
    if (options.agencyId) query.set('agencyId', options.agencyId);
    if (options.releaseDate) query.set('releaseDate', options.releaseDate);
    if (options.link) query.set('link', options.link);
    const type = options.format === 'national_xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
    const response = await fetch(`/api${base}/releases?${query}`, { method: 'POST', body: file, headers: { 'content-type': type, accept: 'application/json' }, credentials: 'same-origin' });
    const body = (await response.json().catch(() => null)) as { release?: Release; error?: { code: string; message: string; details?: unknown } } | null;
    if (response.ok && body?.release) return body.release;
    const error = body?.error ?? { code: 'http_error', message: response.statusText };
    throw new ApiError(response.status, error.code, error.message, {}, null, error.details ?? null);
  },
};
