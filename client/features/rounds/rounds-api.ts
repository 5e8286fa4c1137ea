import type { Static } from 'typebox';
import { api } from '../../app/api.js';
import type { CommentViewSchema, LaterCommentsSchema, MatrixSchema, RoundDetailSchema, RoundSummarySchema } from '../../../server/features/rounds/schemas.js';
import type { AnchorInputSchema, ComparisonSchema, DispositionSchema, ReplySchema } from '../../../server/features/rounds/domain/schemas.js';

/** The comment rounds' API (docs/rounds-api.md); the types come from the server's schemas. */

export type RoundSummary = Static<typeof RoundSummarySchema>;
export type RoundDetail = Static<typeof RoundDetailSchema>;
export type RoundComment = Static<typeof CommentViewSchema>;
export type LaterComments = Static<typeof LaterCommentsSchema>;
export type MoreComments = RoundDetail['moreComments'];
export type Block = RoundDetail['structure']['blocks'][number];
export type AnchorInput = Static<typeof AnchorInputSchema>;
export type Comparison = Static<typeof ComparisonSchema>;
export type Matrix = Static<typeof MatrixSchema>;
export type Disposition = Static<typeof DispositionSchema>;
export type Reply = Static<typeof ReplySchema>;
export type CommentType = RoundComment['type'];
export type DispositionKind = Disposition['kind'];

export interface NewRoundInput {
  documentId: string;
  version: number;
  consulted: { countryIds: string[]; organizationIds: string[] };
  deadline: string;
  instructions: string;
}

export interface LibraryEntry {
  id: string;
  title: { es: string; en: string };
  latestVersion: { number: number; fileName: string };
}

const id = (value: string) => encodeURIComponent(value);
const round = (roundId: string) => `/rounds/${id(roundId)}`;

export const roundsApi = {
  list: (documentId: string | null, signal?: AbortSignal) => api.get<{ items: RoundSummary[] }>('/rounds', { query: documentId ? { documentId, limit: 100 } : { limit: 100 }, signal }).then((r) => r.items),
  get: (roundId: string, signal?: AbortSignal) => api.get<RoundDetail>(round(roundId), { signal }),
  /** The comments on the paragraphs after `after` (the page's first answer carries the opening ones). */
  later: (roundId: string, after: string) => api.get<LaterComments>(`${round(roundId)}/comments`, { query: { after } }),
  create: (input: NewRoundInput) => api.post<{ round: RoundSummary }>('/rounds', input).then((r) => r.round),
  step: (roundId: string, step: 'open' | 'close' | 'conclude' | 'cancel') => api.post<{ round: RoundSummary }>(`${round(roundId)}/${step}`),
  publish: (roundId: string, replyDeadline: string) => api.post<{ round: RoundSummary }>(`${round(roundId)}/publish`, { replyDeadline }),
  nextVersion: (roundId: string, version: number) => api.post<{ round: RoundSummary }>(`${round(roundId)}/next-version`, { version }),
  comment: (roundId: string, input: { type: CommentType; text: string; proposedText: string | null; anchor: AnchorInput }) => api.post<unknown>(`${round(roundId)}/comments`, input),
  updateComment: (roundId: string, commentId: string, input: { type?: CommentType; text?: string; proposedText?: string | null }) => api.patch<unknown>(`${round(roundId)}/comments/${id(commentId)}`, input),
  deleteComment: (roundId: string, commentId: string) => api.delete<unknown>(`${round(roundId)}/comments/${id(commentId)}`),
  submit: (roundId: string) => api.post<{ submission: { revision: number; comments: number } }>(`${round(roundId)}/submission`),
  withdraw: (roundId: string) => api.delete<unknown>(`${round(roundId)}/submission`),
  dispose: (roundId: string, commentId: string, kind: DispositionKind, rationale: string | null) => api.put<{ disposition: Disposition }>(`${round(roundId)}/comments/${id(commentId)}/disposition`, { kind, rationale }),
  reply: (roundId: string, commentId: string, kind: 'satisfied' | 'objects', text: string | null) => api.put<{ reply: Reply }>(`${round(roundId)}/comments/${id(commentId)}/reply`, { kind, text }),
  comparison: (roundId: string, signal?: AbortSignal) => api.get<{ from: number; to: number; comparison: Comparison }>(`${round(roundId)}/comparison`, { signal }),
  matrix: (roundId: string, signal?: AbortSignal) => api.get<Matrix>(`${round(roundId)}/matrix`, { signal }),
  startSilence: (roundId: string, deadline: string) => api.post<unknown>(`${round(roundId)}/silence`, { deadline }),
  breakSilence: (roundId: string, reason: string) => api.post<unknown>(`${round(roundId)}/silence/break`, { reason }),
  library: (signal?: AbortSignal) => api.get<{ items: LibraryEntry[] }>('/documents', { query: { limit: 50 }, signal }).then((r) => r.items),
  countries: (signal?: AbortSignal) => api.get<{ items: Array<{ id: string; nameEs: string; nameEn: string }> }>('/countries', { signal }).then((r) => r.items),
  organizations: (signal?: AbortSignal) => api.get<{ items: Array<{ id: string; acronymEn: string; acronymEs: string }> }>('/organizations', { signal }).then((r) => r.items),
};

/** Where the matrix's files are served: plain links, the browser downloads or opens them itself. */
export const matrixFileHref = (roundId: string, format: 'xlsx' | 'html') => `/api/rounds/${id(roundId)}/matrix.${format}`;
export const roundHref = (roundId: string) => `/rounds/${id(roundId)}`;
